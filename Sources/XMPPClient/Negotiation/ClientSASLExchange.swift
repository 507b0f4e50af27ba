import Foundation
import XMPPCore

/// The SASL sub-machine of client negotiation: picks a mechanism from the offered list and runs its exchange
/// (RFC 6120 §6.4; RFC 5802 SCRAM; RFC 4616 PLAIN; RFC 4422 Appendix A and XEP-0178 EXTERNAL).
///
/// Pure: it turns challenge and success payloads into response payloads or an error. The nonce for SCRAM comes
/// from the configuration's generator so transcripts are deterministic.
struct ClientSASLExchange: Sendable {
    private enum Mechanism: Sendable {
        case external
        case plain
        /// `finalSent`: the client-final-message went out; `verified`: the server signature checked out.
        case scram(SCRAMClient, finalSent: Bool, verified: Bool)
    }

    /// The mechanism name as sent in `<auth mechanism='…'/>` (RFC 6120 §6.4.2).
    let name: String
    private var mechanism: Mechanism

    private init(name: String, mechanism: Mechanism) {
        self.name = name
        self.mechanism = mechanism
    }

    /// Chooses a mechanism for `authentication` among `offered` and returns the exchange with the `<auth/>`
    /// element to send (RFC 6120 §6.4.1–§6.4.2). PLAIN is never chosen outside TLS (RFC 6120 §13.9.4).
    static func start(
        _ authentication: C2SClientStateMachine.Authentication, offered: [String], secured: Bool, domain: String,
        nonce: () -> String
    ) -> Result<(ClientSASLExchange, XMLElement), XMPPClientError> {
        switch authentication {
        case .external(let authzid):
            guard secured, offered.contains("EXTERNAL") else {
                return .failure(
                    XMPPClientError(
                        .noSupportedMechanism,
                        "EXTERNAL is not offered (offered: \(offered.joined(separator: " "))); "
                            + "was the client certificate sent and accepted?"))
            }
            let exchange = ClientSASLExchange(name: "EXTERNAL", mechanism: .external)
            return .success((exchange, Self.auth("EXTERNAL", Array((authzid ?? "").utf8))))
        case .password(let username, let password, let preference):
            guard (try? JID(localpart: username, domainpart: domain, resourcepart: nil)) != nil else {
                return .failure(XMPPClientError(.invalidConfiguration, "'\(username)' is not a valid localpart"))
            }
            for candidate in preference where offered.contains(candidate.rawValue) {
                switch candidate {
                case .plain:
                    guard secured else { continue }
                    let message = PLAINMessage(authzid: nil, authcid: username, password: password)
                    let exchange = ClientSASLExchange(name: "PLAIN", mechanism: .plain)
                    return .success((exchange, Self.auth("PLAIN", message.bytes)))
                case .scramSHA256, .scramSHA1:
                    let hash: SCRAMHash = candidate == .scramSHA256 ? .sha256 : .sha1
                    let client = SCRAMClient(hash: hash, username: username, password: password, nonce: nonce())
                    let exchange = ClientSASLExchange(
                        name: candidate.rawValue, mechanism: .scram(client, finalSent: false, verified: false))
                    return .success((exchange, Self.auth(candidate.rawValue, client.clientFirstMessage())))
                }
            }
            return .failure(
                XMPPClientError(
                    .noSupportedMechanism,
                    "none of \(preference.map(\.rawValue).joined(separator: " ")) is offered "
                        + "(offered: \(offered.joined(separator: " ")))"))
        }
    }

    /// What a received SASL element means for negotiation.
    enum Step: Sendable, Equatable {
        /// Send this `<response/>` (RFC 6120 §6.4.3).
        case send(XMLElement)
        /// Authentication succeeded and was verified; restart the stream (RFC 6120 §6.4.6).
        case succeeded
        /// Authentication failed: the server's `<failure/>`, or the server could not prove itself (RFC 6120 §6.5).
        case failed(XMPPClientError)
        /// The server broke the SASL protocol (RFC 6120 §4.9.3).
        case violation(StreamError)
    }

    /// Reads `<challenge/>`, `<success/>` or `<failure/>` (RFC 6120 §6.4.3–§6.4.6).
    mutating func receive(_ element: XMLElement) -> Step {
        guard element.namespace == Namespace.sasl else {
            return .violation(StreamError(.policyViolation, text: "<\(element.name)/> during SASL"))
        }
        switch element.name {
        case "challenge":
            guard let data = Self.decode(element.text) else {
                return .violation(StreamError(.badFormat, text: "the SASL challenge is not base64"))
            }
            switch self.challenge(data) {
            case .failure(let error):
                return .failed(error)
            case .success(let response):
                return .send(
                    XMLElement(name: "response", namespace: Namespace.sasl, children: [.text(Self.encode(response))]))
            }
        case "success":
            guard let data = Self.decode(element.text) else {
                return .violation(StreamError(.badFormat, text: "the SASL success data is not base64"))
            }
            return self.success(data).map { .failed($0) } ?? .succeeded
        case "failure":
            let condition = SASLFailure.received(element)
            var reason = "\(self.name) failed: \(condition.rawValue)"
            if let text = element.child(named: "text", namespace: Namespace.sasl)?.text { reason += ": \(text)" }
            return .failed(XMPPClientError(.authenticationFailed, reason, saslFailure: condition))
        default:
            return .violation(StreamError(.policyViolation, text: "<\(element.name)/> during SASL"))
        }
    }

    /// Answers a `<challenge/>` with the payload of the `<response/>` to send (RFC 6120 §6.4.3).
    private mutating func challenge(_ data: [UInt8]) -> Result<[UInt8], XMPPClientError> {
        switch self.mechanism {
        case .external:
            // RFC 4422 §4 item 3: a server may send an empty challenge to ask for the initial response.
            guard data.isEmpty else {
                return .failure(XMPPClientError(.protocolViolation, "unexpected EXTERNAL challenge"))
            }
            return .success([])
        case .plain:
            return .failure(XMPPClientError(.protocolViolation, "PLAIN takes no challenge"))
        case .scram(var client, let finalSent, _):
            if !finalSent {
                do {
                    let final = try client.clientFinalMessage(serverFirst: data)
                    self.mechanism = .scram(client, finalSent: true, verified: false)
                    return .success(final)
                } catch {
                    return .failure(XMPPClientError(.protocolViolation, "malformed SCRAM server-first-message"))
                }
            }
            // RFC 6120 §6.3.10: a server that cannot send additional data with success sends it as a challenge.
            guard client.verifyServerFinal(data) else {
                return .failure(XMPPClientError(.serverAuthenticationFailed, "the server's SCRAM signature is wrong"))
            }
            self.mechanism = .scram(client, finalSent: true, verified: true)
            return .success([])
        }
    }

    /// Checks `<success/>` and its additional data; nil when the exchange really succeeded (RFC 6120 §6.4.6;
    /// RFC 5802 §3: the client must verify the server signature before trusting the session).
    private func success(_ data: [UInt8]) -> XMPPClientError? {
        guard case .scram(let client, let finalSent, let verified) = self.mechanism else { return nil }
        if data.isEmpty {
            return verified
                ? nil : XMPPClientError(.serverAuthenticationFailed, "SCRAM success without a server signature")
        }
        guard finalSent, client.verifyServerFinal(data) else {
            return XMPPClientError(.serverAuthenticationFailed, "the server's SCRAM signature is wrong")
        }
        return nil
    }

    /// `<auth xmlns='…xmpp-sasl' mechanism='…'>base64</auth>`; an empty initial response is `=` (RFC 6120 §6.4.2).
    private static func auth(_ mechanism: String, _ initialResponse: [UInt8]) -> XMLElement {
        XMLElement(
            name: "auth", namespace: Namespace.sasl, attributes: ["mechanism": mechanism],
            children: [.text(Self.encode(initialResponse))])
    }

    /// Base64 for SASL payloads, `=` for empty data (RFC 6120 §6.4.2).
    private static func encode(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? "=" : Data(bytes).base64EncodedString()
    }

    /// Decodes a SASL payload: empty text or `=` is empty data; nil when the text is not base64 (RFC 6120 §6.4.2).
    private static func decode(_ text: String) -> [UInt8]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed == "=" { return [] }
        return Data(base64Encoded: trimmed).map { Array($0) }
    }
}
