import Foundation
import NIOCore
import Synchronization
import XMPPClient
import XMPPCore

/// One simulated cloud logged in to the root: its XMPP stream, a reader task that plays the responder side of the
/// negotiations planned for it and collects agreement notifications, and the helpers the steps use
/// (CONTRACT §5; docs/negotiation.md).
final class CloudAgent: Sendable {
    /// What the cloud publishes.
    let profile: CloudProfile
    /// The logged-in stream.
    let connection: XMPPClientConnection
    /// Agreement notifications received.
    let mailbox = AgreementMailbox()
    private let book: NegotiationBook
    private let reader = Mutex<Task<Void, Never>?>(nil)

    private init(profile: CloudProfile, connection: XMPPClientConnection, book: NegotiationBook) {
        self.profile = profile
        self.connection = connection
        self.book = book
    }

    /// Logs in with SASL EXTERNAL over STARTTLS (CONTRACT §5; XEP-0178), starts the reader and sends initial
    /// presence (RFC 6121 §4.2), after which the directory reads the cloud as `ic:ready true` (CONTRACT §5.2).
    static func login(
        profile: CloudProfile, host: String, port: Int, credentials: XMPPClientCredentials, tls: XMPPClientTLS,
        options: XMPPClientOptions, book: NegotiationBook
    ) async throws(HarnessError) -> CloudAgent {
        let connection: XMPPClientConnection
        do {
            connection = try await XMPPClientConnection.connect(
                host: host, port: port, domain: profile.domain, credentials: credentials, tls: tls,
                resource: "harness", options: options)
        } catch {
            throw HarnessError(.xmppFailed, "login: \(error.code.rawValue): \(error.reason)")
        }
        let agent = CloudAgent(profile: profile, connection: connection, book: book)
        agent.startReader()
        do {
            try await connection.sendPresence()
        } catch {
            await agent.logout()
            throw HarnessError(.xmppFailed, "initial presence: \(error.code.rawValue): \(error.reason)")
        }
        return agent
    }

    /// The full JID the server bound.
    var jid: JID { self.connection.jid }

    /// Sends an iq request and maps failures to the harness's error.
    func request(_ iq: XMLElement, what: String, timeout: Duration) async throws(HarnessError) -> Stanza {
        do {
            return try await self.connection.request(iq, timeout: TimeAmount(timeout))
        } catch {
            throw Self.failure(what, error)
        }
    }

    /// Ends the stream politely (RFC 6120 §4.4), whatever the outcome.
    func logout() async {
        _ = await self.connection.close()
        self.mailbox.close()
    }

    /// Ends the stream and reports why it ended when that was not by our closing tag.
    func logoutChecked() async throws(HarnessError) {
        let reason = await self.connection.close()
        self.mailbox.close()
        if let reason { throw Self.failure("logout", reason) }
    }

    /// An XMPP client error as a harness error naming the operation and, for stanza errors, the condition.
    static func failure(_ what: String, _ error: XMPPClientError) -> HarnessError {
        if let stanzaError = error.stanzaError {
            let text = stanzaError.text.map { " (\($0))" } ?? ""
            return HarnessError(.xmppFailed, "\(what): \(stanzaError.condition.rawValue)\(text)")
        }
        return HarnessError(
            error.code == .timeout ? .timeout : .xmppFailed, "\(what): \(error.code.rawValue): \(error.reason)")
    }

    private func startReader() {
        let task = Task { [self] in
            for await stanza in self.connection.stanzas {
                await self.handle(stanza)
            }
            self.mailbox.close()
        }
        self.reader.withLock { $0 = task }
    }

    /// Answers negotiation requests as planned, records agreement notifications, refuses other requests with
    /// `service-unavailable` (RFC 6120 §8.4), ignores presence.
    private func handle(_ stanza: Stanza) async {
        switch stanza.kind {
        case .iq where stanza.isIQRequest:
            let answer = self.answer(stanza)
            try? await self.connection.send(answer)
        case .message:
            guard let element = stanza.element.child(named: "agreement", namespace: Namespace.negotiation),
                let signed = try? SignedAgreement(element)
            else { return }
            self.mailbox.deliver(signed)
        default:
            return
        }
    }

    private func answer(_ stanza: Stanza) -> XMLElement {
        guard let element = stanza.payload, NegotiationPayload.isPayload(element) else {
            return stanza.makeError(StanzaError(.serviceUnavailable))
        }
        let payload: NegotiationPayload
        do {
            payload = try NegotiationPayload(element)
        } catch {
            return stanza.makeError(StanzaError(.badRequest, text: "\(error)"))
        }
        guard let plan = self.book.plan(payload.proposalID) else {
            return stanza.makeError(StanzaError(.itemNotFound, text: "no harness plan for \(payload.proposalID)"))
        }
        switch plan.respond(to: payload, now: Date()) {
        case .success(let reply): return stanza.makeResult(payload: reply?.makeElement())
        case .failure(let error): return stanza.makeError(error)
        }
    }
}
