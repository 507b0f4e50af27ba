import Testing
import XMPPClient
import XMPPCore

/// The client machine against the server's own ``C2SNegotiationStateMachine``, bytes passed through the real XML
/// parsers on both sides, no sockets: proves the two ends of RFC 6120 §4–§7 agree.
@Suite struct LoopbackNegotiationTests {
    @Test(arguments: [C2SClientStateMachine.PasswordMechanism.scramSHA256, .scramSHA1, .plain])
    func passwordLoginOverSTARTTLS(mechanism: C2SClientStateMachine.PasswordMechanism) throws {
        var loop = Loopback(
            client: .fixture(.password(username: "alpha", password: "secret", mechanisms: [mechanism])),
            secured: false)
        try loop.run()
        #expect(loop.established == (try JID(parsing: "alpha@intercloud.localhost/harness")))
        #expect(loop.serverAuthenticated == (try JID(parsing: "alpha@intercloud.localhost")))
        #expect(loop.mechanismsUsed == [mechanism.rawValue])
        #expect(loop.clientError == nil)
    }

    @Test func aWrongPasswordFailsWithNotAuthorized() throws {
        var loop = Loopback(client: .fixture(.password(username: "alpha", password: "wrong")), secured: false)
        try loop.run()
        #expect(loop.established == nil)
        #expect(loop.clientError?.code == .authenticationFailed)
        #expect(loop.clientError?.saslFailure == .notAuthorized)
    }

    @Test func externalWithACertificateOverDirectTLS() throws {
        var loop = Loopback(
            client: .fixture(.external(authzid: nil), secured: true), secured: true, clientCertificate: true)
        try loop.run()
        #expect(loop.established == (try JID(parsing: "alpha@intercloud.localhost/harness")))
        #expect(loop.mechanismsUsed == ["EXTERNAL"])
    }

    @Test func externalWithoutACertificateIsNotOffered() throws {
        var loop = Loopback(client: .fixture(.external(authzid: nil)), secured: false, clientCertificate: false)
        try loop.run()
        #expect(loop.established == nil)
        #expect(loop.clientError?.code == .noSupportedMechanism)
    }

    @Test func aClientCloseIsAnsweredByTheServer() throws {
        var loop = Loopback(client: .fixture(.password(username: "alpha", password: "secret")), secured: false)
        try loop.run()
        try loop.client(loop.clientMachine.closeRequested())
        #expect(loop.closedCleanly)
    }
}

/// Passes what each machine sends to the other through an XML stream parser, carrying out the driver duties of
/// both sides (parser resets, credential look-ups, TLS as an instant event).
struct Loopback {
    var clientMachine: C2SClientStateMachine
    var server: C2SNegotiationStateMachine
    var clientCertificate: Bool
    var toServer = XMLStreamParser()
    var toClient = XMLStreamParser(maxStanzaSize: 1 << 20)
    var established: JID?
    var serverAuthenticated: JID?
    var clientError: XMPPClientError?
    var closedCleanly = false
    var mechanismsUsed: [String] = []
    let stored = SCRAMCredentials.derive(password: "secret", salt: Array("salt".utf8), iterations: 4096, hash: .sha256)
    let storedSHA1 = SCRAMCredentials.derive(
        password: "secret", salt: Array("salt".utf8), iterations: 4096, hash: .sha1)

    init(client: C2SClientStateMachine, secured: Bool, clientCertificate: Bool = false) {
        self.clientMachine = client
        self.clientCertificate = clientCertificate
        self.server = C2SNegotiationStateMachine(
            configuration: .init(
                domain: XML.domain, tlsAvailable: true, streamIDGenerator: { "sid" }, resourceGenerator: { "gen" },
                nonceGenerator: { "servernonce" }),
            secured: secured)
        if secured { self.server.directTLSEstablished(clientCertificate: clientCertificate) }
    }

    mutating func run() throws {
        try self.client(self.clientMachine.start())
    }

    mutating func client(_ action: C2SClientStateMachine.Action) throws {
        switch action {
        case .none, .deliver: break
        case .openStream(let header):
            self.toClient.reset()
            try self.toServerBytes(header)
        case .send(let element):
            if element.name == "auth", let mechanism = element[attribute: "mechanism"] {
                self.mechanismsUsed.append(mechanism)
            }
            try self.toServerBytes(element.serialized(parentNamespace: Namespace.client))
        case .startTLS:
            self.toClient.reset()
            try self.client(self.clientMachine.tlsStarted())
        case .established(let jid):
            self.established = jid
        case .closeStream:
            try self.toServerBytes("</stream:stream>")
        case .closeConnection(_, let error):
            self.clientError = error
            self.closedCleanly = error == nil
        case .closeWithStreamError(_, let error):
            self.clientError = error
        }
    }

    mutating func serverAction(_ action: C2SNegotiationStateMachine.Action) throws {
        switch action {
        case .none, .deliver, .resume, .streamManagement: break
        case .gssapiStep:
            // This server is configured without Kerberos, so it never offers GSSAPI.
            throw LoopbackError.unexpected("the server asked for a GSSAPI step")
        case .openStream(let id, let features):
            var text = StreamHeader.opening(id: id, domain: XML.domain) + "<stream:features>"
            for feature in features.elements { feature.serialize(into: &text, parentNamespace: Namespace.client) }
            try self.toClientBytes(text + "</stream:features>")
        case .send(let element), .authenticationFailed(let element, _), .bind(_, let element):
            try self.toClientBytes(element.serialized(parentNamespace: Namespace.client))
        case .startTLS(let proceed):
            self.toServer.reset()
            _ = self.server.tlsEstablished(clientCertificate: self.clientCertificate)
            try self.toClientBytes(proceed.serialized(parentNamespace: Namespace.client))
        case .lookUpCredentials(let username, let hash):
            let credentials = username == "alpha" ? (hash == .sha256 ? self.stored : self.storedSHA1) : nil
            try self.serverAction(self.server.credentialsFound(credentials))
        case .verifyPassword(let username, let password):
            let valid = username == "alpha" && password == "secret"
            try self.serverAction(self.server.passwordChecked(valid ? .valid : .invalid))
        case .verifyCertificate:
            try self.serverAction(self.server.certificateChecked(.success(try JID(parsing: "alpha@\(XML.domain)"))))
        case .authenticated(let success, let jid):
            self.serverAuthenticated = jid
            self.toServer.reset()
            try self.toClientBytes(success.serialized(parentNamespace: Namespace.client))
        case .closeStream:
            try self.toClientBytes("</stream:stream>")
        case .closeWithStreamError(let error, _):
            try self.toClientBytes(error.serialized() + "</stream:stream>")
        }
    }

    private mutating func toServerBytes(_ text: String) throws {
        for event in try self.toServer.feed(text) {
            switch event {
            case .streamOpen(let header): try self.serverAction(self.server.streamOpened(header))
            case .element(let element): try self.serverAction(self.server.elementReceived(element))
            case .streamClose: try self.serverAction(self.server.streamClosed())
            }
        }
    }

    private mutating func toClientBytes(_ text: String) throws {
        for event in try self.toClient.feed(text) {
            switch event {
            case .streamOpen(let header): try self.client(self.clientMachine.streamOpened(header))
            case .element(let element): try self.client(self.clientMachine.elementReceived(element))
            case .streamClose: try self.client(self.clientMachine.streamClosed())
            }
        }
    }
}

/// A server action these loopback tests never expect.
enum LoopbackError: Error {
    case unexpected(String)
}
