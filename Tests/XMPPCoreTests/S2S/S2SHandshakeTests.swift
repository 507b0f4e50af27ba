import Testing

@testable import XMPPCore

/// Both machines talking to each other through serialized XML and real parsers, TLS simulated: what one writes,
/// the other must read (RFC 6120 §4–§6, XEP-0220).
@Suite struct S2SHandshakeTests {
    /// Carries bytes between an initiating machine (`home.example`) and a receiving one (`peer.example`).
    struct Wire {
        var initiator: S2SInitiatingStateMachine
        var receiver: S2SReceivingStateMachine
        var toReceiver = XMLStreamParser()
        var toInitiator = XMLStreamParser()
        var certificateValid: Bool
        var authoritative: DialbackKeyGenerator
        var delivered: [Stanza] = []
        var established = false
        var failure: String?

        mutating func start() throws {
            try self.initiatorDid(self.initiator.connected())
        }

        mutating func initiatorDid(_ action: S2SInitiatingStateMachine.Action) throws {
            switch action {
            case .openStream(let opening), .restartStream(let opening):
                if case .restartStream = action { self.toInitiator.reset() }
                try self.feedReceiver(opening.serialized())
            case .send(let elements):
                try self.feedReceiver(elements.map(S2SStreamOpening.wire).joined())
            case .startTLS:
                self.toInitiator.reset()
                self.toReceiver.reset()
                try self.receiverDid(self.receiver.tlsEstablished(peerCertificate: true))
                try self.initiatorDid(self.initiator.tlsEstablished())
            case .established:
                self.established = true
            case .fail(_, let reason):
                self.failure = reason
            case .none, .verified, .closeStream:
                break
            }
        }

        mutating func receiverDid(_ action: S2SReceivingStateMachine.Action) throws {
            switch action {
            case .openStream(let opening, let features):
                var text = opening.serialized() + "<stream:features>"
                for feature in features.elements { feature.serialize(into: &text, parentNamespace: Namespace.server) }
                try self.feedInitiator(text + "</stream:features>")
            case .send(let element), .startTLS(let element), .authenticated(let element, _):
                if case .authenticated = action { self.toReceiver.reset() }
                try self.feedInitiator(S2SStreamOpening.wire(element))
            case .validateCertificate:
                try self.receiverDid(self.receiver.certificateValidated(self.certificateValid))
            case .verifyDialback(let v):
                let valid = self.authoritative.isValid(
                    v.key, receiving: v.receiving, originating: v.originating, streamID: v.streamID)
                try self.receiverDid(self.receiver.dialbackVerified(v, outcome: valid ? .valid : .invalid))
            case .deliver(let stanza):
                self.delivered.append(stanza)
            case .closeWithStreamError(let error, _):
                self.failure = error.description
            case .none, .bounce, .closeStream:
                break
            }
        }

        mutating func feedReceiver(_ text: String) throws {
            for event in try self.toReceiver.feed(text) {
                switch event {
                case .streamOpen(let header): try self.receiverDid(self.receiver.streamOpened(header))
                case .element(let element): try self.receiverDid(self.receiver.elementReceived(element))
                case .streamClose: try self.receiverDid(self.receiver.streamClosed())
                }
            }
        }

        mutating func feedInitiator(_ text: String) throws {
            for event in try self.toInitiator.feed(text) {
                switch event {
                case .streamOpen(let header): try self.initiatorDid(self.initiator.streamOpened(header))
                case .element(let element): try self.initiatorDid(self.initiator.elementReceived(element))
                case .streamClose: try self.initiatorDid(self.initiator.streamClosed())
                }
            }
        }
    }

    static func wire(certificateValid: Bool, homeSecret: String = "home", checkedWith: String = "home") -> Wire {
        let receiver = S2SReceivingStateMachine(
            configuration: .init(
                domain: "peer.example", keys: DialbackKeyGenerator(secret: Array("peer".utf8)),
                streamIDGenerator: { "stream-1" }))
        let initiator = S2SInitiatingStateMachine(
            configuration: .init(
                localDomain: "home.example", remoteDomain: "peer.example",
                keys: DialbackKeyGenerator(secret: Array(homeSecret.utf8))))
        return Wire(
            initiator: initiator, receiver: receiver, certificateValid: certificateValid,
            authoritative: DialbackKeyGenerator(secret: Array(checkedWith.utf8)))
    }

    static func sendMessage(_ wire: inout Wire) throws {
        var message = XMLElement(
            name: "message", namespace: Namespace.client,
            attributes: ["from": "a@home.example/r", "to": "b@peer.example"])
        message.append(XMLElement(name: "body", namespace: Namespace.client, children: [.text("hello")]))
        try wire.feedReceiver(
            message.rebindingContentNamespace(from: Namespace.client, to: Namespace.server)
                .serialized(parentNamespace: Namespace.server))
    }

    @Test func externalOnATrustedCertificate() throws {
        var wire = Self.wire(certificateValid: true)
        try wire.start()
        #expect(wire.established && wire.failure == nil)
        #expect(wire.receiver.authenticatedDomains == ["home.example"])
        try Self.sendMessage(&wire)
        #expect(wire.delivered.map { $0.element.child(named: "body", namespace: Namespace.client)?.text } == ["hello"])
    }

    @Test func dialbackWhenTheCertificateIsNotTrusted() throws {
        var wire = Self.wire(certificateValid: false)
        try wire.start()
        #expect(wire.established && wire.failure == nil)
        try Self.sendMessage(&wire)
        #expect(wire.delivered.count == 1)
    }

    @Test func aKeyTheAuthoritativeServerDoesNotRecogniseKeepsTheStreamClosedToStanzas() throws {
        var wire = Self.wire(certificateValid: false, homeSecret: "home", checkedWith: "someone else")
        try wire.start()
        #expect(!wire.established)
        #expect(wire.failure?.contains("invalid") == true)
        #expect(wire.receiver.authenticatedDomains.isEmpty)
    }
}
