import Testing
import XMPPClient
import XMPPCore

/// Client negotiation transcripts: "client sends …, server replies …", replayed without sockets
/// (RFC 6120 §4–§7).
@Suite struct C2SClientStateMachineTests {
    static let startTLSFeatures =
        "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>"

    @Test func scramSHA256OverSTARTTLSWithTheRFC7677Exchange() throws {
        var client = C2SClientStateMachine.fixture(.password(username: "user", password: "pencil"))
        // C: <stream:stream to='intercloud.localhost'>
        #expect(client.start() == .openStream(XML.clientHeader()))
        // S: <stream:stream from='intercloud.localhost'> <features><starttls><required/></starttls></features>
        #expect(client.streamOpened(try XML.header()) == .none)
        #expect(client.streamID == "s1")
        // C: <starttls/>  S: <proceed/>  → TLS, then a fresh stream that now names us
        #expect(
            client.elementReceived(try XML.element(Self.startTLSFeatures))
                == .send(try XML.element("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")))
        #expect(
            client.elementReceived(try XML.element("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")) == .startTLS)
        #expect(client.tlsStarted() == .openStream(XML.clientHeader(from: "user@intercloud.localhost")))
        #expect(client.isSecured)
        #expect(client.streamOpened(try XML.header("from='intercloud.localhost' id='s2' version='1.0'")) == .none)
        // S: mechanisms  C: <auth mechanism='SCRAM-SHA-256'>n,,n=user,r=…</auth>
        let auth = client.elementReceived(
            try XML.element(C2SClientStateMachine.mechanisms("SCRAM-SHA-1", "SCRAM-SHA-256", "PLAIN")))
        let clientFirst = XML.base64("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        #expect(
            auth
                == .send(
                    try XML.element(
                        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>\(clientFirst)</auth>"
                    )))
        // S: server-first  C: client-final with the proof of RFC 7677 §3
        let serverFirst = XML.base64(
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
        let clientFinal = XML.base64(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        #expect(
            client.elementReceived(
                try XML.element("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>\(serverFirst)</challenge>"))
                == .send(
                    try XML.element("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>\(clientFinal)</response>")))
        // S: <success>v=…</success> with the right server signature → restart
        let serverFinal = XML.base64("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
        #expect(
            client.elementReceived(
                try XML.element("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>\(serverFinal)</success>"))
                == .openStream(XML.clientHeader(from: "user@intercloud.localhost")))
        // S: header + <bind/>  C: bind with the requested resource  S: result → established
        #expect(client.streamOpened(try XML.header("from='intercloud.localhost' id='s3' version='1.0'")) == .none)
        #expect(
            client.elementReceived(
                try XML.element(
                    "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
                        + "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session>"
                        + "</stream:features>"))
                == .send(
                    try XML.element(
                        "<iq type='set' id='bind-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                            + "<resource>harness</resource></bind></iq>")))
        let jid = try JID(parsing: "user@intercloud.localhost/harness")
        #expect(
            client.elementReceived(
                try XML.element(
                    "<iq type='result' id='bind-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                        + "<jid>user@intercloud.localhost/harness</jid></bind></iq>")) == .established(jid))
        #expect(client.isEstablished)
        #expect(client.boundJID == jid)
    }

    @Test func aWrongServerSignatureIsRejected() throws {
        var client = C2SClientStateMachine.fixture(.password(username: "user", password: "pencil"))
        try client.advanceToSecuredFeatures()
        _ = client.elementReceived(try XML.element(C2SClientStateMachine.mechanisms("SCRAM-SHA-256")))
        let serverFirst = XML.base64(
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
        _ = client.elementReceived(
            try XML.element("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>\(serverFirst)</challenge>"))
        let forged = XML.base64("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
        let action = client.elementReceived(
            try XML.element("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>\(forged)</success>"))
        guard case .closeConnection(true, let error?) = action else {
            Issue.record("expected a terminal action, got \(action)")
            return
        }
        #expect(error.code == .serverAuthenticationFailed)
        #expect(!client.isEstablished)
    }

    @Test func aSASLFailureIsTerminalWithItsCondition() throws {
        var client = C2SClientStateMachine.fixture(.password(username: "alpha", password: "wrong"))
        try client.advanceToSecuredFeatures()
        _ = client.elementReceived(try XML.element(C2SClientStateMachine.mechanisms("SCRAM-SHA-256")))
        let action = client.elementReceived(
            try XML.element(
                "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/>"
                    + "<text xml:lang='en'>bad proof</text></failure>"))
        #expect(
            action
                == .closeConnection(
                    sendClosingTag: true,
                    error: XMPPClientError(
                        .authenticationFailed, "SCRAM-SHA-256 failed: not-authorized: bad proof",
                        saslFailure: .notAuthorized)))
        #expect(client.elementReceived(try XML.element("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")) == .none)
    }

    @Test func externalSendsTheAuthzidOrAnEmptyResponse() throws {
        var withAuthzid = C2SClientStateMachine.fixture(.external(authzid: "alpha@intercloud.localhost"))
        _ = withAuthzid.start()
        _ = withAuthzid.streamOpened(try XML.header())
        _ = withAuthzid.elementReceived(try XML.element(Self.startTLSFeatures))
        _ = withAuthzid.elementReceived(try XML.element("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"))
        #expect(withAuthzid.tlsStarted() == .openStream(XML.clientHeader(from: "alpha@intercloud.localhost")))
        _ = withAuthzid.streamOpened(try XML.header())
        let authzid = XML.base64("alpha@intercloud.localhost")
        #expect(
            withAuthzid.elementReceived(try XML.element(C2SClientStateMachine.mechanisms("EXTERNAL", "SCRAM-SHA-256")))
                == .send(
                    try XML.element(
                        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>\(authzid)</auth>")))

        var without = C2SClientStateMachine.fixture(.external(authzid: nil))
        try without.advanceToSecuredFeatures()
        #expect(
            without.elementReceived(try XML.element(C2SClientStateMachine.mechanisms("EXTERNAL")))
                == .send(
                    try XML.element("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>")))
        // RFC 4422 §4: an empty challenge asks for the (empty) response.
        #expect(
            without.elementReceived(
                try XML.element("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>=</challenge>"))
                == .send(try XML.element("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>=</response>")))
    }

    @Test func externalNotOfferedMeansNoSupportedMechanism() throws {
        var client = C2SClientStateMachine.fixture(.external(authzid: nil))
        try client.advanceToSecuredFeatures()
        let action = client.elementReceived(
            try XML.element(C2SClientStateMachine.mechanisms("SCRAM-SHA-256", "PLAIN")))
        guard case .closeConnection(true, let error?) = action else {
            Issue.record("expected a terminal action, got \(action)")
            return
        }
        #expect(error.code == .noSupportedMechanism)
        #expect(error.reason.contains("SCRAM-SHA-256 PLAIN"))
    }

    @Test func plainIsUsedOnlyInsideTLS() throws {
        let plainFirst = C2SClientStateMachine.Authentication.password(
            username: "alpha", password: "secret", mechanisms: [.plain, .scramSHA1])
        // Plaintext stream (a benchmark server): PLAIN is skipped, SCRAM-SHA-1 chosen.
        var clear = C2SClientStateMachine.fixture(plainFirst, requireTLS: false)
        _ = clear.start()
        _ = clear.streamOpened(try XML.header())
        let clearAuth = clear.elementReceived(try XML.element(C2SClientStateMachine.mechanisms("PLAIN", "SCRAM-SHA-1")))
        guard case .send(let auth) = clearAuth else {
            Issue.record("expected <auth/>, got \(clearAuth)")
            return
        }
        #expect(auth[attribute: "mechanism"] == "SCRAM-SHA-1")
        // Inside TLS: PLAIN, as asked, with `\0user\0password`.
        var secured = C2SClientStateMachine.fixture(plainFirst)
        try secured.advanceToSecuredFeatures()
        #expect(
            secured.elementReceived(try XML.element(C2SClientStateMachine.mechanisms("PLAIN", "SCRAM-SHA-1")))
                == .send(
                    try XML.element(
                        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                            + "\(XML.base64("\u{0}alpha\u{0}secret"))</auth>")))
    }

    @Test func withoutSTARTTLSTheClientRefusesToAuthenticate() throws {
        var client = C2SClientStateMachine.fixture(.password(username: "alpha", password: "secret"))
        _ = client.start()
        _ = client.streamOpened(try XML.header())
        #expect(
            client.elementReceived(try XML.element(C2SClientStateMachine.mechanisms("SCRAM-SHA-256", "PLAIN")))
                == .closeConnection(
                    sendClosingTag: true,
                    error: XMPPClientError(.tlsUnavailable, "the server does not offer STARTTLS")))
    }

    @Test func aRefusedSTARTTLSIsTerminal() throws {
        var client = C2SClientStateMachine.fixture(.password(username: "alpha", password: "secret"))
        _ = client.start()
        _ = client.streamOpened(try XML.header())
        _ = client.elementReceived(try XML.element(Self.startTLSFeatures))
        #expect(
            client.elementReceived(try XML.element("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"))
                == .closeConnection(
                    sendClosingTag: false, error: XMPPClientError(.tlsFailed, "the server refused STARTTLS")))
    }

    @Test func directTLSGoesStraightToSASL() throws {
        var client = C2SClientStateMachine.fixture(.password(username: "alpha", password: "s"), secured: true)
        #expect(client.start() == .openStream(XML.clientHeader(from: "alpha@intercloud.localhost")))
        _ = client.streamOpened(try XML.header())
        let action = client.elementReceived(try XML.element(C2SClientStateMachine.mechanisms("SCRAM-SHA-256")))
        guard case .send(let auth) = action else {
            Issue.record("expected <auth/>, got \(action)")
            return
        }
        #expect(auth.name == "auth")
    }
}
