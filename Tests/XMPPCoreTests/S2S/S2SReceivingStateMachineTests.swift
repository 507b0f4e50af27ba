import Foundation
import Testing

@testable import XMPPCore

/// Transcripts of the receiving side of s2s streams, replayed without sockets (RFC 6120 §4–§6, XEP-0178,
/// XEP-0220). "peer sends" is XML text parsed like the wire; "server replies" is the action.
@Suite struct S2SReceivingStateMachineTests {
    static let keys = DialbackKeyGenerator(secret: Array("secret".utf8))

    static func machine(dialback: Bool = true) -> S2SReceivingStateMachine {
        S2SReceivingStateMachine(
            configuration: .init(
                domain: "home.example", localDomains: ["directory.home.example"], dialback: dialback,
                keys: Self.keys, streamIDGenerator: { "sid" }))
    }

    static func header(from: String? = "peer.example", to: String = "home.example", xmlns: String = "jabber:server")
        -> String
    {
        "<stream:stream xmlns='\(xmlns)' xmlns:stream='http://etherx.jabber.org/streams' "
            + "xmlns:db='jabber:server:dialback' " + (from.map { "from='\($0)' " } ?? "") + "to='\(to)' version='1.0'>"
    }

    /// Parses what the peer sends after a header: the first-level elements.
    static func elements(_ xml: String) throws -> [XMLElement] {
        var parser = XMLStreamParser()
        return try parser.feed(Self.header() + xml).compactMap { if case .element(let e) = $0 { e } else { nil } }
    }

    static func element(_ xml: String) throws -> XMLElement {
        try #require(try Self.elements(xml).first)
    }

    static func headerElement(_ text: String) throws -> XMLElement {
        var parser = XMLStreamParser()
        guard case .streamOpen(let header)? = try parser.feed(text).first else { throw StanzaError(.badRequest) }
        return header
    }

    /// Peer opens, negotiates STARTTLS and reopens over TLS; returns the action answering the second header.
    static func secured(_ m: inout S2SReceivingStateMachine, certificate: Bool) throws
        -> S2SReceivingStateMachine.Action
    {
        _ = m.streamOpened(try Self.headerElement(Self.header()))
        _ = m.elementReceived(try Self.element("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"))
        _ = m.tlsEstablished(peerCertificate: certificate)
        return m.streamOpened(try Self.headerElement(Self.header()))
    }

    /// A machine with `peer.example` authenticated by dialback.
    static func dialbackAuthenticated() throws -> S2SReceivingStateMachine {
        var m = Self.machine()
        _ = try Self.secured(&m, certificate: false)
        guard case .verifyDialback(let v) = m.elementReceived(try Self.element(Self.dbResult("peer.example"))) else {
            throw StanzaError(.badRequest)
        }
        _ = m.dialbackVerified(v, outcome: .valid)
        return m
    }

    static func dbResult(_ from: String, to: String = "home.example", key: String = "k3y") -> String {
        "<db:result from='\(from)' to='\(to)'>\(key)</db:result>"
    }

    @Test func firstHeaderIsAnsweredWithRequiredStartTLSOnly() throws {
        var m = Self.machine()
        guard case .openStream(let opening, let features) = m.streamOpened(try Self.headerElement(Self.header())) else {
            Issue.record("expected features")
            return
        }
        #expect(opening == S2SStreamOpening(id: "sid", from: "home.example", to: "peer.example"))
        #expect(features.elements.count == 1)
        #expect(features.child(named: "starttls", namespace: Namespace.tls)?.child(named: "required") != nil)
        #expect(opening.serialized().contains("xmlns='jabber:server'"))
        #expect(opening.serialized().contains("xmlns:db='jabber:server:dialback'"))
    }

    @Test(arguments: [
        (header(xmlns: "jabber:client"), StreamError.Condition.invalidNamespace),
        (header(to: "elsewhere.example"), .hostUnknown),
        (header(from: "home.example"), .invalidFrom),
        (header(from: "user@peer.example"), .invalidFrom),
    ])
    func badHeadersAreRefusedAfterOurOwnHeader(header: String, condition: StreamError.Condition) throws {
        var m = Self.machine()
        guard case .closeWithStreamError(let error, let opening) = m.streamOpened(try Self.headerElement(header)) else {
            Issue.record("expected a stream error")
            return
        }
        #expect(error.condition == condition)
        #expect(opening?.id == "sid")
    }

    @Test func componentDomainsAreServedToo() throws {
        var m = Self.machine()
        let action = m.streamOpened(try Self.headerElement(Self.header(to: "directory.home.example")))
        guard case .openStream(let opening, _) = action else {
            Issue.record("expected features, got \(action)")
            return
        }
        #expect(opening.from == "directory.home.example")
    }

    @Test func nothingButStartTLSIsAcceptedInTheClear() throws {
        var m = Self.machine()
        _ = m.streamOpened(try Self.headerElement(Self.header()))
        let action = m.elementReceived(try Self.element(Self.dbResult("peer.example")))
        guard case .closeWithStreamError(let error, nil) = action else {
            Issue.record("expected a stream error, got \(action)")
            return
        }
        #expect(error.condition == .policyViolation)
    }

    @Test func externalIsOfferedForAValidCertificateAndAuthenticatesTheHeaderDomain() throws {
        var m = Self.machine()
        #expect(try Self.secured(&m, certificate: true) == .validateCertificate(domain: "peer.example"))
        guard case .openStream(_, let features) = m.certificateValidated(true) else {
            Issue.record("expected features")
            return
        }
        let mechanisms = features.child(named: "mechanisms", namespace: Namespace.sasl)?.elements.map(\.text)
        #expect(mechanisms == ["EXTERNAL"])
        #expect(features.child(named: "dialback", namespace: Namespace.dialbackFeature) != nil)
        let authzid = Data("peer.example".utf8).base64EncodedString()
        let auth = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>\(authzid)</auth>"
        guard case .authenticated(let success, "peer.example") = m.elementReceived(try Self.element(auth)) else {
            Issue.record("expected success")
            return
        }
        #expect(success.name == "success")
        guard case .openStream(_, let after) = m.streamOpened(try Self.headerElement(Self.header())) else {
            Issue.record("expected features after the restart")
            return
        }
        #expect(after.elements.isEmpty)
        let message = "<message from='a@peer.example/r' to='b@home.example' type='chat'><body>hi</body></message>"
        guard case .deliver(let stanza) = m.elementReceived(try Self.element(message)) else {
            Issue.record("expected delivery")
            return
        }
        #expect(stanza.element.namespace == Namespace.client)
        #expect(stanza.element.child(named: "body", namespace: Namespace.client)?.text == "hi")
        #expect(stanza.from?.description == "a@peer.example/r")
    }

    @Test func anEmptyAuthorizationIdentityMeansTheHeaderDomain() throws {
        var m = Self.machine()
        _ = try Self.secured(&m, certificate: true)
        _ = m.certificateValidated(true)
        let auth = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>"
        #expect(
            m.elementReceived(try Self.element(auth))
                == .authenticated(
                    success: XMLElement(name: "success", namespace: Namespace.sasl), domain: "peer.example"))
    }

    @Test func externalIsRefusedWithoutAValidCertificateOrForAnotherDomain() throws {
        var m = Self.machine()
        _ = try Self.secured(&m, certificate: true)
        guard case .openStream(_, let features) = m.certificateValidated(false) else {
            Issue.record("expected features")
            return
        }
        #expect(features.child(named: "mechanisms", namespace: Namespace.sasl) == nil)
        let auth = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>"
        guard case .send(let failure) = m.elementReceived(try Self.element(auth)) else {
            Issue.record("expected a SASL failure")
            return
        }
        #expect(failure.child(named: "not-authorized", namespace: Namespace.sasl) != nil)

        var other = Self.machine()
        _ = try Self.secured(&other, certificate: true)
        _ = other.certificateValidated(true)
        let foreign = Data("evil.example".utf8).base64EncodedString()
        let forged = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>\(foreign)</auth>"
        guard case .send(let refused) = other.elementReceived(try Self.element(forged)) else {
            Issue.record("expected a SASL failure")
            return
        }
        #expect(refused.child(named: "invalid-authzid", namespace: Namespace.sasl) != nil)
    }

    @Test func dialbackAsksTheAuthoritativeServerThenAcceptsTheDomain() throws {
        var m = Self.machine()
        guard case .openStream(_, let features) = try Self.secured(&m, certificate: false) else {
            Issue.record("expected features")
            return
        }
        #expect(features.child(named: "mechanisms", namespace: Namespace.sasl) == nil)
        #expect(features.child(named: "dialback", namespace: Namespace.dialbackFeature)?.child(named: "errors") != nil)
        let expected = DialbackVerification(
            originating: "peer.example", receiving: "home.example", streamID: "sid", key: "k3y")
        #expect(m.elementReceived(try Self.element(Self.dbResult("peer.example"))) == .verifyDialback(expected))
        let message = "<message from='a@peer.example' to='b@home.example'><body>hi</body></message>"
        guard case .send(let answer) = m.dialbackVerified(expected, outcome: .valid) else {
            Issue.record("expected an answer")
            return
        }
        #expect(
            DialbackElement(answer) == DialbackElement(.result, from: "home.example", to: "peer.example", type: .valid))
        guard case .deliver = m.elementReceived(try Self.element(message)) else {
            Issue.record("expected delivery after dialback")
            return
        }
    }

    @Test func stanzasBeforeAuthenticationEndTheStream() throws {
        var m = Self.machine()
        _ = try Self.secured(&m, certificate: false)
        let message = "<message from='a@peer.example' to='b@home.example'><body>early</body></message>"
        guard case .closeWithStreamError(let error, nil) = m.elementReceived(try Self.element(message)) else {
            Issue.record("expected a stream error")
            return
        }
        #expect(error.condition == .notAuthorized)
    }

    @Test func anInvalidOrUnverifiableKeyIsReported() throws {
        var m = Self.machine()
        _ = try Self.secured(&m, certificate: false)
        guard case .verifyDialback(let v) = m.elementReceived(try Self.element(Self.dbResult("peer.example"))) else {
            Issue.record("expected a verification")
            return
        }
        guard case .send(let invalid) = m.dialbackVerified(v, outcome: .invalid) else { return #expect(Bool(false)) }
        #expect(DialbackElement(invalid)?.type == .invalid)
        guard case .send(let error) = m.dialbackVerified(v, outcome: .error) else { return #expect(Bool(false)) }
        #expect(DialbackElement(error)?.error?.condition == .remoteServerNotFound)
        #expect(m.authenticatedDomains.isEmpty)
    }

    @Test func aCertificateValidForTheDomainSettlesDialbackAtOnce() throws {
        var m = Self.machine()
        _ = try Self.secured(&m, certificate: true)
        _ = m.certificateValidated(true)
        guard case .send(let answer) = m.elementReceived(try Self.element(Self.dbResult("peer.example"))) else {
            Issue.record("expected an immediate answer")
            return
        }
        #expect(DialbackElement(answer)?.type == .valid)
        #expect(m.authenticatedDomains == ["peer.example"])
    }

    @Test func dialbackForAForeignTargetOrWhenDisabledIsAnError() throws {
        var m = Self.machine()
        _ = try Self.secured(&m, certificate: false)
        guard
            case .send(let unknown) = m.elementReceived(
                try Self.element(Self.dbResult("peer.example", to: "x.example")))
        else { return #expect(Bool(false)) }
        #expect(DialbackElement(unknown)?.error?.condition == .itemNotFound)

        var disabled = Self.machine(dialback: false)
        guard case .openStream(_, let features) = try Self.secured(&disabled, certificate: false) else {
            return #expect(Bool(false))
        }
        #expect(features.elements.isEmpty)
        guard case .send(let refused) = disabled.elementReceived(try Self.element(Self.dbResult("peer.example"))) else {
            return #expect(Bool(false))
        }
        #expect(DialbackElement(refused)?.type == .error)
    }

    @Test func verifyRequestsAreAnsweredAsAuthoritativeServer() throws {
        var m = Self.machine()
        _ = try Self.secured(&m, certificate: false)
        let key = Self.keys.key(receiving: "peer.example", originating: "home.example", streamID: "s9")
        let good = "<db:verify from='peer.example' to='home.example' id='s9'>\(key)</db:verify>"
        guard case .send(let valid) = m.elementReceived(try Self.element(good)) else { return #expect(Bool(false)) }
        #expect(
            DialbackElement(valid)
                == DialbackElement(.verify, from: "home.example", to: "peer.example", id: "s9", type: .valid))
        let bad = "<db:verify from='peer.example' to='home.example' id='s8'>\(key)</db:verify>"
        guard case .send(let invalid) = m.elementReceived(try Self.element(bad)) else { return #expect(Bool(false)) }
        #expect(DialbackElement(invalid)?.type == .invalid)
    }

    @Test(arguments: [
        ("<message from='a@forged.example' to='b@home.example'/>", StreamError.Condition.invalidFrom),
        ("<message from='a@peer.example' to='b@elsewhere.example'/>", .hostUnknown),
        ("<message to='b@home.example'/>", .improperAddressing),
        ("<presence from='a@peer.example'/>", .improperAddressing),
        ("<foo from='a@peer.example' to='b@home.example'/>", .unsupportedStanzaType),
    ])
    func misaddressedStanzasEndTheStream(xml: String, condition: StreamError.Condition) throws {
        var m = try Self.dialbackAuthenticated()
        guard case .closeWithStreamError(let error, nil) = m.elementReceived(try Self.element(xml)) else {
            Issue.record("expected a stream error")
            return
        }
        #expect(error.condition == condition)
    }

    @Test func severalDomainsCanBeAuthenticatedOnOneStream() throws {
        var m = try Self.dialbackAuthenticated()
        guard
            case .verifyDialback(let v) = m.elementReceived(try Self.element(Self.dbResult("conference.peer.example")))
        else { return #expect(Bool(false)) }
        _ = m.dialbackVerified(v, outcome: .valid)
        #expect(m.authenticatedDomains == ["peer.example", "conference.peer.example"])
        let iq =
            "<iq from='room@conference.peer.example' to='directory.home.example' type='get' id='1'><query xmlns='urn:x'/></iq>"
        guard case .deliver(let stanza) = m.elementReceived(try Self.element(iq)) else { return #expect(Bool(false)) }
        #expect(stanza.to?.domainpart == "directory.home.example")
    }

    @Test func malformedRequestsAreBouncedToTheRemoteSender() throws {
        var m = try Self.dialbackAuthenticated()
        let iq = "<iq from='a@peer.example/r' to='b@home.example' type='get' id='q1'/>"
        guard case .bounce(let error) = m.elementReceived(try Self.element(iq)) else { return #expect(Bool(false)) }
        #expect(error[attribute: "to"] == "a@peer.example/r")
        #expect(error[attribute: "type"] == "error")
        #expect(StanzaError(try #require(error.child(named: "error")))?.condition == .badRequest)
    }

    @Test func closingAndParseErrors() throws {
        var m = try Self.dialbackAuthenticated()
        #expect(m.streamClosed() == .closeStream)
        #expect(m.streamClosed() == .none)
        var fresh = Self.machine()
        guard
            case .closeWithStreamError(let error, let opening) = fresh.parseFailed(
                XMLStreamError(code: .notWellFormed, reason: "bad"))
        else { return #expect(Bool(false)) }
        #expect(error.condition == .notWellFormed)
        #expect(opening?.from == "home.example")
    }
}
