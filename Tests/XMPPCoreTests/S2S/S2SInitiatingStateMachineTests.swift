import Foundation
import Testing

@testable import XMPPCore

/// Transcripts of the initiating side of s2s streams (RFC 6120 §4–§6, XEP-0178 §4, XEP-0220 §2.1).
@Suite struct S2SInitiatingStateMachineTests {
    static let keys = DialbackKeyGenerator(secret: Array("ours".utf8))

    static func machine(dialback: Bool = true) -> S2SInitiatingStateMachine {
        S2SInitiatingStateMachine(
            configuration: .init(
                localDomain: "home.example", remoteDomain: "peer.example", dialback: dialback, keys: Self.keys))
    }

    static let peerHeader =
        "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
        + "xmlns:db='jabber:server:dialback' from='peer.example' to='home.example' id='ID' version='1.0'>"

    static func headerElement(id: String = "ID") throws -> XMLElement {
        var parser = XMLStreamParser()
        let text = Self.peerHeader.replacingOccurrences(of: "id='ID'", with: "id='\(id)'")
        guard case .streamOpen(let header)? = try parser.feed(text).first else { throw StanzaError(.badRequest) }
        return header
    }

    static func element(_ xml: String) throws -> XMLElement {
        var parser = XMLStreamParser()
        let events = try parser.feed(Self.peerHeader + xml)
        guard case .element(let element)? = events.last else { throw StanzaError(.badRequest) }
        return element
    }

    static let startTLSFeatures =
        "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>"
    static let externalFeatures =
        "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism>"
        + "</mechanisms><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>"
    static let dialbackFeatures = "<stream:features><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>"

    /// Our header, the peer's, STARTTLS, TLS, and the second header: ready for the post-TLS features.
    static func secured(_ m: inout S2SInitiatingStateMachine) throws {
        _ = m.connected()
        _ = m.streamOpened(try Self.headerElement(id: "plain"))
        _ = m.elementReceived(try Self.element(Self.startTLSFeatures))
        _ = m.elementReceived(try Self.element("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"))
        _ = m.tlsEstablished()
        _ = m.streamOpened(try Self.headerElement(id: "tls"))
    }

    @Test func externalTranscript() throws {
        var m = Self.machine()
        #expect(m.connected() == .openStream(S2SStreamOpening(id: nil, from: "home.example", to: "peer.example")))
        #expect(m.streamOpened(try Self.headerElement()) == .none)
        #expect(
            m.elementReceived(try Self.element(Self.startTLSFeatures))
                == .send([XMLElement(name: "starttls", namespace: Namespace.tls)]))
        #expect(m.elementReceived(try Self.element("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")) == .startTLS)
        #expect(m.tlsEstablished() == .openStream(S2SStreamOpening(id: nil, from: "home.example", to: "peer.example")))
        _ = m.streamOpened(try Self.headerElement(id: "tls"))
        guard case .send(let sent) = m.elementReceived(try Self.element(Self.externalFeatures)) else {
            Issue.record("expected <auth/>")
            return
        }
        #expect(sent.count == 1)
        #expect(sent[0][attribute: "mechanism"] == "EXTERNAL")
        #expect(sent[0].text == Data("home.example".utf8).base64EncodedString())
        guard
            case .restartStream = m.elementReceived(
                try Self.element("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"))
        else {
            Issue.record("expected a restart")
            return
        }
        #expect(!m.isEstablished)
        _ = m.streamOpened(try Self.headerElement(id: "auth"))
        #expect(m.elementReceived(try Self.element("<stream:features/>")) == .established)
        #expect(m.isEstablished)
    }

    @Test func dialbackFollowsARefusedExternalWithAKeyForTheCurrentStream() throws {
        var m = Self.machine()
        try Self.secured(&m)
        _ = m.elementReceived(try Self.element(Self.externalFeatures))
        let failure = "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>"
        guard case .send(let sent) = m.elementReceived(try Self.element(failure)) else {
            Issue.record("expected <db:result/>")
            return
        }
        let key = Self.keys.key(receiving: "peer.example", originating: "home.example", streamID: "tls")
        #expect(
            DialbackElement(sent[0]) == DialbackElement(.result, from: "home.example", to: "peer.example", key: key))
        let valid = "<db:result from='peer.example' to='home.example' type='valid'/>"
        #expect(m.elementReceived(try Self.element(valid)) == .established)
    }

    @Test func dialbackIsUsedDirectlyWhenExternalIsNotOffered() throws {
        var m = Self.machine()
        try Self.secured(&m)
        guard case .send(let sent) = m.elementReceived(try Self.element(Self.dialbackFeatures)) else {
            Issue.record("expected <db:result/>")
            return
        }
        #expect(DialbackElement(sent[0])?.kind == .result)
        let invalid = "<db:result from='peer.example' to='home.example' type='invalid'/>"
        guard case .fail(nil, let reason) = m.elementReceived(try Self.element(invalid)) else {
            Issue.record("expected failure")
            return
        }
        #expect(reason.contains("invalid"))
    }

    @Test func withoutDialbackOrExternalThereIsNoWayIn() throws {
        var m = Self.machine(dialback: false)
        try Self.secured(&m)
        guard case .fail(nil, _) = m.elementReceived(try Self.element(Self.dialbackFeatures)) else {
            Issue.record("expected failure")
            return
        }
        var refused = Self.machine(dialback: false)
        try Self.secured(&refused)
        _ = refused.elementReceived(try Self.element(Self.externalFeatures))
        let failure = "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>"
        guard case .fail(nil, let reason) = refused.elementReceived(try Self.element(failure)) else {
            Issue.record("expected failure")
            return
        }
        #expect(reason.contains("not-authorized"))
    }

    @Test func aPeerWithoutStartTLSIsLeft() throws {
        var m = Self.machine()
        _ = m.connected()
        _ = m.streamOpened(try Self.headerElement())
        guard case .fail(let error, _) = m.elementReceived(try Self.element(Self.dialbackFeatures)) else {
            Issue.record("expected failure")
            return
        }
        #expect(error?.condition == .policyViolation)
    }

    @Test func verificationsWaitForTLSThenTravelAndAreAnswered() throws {
        var m = Self.machine()
        let v = DialbackVerification(originating: "peer.example", receiving: "home.example", streamID: "in1", key: "kk")
        _ = m.connected()
        #expect(m.requestVerification(v) == .none)
        _ = m.streamOpened(try Self.headerElement(id: "plain"))
        _ = m.elementReceived(try Self.element(Self.startTLSFeatures))
        _ = m.elementReceived(try Self.element("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"))
        _ = m.tlsEstablished()
        _ = m.streamOpened(try Self.headerElement(id: "tls"))
        guard case .send(let sent) = m.elementReceived(try Self.element(Self.dialbackFeatures)) else {
            Issue.record("expected elements")
            return
        }
        #expect(sent.map(\.name) == ["verify", "result"])
        #expect(DialbackElement(sent[0]) == v.verifyElement)
        #expect(m.unansweredVerifications == [v])
        let answer = "<db:verify from='peer.example' to='home.example' id='in1' type='valid'/>"
        #expect(m.elementReceived(try Self.element(answer)) == .verified(v, .valid))
        #expect(m.unansweredVerifications.isEmpty)
        let second = DialbackVerification(
            originating: "peer.example", receiving: "home.example", streamID: "in2", key: "k2")
        #expect(m.requestVerification(second) == .send([second.verifyElement.makeElement()]))
    }

    @Test func aStreamErrorFromThePeerFailsTheStream() throws {
        var m = Self.machine()
        _ = m.connected()
        _ = m.streamOpened(try Self.headerElement())
        let error = "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"
        guard case .fail(nil, let reason) = m.elementReceived(try Self.element(error)) else {
            Issue.record("expected failure")
            return
        }
        #expect(reason.contains("host-unknown"))
        #expect(m.streamClosed() == .none)
    }
}
