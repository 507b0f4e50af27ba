import Testing

@testable import XMPPCore

/// XEP-0185 key generation and XEP-0220 element parsing.
@Suite struct DialbackTests {
    static let keys = DialbackKeyGenerator(secret: Array("s3cr3tf0rd14lb4ck".utf8))

    /// The XEP-0185 §3 inputs; the expected key was computed independently with Python's `hmac` and `hashlib`
    /// (HMAC key = hex of SHA256(secret), a7136eb1…9acc, as in the XEP).
    @Test func keyMatchesAnIndependentImplementationOfXEP0185() {
        let key = Self.keys.key(receiving: "example.net", originating: "example.com", streamID: "D60000229F")
        #expect(key == "008c689ff366b50c63d69a3e2d2c0e0e1f8404b0118eb688a0102c87cb691bdc")
    }

    @Test func keyIsBoundToBothDomainsAndTheStream() {
        let key = Self.keys.key(receiving: "r.example", originating: "o.example", streamID: "s1")
        #expect(Self.keys.isValid(key, receiving: "r.example", originating: "o.example", streamID: "s1"))
        #expect(Self.keys.isValid(key.uppercased(), receiving: "r.example", originating: "o.example", streamID: "s1"))
        #expect(!Self.keys.isValid(key, receiving: "o.example", originating: "r.example", streamID: "s1"))
        #expect(!Self.keys.isValid(key, receiving: "r.example", originating: "o.example", streamID: "s2"))
        #expect(
            !Self.keys.isValid(String(key.dropLast()), receiving: "r.example", originating: "o.example", streamID: "s1")
        )
        let other = DialbackKeyGenerator(secret: Array("another secret".utf8))
        #expect(!other.isValid(key, receiving: "r.example", originating: "o.example", streamID: "s1"))
    }

    @Test func requestsAndAnswersRoundTrip() throws {
        let request = DialbackElement(.verify, from: "r.example", to: "o.example", id: "s1", key: "abc")
        #expect(DialbackElement(request.makeElement()) == request)
        let answer = request.answer(.valid)
        #expect(answer.from == "o.example" && answer.to == "r.example" && answer.id == "s1" && answer.key == nil)
        let parsed = try #require(DialbackElement(answer.makeElement()))
        #expect(parsed.type == .valid)
        #expect(
            request.makeElement().serialized()
                == "<verify xmlns='jabber:server:dialback' from='r.example' id='s1' to='o.example'>abc</verify>")
    }

    @Test func errorAnswersCarryTheStanzaErrorInTheStreamNamespace() throws {
        let answer = DialbackElement(.result, from: "r.example", to: "o.example")
            .answer(.error, error: StanzaError(.itemNotFound))
        let element = answer.makeElement()
        let error = try #require(element.child(named: "error"))
        #expect(error.namespace == Namespace.server)
        #expect(DialbackElement(element)?.error?.condition == .itemNotFound)
    }

    @Test(arguments: [
        XMLElement(
            name: "result", namespace: Namespace.dialback, attributes: ["to": "r.example"], children: [.text("k")]),
        XMLElement(name: "result", namespace: Namespace.dialback, attributes: ["from": "o", "to": "r"]),
        XMLElement(
            name: "verify", namespace: Namespace.dialback, attributes: ["from": "o", "to": "r"], children: [.text("k")]),
        XMLElement(
            name: "result", namespace: Namespace.dialback, attributes: ["from": "o", "to": "r", "type": "maybe"]),
        XMLElement(
            name: "result", namespace: Namespace.server, attributes: ["from": "o", "to": "r"], children: [.text("k")]),
    ])
    func malformedElementsAreRejected(element: XMLElement) {
        #expect(DialbackElement(element) == nil)
    }

    @Test func stanzasMoveBetweenContentNamespacesWithTheirPayload() {
        var message = XMLElement(name: "message", namespace: Namespace.client, attributes: ["to": "a@b"])
        message.append(XMLElement(name: "body", namespace: Namespace.client, children: [.text("hi")]))
        message.append(XMLElement(name: "x", namespace: "urn:other"))
        let server = message.rebindingContentNamespace(from: Namespace.client, to: Namespace.server)
        #expect(server.namespace == Namespace.server)
        #expect(server.child(named: "body")?.namespace == Namespace.server)
        #expect(server.child(named: "x")?.namespace == "urn:other")
        #expect(server.rebindingContentNamespace(from: Namespace.server, to: Namespace.client) == message)
    }
}

extension DialbackTests {
    @Test func dialbackGoesOnTheWireWithTheDBPrefixAndParsesBack() throws {
        let request = DialbackElement(.result, from: "o.example", to: "r.example", key: "k&y")
        let text = S2SStreamOpening.wire(request.makeElement())
        #expect(text == "<db:result from='o.example' to='r.example'>k&amp;y</db:result>")
        let error = DialbackElement(.result, from: "r.example", to: "o.example").answer(
            .error, error: StanzaError(.itemNotFound))
        let errorText = S2SStreamOpening.wire(error.makeElement())
        #expect(errorText.hasPrefix("<db:result from='o.example' to='r.example' type='error'><error type='cancel'>"))
        var parser = XMLStreamParser()
        let header = S2SStreamOpening(id: "1", from: "r.example", to: "o.example").serialized()
        let events = try parser.feed(header + text + errorText)
        let parsed = events.compactMap { if case .element(let e) = $0 { DialbackElement(e) } else { nil } }
        #expect(parsed == [request, error])
        let message = XMLElement(name: "message", namespace: Namespace.server, attributes: ["to": "a@b"])
        #expect(S2SStreamOpening.wire(message) == "<message to='a@b'/>")
    }
}
