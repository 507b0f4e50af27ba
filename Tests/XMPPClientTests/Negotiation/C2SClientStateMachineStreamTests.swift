import Testing
import XMPPClient
import XMPPCore

/// Transcripts of stream-level events: headers, stream errors, binding, the established stream and closing
/// (RFC 6120 §4, §7, §8).
@Suite struct C2SClientStateMachineStreamTests {
    static let plainOnly = C2SClientStateMachine.Authentication.password(
        username: "alpha", password: "secret", mechanisms: [.plain])

    @Test func aStreamErrorEndsNegotiationWithItsCondition() throws {
        var client = C2SClientStateMachine.fixture(Self.plainOnly)
        _ = client.start()
        _ = client.streamOpened(try XML.header())
        let action = client.elementReceived(
            try XML.element(
                "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                    + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>too many connections</text></stream:error>"))
        let expected = StreamError(.policyViolation, text: "too many connections")
        guard case .closeConnection(true, let error?) = action else {
            Issue.record("expected a terminal action, got \(action)")
            return
        }
        #expect(error.code == .streamError)
        #expect(error.streamError == expected)
        #expect(client.streamClosed() == .none)
    }

    @Test func anUnknownStreamErrorConditionReadsAsUndefined() throws {
        var client = C2SClientStateMachine.fixture(Self.plainOnly)
        try client.advanceToEstablished()
        let action = client.elementReceived(
            try XML.element("<stream:error><made-up xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"))
        guard case .closeConnection(_, let error?) = action else {
            Issue.record("expected a terminal action, got \(action)")
            return
        }
        #expect(error.streamError == StreamError(.undefinedCondition))
    }

    @Test func aForeignStreamHeaderIsAnsweredWithAStreamError() throws {
        var wrongNamespace = C2SClientStateMachine.fixture(Self.plainOnly)
        _ = wrongNamespace.start()
        var parser = XMLStreamParser()
        let events = try parser.feed(
            "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")
        guard case .streamOpen(let header)? = events.first else {
            Issue.record("no header parsed")
            return
        }
        let action = wrongNamespace.streamOpened(header)
        guard case .closeWithStreamError(let streamError, let error) = action else {
            Issue.record("expected a stream error, got \(action)")
            return
        }
        #expect(streamError.condition == .invalidNamespace)
        #expect(error.code == .protocolViolation)

        var wrongHost = C2SClientStateMachine.fixture(Self.plainOnly)
        _ = wrongHost.start()
        let hostAction = wrongHost.streamOpened(try XML.header("from='evil.example' id='x' version='1.0'"))
        guard case .closeWithStreamError(let hostError, _) = hostAction else {
            Issue.record("expected a stream error, got \(hostAction)")
            return
        }
        #expect(hostError.condition == .invalidFrom)

        var noVersion = C2SClientStateMachine.fixture(Self.plainOnly)
        _ = noVersion.start()
        guard case .closeWithStreamError(let versionError, _) = noVersion.streamOpened(try XML.header("id='x'")) else {
            Issue.record("expected a stream error")
            return
        }
        #expect(versionError.condition == .unsupportedVersion)
    }

    @Test func unparsableXMLBecomesTheMatchingStreamError() {
        var client = C2SClientStateMachine.fixture(Self.plainOnly)
        _ = client.start()
        let action = client.parseFailed(XMLStreamError(code: .restrictedXML, reason: "comments are not allowed"))
        guard case .closeWithStreamError(let streamError, let error) = action else {
            Issue.record("expected a stream error, got \(action)")
            return
        }
        #expect(streamError == StreamError(.restrictedXML, text: "comments are not allowed"))
        #expect(error.code == .protocolViolation)
        #expect(client.parseFailed(XMLStreamError(code: .notWellFormed, reason: "again")) == .none)
    }

    @Test func aBindErrorIsTerminalWithTheStanzaError() throws {
        var client = C2SClientStateMachine.fixture(Self.plainOnly)
        try client.advanceToSecuredFeatures()
        _ = client.elementReceived(try XML.element(C2SClientStateMachine.mechanisms("PLAIN")))
        _ = client.elementReceived(try XML.element("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"))
        _ = client.streamOpened(try XML.header())
        _ = client.elementReceived(
            try XML.element("<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>"))
        let action = client.elementReceived(
            try XML.element(
                "<iq type='error' id='bind-1'><error type='modify'>"
                    + "<bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"))
        guard case .closeConnection(true, let error?) = action else {
            Issue.record("expected a terminal action, got \(action)")
            return
        }
        #expect(error.code == .bindFailed)
        #expect(error.stanzaError?.condition == .badRequest)
    }

    @Test func aBoundJIDOfAnotherAccountIsRefused() throws {
        var client = C2SClientStateMachine.fixture(Self.plainOnly)
        try client.advanceToSecuredFeatures()
        _ = client.elementReceived(try XML.element(C2SClientStateMachine.mechanisms("PLAIN")))
        _ = client.elementReceived(try XML.element("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"))
        _ = client.streamOpened(try XML.header())
        _ = client.elementReceived(
            try XML.element("<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>"))
        let action = client.elementReceived(
            try XML.element(
                "<iq type='result' id='bind-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                    + "<jid>mallory@intercloud.localhost/x</jid></bind></iq>"))
        guard case .closeConnection(_, let error?) = action else {
            Issue.record("expected a terminal action, got \(action)")
            return
        }
        #expect(error.code == .bindFailed)
    }

    @Test func aMandatorySessionIsEstablishedAfterBinding() throws {
        var client = C2SClientStateMachine.fixture(Self.plainOnly, resource: nil)
        try client.advanceToSecuredFeatures()
        _ = client.elementReceived(try XML.element(C2SClientStateMachine.mechanisms("PLAIN")))
        _ = client.elementReceived(try XML.element("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"))
        _ = client.streamOpened(try XML.header())
        #expect(
            client.elementReceived(
                try XML.element(
                    "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
                        + "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></stream:features>"))
                == .send(
                    try XML.element(
                        "<iq type='set' id='bind-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>")))
        #expect(
            client.elementReceived(
                try XML.element(
                    "<iq type='result' id='bind-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                        + "<jid>alpha@intercloud.localhost/generated</jid></bind></iq>"))
                == .send(
                    try XML.element(
                        "<iq type='set' id='session-1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>")))
        #expect(
            client.elementReceived(try XML.element("<iq type='result' id='session-1'/>"))
                == .established(try JID(parsing: "alpha@intercloud.localhost/generated")))
    }

    @Test func stanzasAreDeliveredOnceEstablishedAndOthersDropped() throws {
        var client = C2SClientStateMachine.fixture(Self.plainOnly)
        try client.advanceToEstablished()
        let message = try XML.element(
            "<message from='beta@intercloud.localhost/x' to='alpha@intercloud.localhost/harness'><body>hi</body></message>"
        )
        #expect(client.elementReceived(message) == .deliver(try Stanza(message)))
        #expect(client.elementReceived(try XML.element("<r xmlns='urn:xmpp:sm:3'/>")) == .none)
        #expect(client.elementReceived(try XML.element("<message from='@bad'/>")) == .none)
    }

    @Test func closingWaitsForTheServersClosingTag() throws {
        var client = C2SClientStateMachine.fixture(Self.plainOnly)
        try client.advanceToEstablished()
        #expect(client.closeRequested() == .closeStream)
        #expect(client.closeRequested() == .none)
        // Stanzas still in flight are delivered while the server finishes (RFC 6120 §4.4).
        let presence = try XML.element("<presence from='beta@intercloud.localhost/x'/>")
        #expect(client.elementReceived(presence) == .deliver(try Stanza(presence)))
        #expect(client.streamClosed() == .closeConnection(sendClosingTag: false, error: nil))
        #expect(client.connectionLost(reason: "eof") == .none)
    }

    @Test func aServerCloseOrLostConnectionIsReported() throws {
        var closed = C2SClientStateMachine.fixture(Self.plainOnly)
        try closed.advanceToEstablished()
        #expect(
            closed.streamClosed()
                == .closeConnection(
                    sendClosingTag: true, error: XMPPClientError(.closedByServer, "the server closed the stream")))

        var lost = C2SClientStateMachine.fixture(Self.plainOnly)
        _ = lost.start()
        #expect(
            lost.connectionLost(reason: "reset by peer")
                == .closeConnection(sendClosingTag: false, error: XMPPClientError(.connectionLost, "reset by peer")))
    }

    @Test func deadlinesEndNegotiationButNotAnEstablishedStream() throws {
        var slow = C2SClientStateMachine.fixture(Self.plainOnly)
        try slow.advanceToSecuredFeatures()
        #expect(
            slow.deadlineExceeded()
                == .closeConnection(
                    sendClosingTag: true, error: XMPPClientError(.timeout, "negotiation did not finish in time")))

        var established = C2SClientStateMachine.fixture(Self.plainOnly)
        try established.advanceToEstablished()
        #expect(established.deadlineExceeded() == .none)
        _ = established.closeRequested()
        #expect(established.deadlineExceeded() == .closeConnection(sendClosingTag: false, error: nil))
    }

    @Test func aTLSFailureIsTerminal() throws {
        var client = C2SClientStateMachine.fixture(Self.plainOnly)
        _ = client.start()
        _ = client.streamOpened(try XML.header())
        _ = client.elementReceived(try XML.element(C2SClientStateMachineTests.startTLSFeatures))
        _ = client.elementReceived(try XML.element("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"))
        _ = client.tlsStarted()
        #expect(
            client.tlsFailed(reason: "certificate verify failed")
                == .closeConnection(
                    sendClosingTag: false, error: XMPPClientError(.tlsFailed, "certificate verify failed")))
    }
}
