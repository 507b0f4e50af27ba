import Foundation
import Testing

@testable import XMPPCore

/// Conversation transcripts replayed against the negotiation machine without sockets (RFC 6120 §4–§7).
@Suite struct C2SNegotiationStateMachineTests {
    static let domain = "intercloud.localhost"

    static func machine(secured: Bool = false, requireTLS: Bool = true, maxAuthAttempts: Int = 3)
        -> C2SNegotiationStateMachine
    {
        C2SNegotiationStateMachine(
            configuration: .init(
                domain: Self.domain, tlsAvailable: true, requireTLS: requireTLS, maxAuthAttempts: maxAuthAttempts,
                streamIDGenerator: { "sid" }, resourceGenerator: { "generated" }, nonceGenerator: { "servernonce" }),
            secured: secured)
    }

    static func header(to: String = domain, xmlns: String = Namespace.client, version: String? = "1.0") -> XMLElement {
        var header = XMLElement(name: "stream", namespace: Namespace.stream, attributes: ["to": to, "xmlns": xmlns])
        header[attribute: "version"] = version
        return header
    }

    static func sasl(_ name: String, _ text: String = "", mechanism: String? = nil) -> XMLElement {
        var element = XMLElement(name: name, namespace: Namespace.sasl, children: text.isEmpty ? [] : [.text(text)])
        element[attribute: "mechanism"] = mechanism
        return element
    }

    static func plain(_ user: String, _ password: String) -> String {
        Data("\0\(user)\0\(password)".utf8).base64EncodedString()
    }

    /// Drives a machine through STARTTLS and PLAIN to the bind stage.
    static func authenticatedMachine() -> C2SNegotiationStateMachine {
        var m = Self.machine()
        _ = m.streamOpened(Self.header())
        _ = m.elementReceived(XMLElement(name: "starttls", namespace: Namespace.tls))
        _ = m.tlsEstablished()
        _ = m.streamOpened(Self.header())
        _ = m.elementReceived(Self.sasl("auth", Self.plain("alpha", "pw"), mechanism: "PLAIN"))
        _ = m.passwordChecked(.valid)
        _ = m.streamOpened(Self.header())
        return m
    }

    @Test func firstFeaturesRequireStartTLSAndOfferNoMechanisms() {
        var m = Self.machine()
        guard case .openStream(let id, let features) = m.streamOpened(Self.header()) else {
            Issue.record("expected features")
            return
        }
        #expect(id == "sid")
        let starttls = features.child(named: "starttls", namespace: Namespace.tls)
        #expect(starttls?.child(named: "required", namespace: Namespace.tls) != nil)
        #expect(features.child(named: "mechanisms", namespace: Namespace.sasl) == nil)
    }

    @Test(arguments: [
        (header(xmlns: "jabber:server"), StreamError.Condition.invalidNamespace),
        (header(to: "elsewhere.example"), .hostUnknown),
        (header(version: nil), .unsupportedVersion),
        (
            XMLElement(name: "stream", namespace: "urn:wrong", attributes: ["to": domain, "xmlns": Namespace.client]),
            .invalidNamespace
        ),
    ])
    func badHeadersCloseWithOurHeaderFirst(header: XMLElement, condition: StreamError.Condition) {
        var fresh = Self.machine()
        guard case .closeWithStreamError(let error, let id) = fresh.streamOpened(header) else {
            Issue.record("expected a stream error")
            return
        }
        #expect(error.condition == condition)
        #expect(id == "sid")
    }

    @Test func authenticationBeforeTLSIsRefusedWithEncryptionRequired() {
        var m = Self.machine()
        _ = m.streamOpened(Self.header())
        guard
            case .authenticationFailed(_, let condition) = m.elementReceived(
                Self.sasl("auth", Self.plain("alpha", "pw"), mechanism: "PLAIN"))
        else {
            Issue.record("expected failure")
            return
        }
        #expect(condition == .encryptionRequired)
    }

    @Test func stanzaBeforeAuthenticationEndsTheStream() {
        var m = Self.machine()
        _ = m.streamOpened(Self.header())
        let action = m.elementReceived(XMLElement(name: "message", namespace: Namespace.client))
        guard case .closeWithStreamError(let error, nil) = action else {
            Issue.record("expected stream error, got \(action)")
            return
        }
        #expect(error.condition == .notAuthorized)
    }

    @Test func startTLSThenPLAINThenBind() {
        var m = Self.machine()
        _ = m.streamOpened(Self.header())
        #expect(
            m.elementReceived(XMLElement(name: "starttls", namespace: Namespace.tls))
                == .startTLS(proceed: XMLElement(name: "proceed", namespace: Namespace.tls)))
        #expect(m.tlsEstablished() == .none)
        #expect(m.isSecured)
        guard case .openStream(_, let features) = m.streamOpened(Self.header()) else {
            Issue.record("expected features")
            return
        }
        let mechanisms = features.child(named: "mechanisms", namespace: Namespace.sasl)?.elements.map(\.text)
        #expect(mechanisms == ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"])
        #expect(features.child(named: "starttls", namespace: Namespace.tls) == nil)
        #expect(
            m.elementReceived(Self.sasl("auth", Self.plain("alpha", "pw"), mechanism: "PLAIN"))
                == .verifyPassword(username: "alpha", password: "pw"))
        guard case .authenticated(_, let jid) = m.passwordChecked(.valid) else {
            Issue.record("expected success")
            return
        }
        #expect(jid.description == "alpha@intercloud.localhost")
        guard case .openStream(_, let boundFeatures) = m.streamOpened(Self.header()) else {
            Issue.record("expected bind features")
            return
        }
        #expect(boundFeatures.child(named: "bind", namespace: Namespace.bind) != nil)
        let bind = XMLElement(
            name: "iq", namespace: Namespace.client, attributes: ["type": "set", "id": "b1"],
            children: [
                .element(
                    XMLElement(
                        name: "bind", namespace: Namespace.bind,
                        children: [
                            .element(XMLElement(name: "resource", namespace: Namespace.bind, children: [.text("gw")]))
                        ]))
            ])
        guard case .bind(let full, let result) = m.elementReceived(bind) else {
            Issue.record("expected bind")
            return
        }
        #expect(full.description == "alpha@intercloud.localhost/gw")
        #expect(result[attribute: "id"] == "b1")
        #expect(
            result.child(named: "bind", namespace: Namespace.bind)?.child(named: "jid", namespace: Namespace.bind)?.text
                == full.description)
        #expect(m.boundJID == full)
    }

    @Test func bindWithoutResourceGeneratesOne() {
        var m = Self.authenticatedMachine()
        let bind = XMLElement(
            name: "iq", namespace: Namespace.client, attributes: ["type": "set", "id": "b2"],
            children: [.element(XMLElement(name: "bind", namespace: Namespace.bind))])
        guard case .bind(let full, _) = m.elementReceived(bind) else {
            Issue.record("expected bind")
            return
        }
        #expect(full.resourcepart == "generated")
    }

    @Test func establishedStanzasGetFromStampedAndNonStanzasEndTheStream() {
        var m = Self.authenticatedMachine()
        let bind = XMLElement(
            name: "iq", namespace: Namespace.client, attributes: ["type": "set", "id": "b"],
            children: [.element(XMLElement(name: "bind", namespace: Namespace.bind))])
        _ = m.elementReceived(bind)
        let spoofed = XMLElement(
            name: "message", namespace: Namespace.client,
            attributes: ["to": "bravo@intercloud.localhost", "from": "admin@intercloud.localhost/x"])
        guard case .deliver(let stanza) = m.elementReceived(spoofed) else {
            Issue.record("expected delivery")
            return
        }
        #expect(stanza.from?.description == "alpha@intercloud.localhost/generated")
        #expect(stanza.element[attribute: "from"] == "alpha@intercloud.localhost/generated")
        let badTo = XMLElement(name: "message", namespace: Namespace.client, attributes: ["to": "@@", "id": "m1"])
        guard case .send(let error) = m.elementReceived(badTo) else {
            Issue.record("expected a stanza error")
            return
        }
        #expect(StanzaError(error.child(named: "error", namespace: Namespace.client)!)?.condition == .jidMalformed)
        guard
            case .closeWithStreamError(let streamError, _) = m.elementReceived(
                XMLElement(name: "foo", namespace: "urn:x"))
        else {
            Issue.record("expected stream error")
            return
        }
        #expect(streamError.condition == .unsupportedStanzaType)
    }

    @Test func repeatedFailuresEndWithPolicyViolation() {
        var m = Self.machine(secured: true)
        _ = m.streamOpened(Self.header())
        for attempt in 1...3 {
            _ = m.elementReceived(Self.sasl("auth", Self.plain("alpha", "bad"), mechanism: "PLAIN"))
            let action = m.passwordChecked(.invalid)
            if attempt < 3 {
                guard case .authenticationFailed(_, .notAuthorized) = action else {
                    Issue.record("attempt \(attempt): \(action)")
                    return
                }
            } else {
                guard case .closeWithStreamError(let error, _) = action else {
                    Issue.record("expected policy-violation")
                    return
                }
                #expect(error.condition == .policyViolation)
            }
        }
    }

    @Test func saslErrorsCarryTheRightConditions() {
        var m = Self.machine(secured: true, maxAuthAttempts: 5)
        _ = m.streamOpened(Self.header())
        guard
            case .authenticationFailed(_, .invalidMechanism) = m.elementReceived(Self.sasl("auth", mechanism: "X-NOPE"))
        else { Issue.record("invalid-mechanism"); return }
        guard
            case .authenticationFailed(_, .incorrectEncoding) = m.elementReceived(
                Self.sasl("auth", "!!!not base64!!!", mechanism: "PLAIN"))
        else { Issue.record("incorrect-encoding"); return }
        _ = m.elementReceived(Self.sasl("auth", Self.plain("alpha", "pw"), mechanism: "PLAIN"))
        guard case .authenticationFailed(_, .accountDisabled) = m.passwordChecked(.accountDisabled) else {
            Issue.record("account-disabled")
            return
        }
    }

    @Test func plainIsNotOfferedOrAcceptedWithoutTLS() {
        var m = Self.machine(requireTLS: false)
        guard case .openStream(_, let features) = m.streamOpened(Self.header()) else { return }
        let mechanisms = features.child(named: "mechanisms", namespace: Namespace.sasl)?.elements.map(\.text)
        #expect(mechanisms == ["SCRAM-SHA-256", "SCRAM-SHA-1"])
        guard
            case .authenticationFailed(_, .encryptionRequired) = m.elementReceived(
                Self.sasl("auth", Self.plain("alpha", "pw"), mechanism: "PLAIN"))
        else { Issue.record("expected encryption-required"); return }
    }

    @Test(arguments: [SCRAMHash.sha256, .sha1])
    func scramExchangeAuthenticates(hash: SCRAMHash) throws {
        var m = Self.machine(secured: true)
        _ = m.streamOpened(Self.header())
        var client = SCRAMClient(hash: hash, username: "alpha", password: "pencil", nonce: "clientnonce")
        let first = Data(client.clientFirstMessage()).base64EncodedString()
        #expect(
            m.elementReceived(Self.sasl("auth", first, mechanism: hash.rawValue))
                == .lookUpCredentials(username: "alpha", hash: hash))
        let stored = SCRAMCredentials.derive(
            password: "pencil", salt: Array("saltsalt".utf8), iterations: 4096, hash: hash)
        guard case .send(let challenge) = m.credentialsFound(stored) else {
            Issue.record("expected a challenge")
            return
        }
        let serverFirst = Array(Data(base64Encoded: challenge.text)!)
        let final = try client.clientFinalMessage(serverFirst: serverFirst)
        guard
            case .authenticated(let success, let jid) = m.elementReceived(
                Self.sasl("response", Data(final).base64EncodedString()))
        else {
            Issue.record("expected success")
            return
        }
        #expect(jid.description == "alpha@intercloud.localhost")
        #expect(client.verifyServerFinal(Array(Data(base64Encoded: success.text)!)))
    }

    @Test func parseErrorBeforeAnyHeaderOpensOurStreamFirst() {
        var m = Self.machine()
        let action = m.parseFailed(XMLStreamError(code: .restrictedXML, reason: "DOCTYPE"))
        guard case .closeWithStreamError(let error, let id) = action else {
            Issue.record("expected stream error")
            return
        }
        #expect(error.condition == .restrictedXML)
        #expect(id == "sid")
    }

    @Test func closingTagIsAnsweredOnce() {
        var m = Self.machine()
        _ = m.streamOpened(Self.header())
        #expect(m.streamClosed() == .closeStream)
        #expect(m.streamClosed() == .none)
    }

    @Test func externalIsOfferedOnlyWithAClientCertificateAndDelegatesValidation() throws {
        var withoutCertificate = Self.machine()
        _ = withoutCertificate.streamOpened(Self.header())
        _ = withoutCertificate.elementReceived(XMLElement(name: "starttls", namespace: Namespace.tls))
        _ = withoutCertificate.tlsEstablished(clientCertificate: false)
        guard case .openStream(_, let plainFeatures) = withoutCertificate.streamOpened(Self.header()) else {
            Issue.record("expected features")
            return
        }
        let plainMechanisms = plainFeatures.child(named: "mechanisms", namespace: Namespace.sasl)?.elements.map(\.text)
        #expect(plainMechanisms == ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"])
        guard
            case .authenticationFailed(_, .invalidMechanism) = withoutCertificate.elementReceived(
                Self.sasl("auth", "=", mechanism: "EXTERNAL"))
        else { Issue.record("EXTERNAL without a certificate must fail"); return }

        var m = Self.machine()
        _ = m.streamOpened(Self.header())
        _ = m.elementReceived(XMLElement(name: "starttls", namespace: Namespace.tls))
        _ = m.tlsEstablished(clientCertificate: true)
        guard case .openStream(_, let features) = m.streamOpened(Self.header()) else { return }
        #expect(features.child(named: "mechanisms", namespace: Namespace.sasl)?.elements.first?.text == "EXTERNAL")
        // XEP-0178 §3: "=" is an empty authorization identity: use the certificate's xmppAddr.
        #expect(m.elementReceived(Self.sasl("auth", "=", mechanism: "EXTERNAL")) == .verifyCertificate(authzid: nil))
        guard case .authenticationFailed(_, .notAuthorized) = m.certificateChecked(.failure(.notAuthorized)) else {
            Issue.record("a refused certificate is not-authorized")
            return
        }
        let authzid = Data("alpha@intercloud.localhost".utf8).base64EncodedString()
        #expect(
            m.elementReceived(Self.sasl("auth", authzid, mechanism: "EXTERNAL"))
                == .verifyCertificate(authzid: "alpha@intercloud.localhost"))
        guard
            case .authenticated(_, let jid) = m.certificateChecked(
                .success(try JID(parsing: "alpha@intercloud.localhost")))
        else {
            Issue.record("expected success")
            return
        }
        #expect(jid.description == "alpha@intercloud.localhost")
    }

    @Test func externalForAnotherDomainIsRefused() throws {
        var m = Self.machine(secured: true)
        m.directTLSEstablished(clientCertificate: true)
        _ = m.streamOpened(Self.header())
        _ = m.elementReceived(Self.sasl("auth", "=", mechanism: "EXTERNAL"))
        guard
            case .authenticationFailed(_, .notAuthorized) = m.certificateChecked(
                .success(try JID(parsing: "x@elsewhere.example")))
        else {
            Issue.record("a JID of another domain must not log in here")
            return
        }
    }
}
