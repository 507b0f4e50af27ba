import Testing

@testable import XMPPCore

/// The element model and its serializer (RFC 6120 §4.8.3, §11).
@Suite struct XMLElementTests {
    /// Parses `element` as the only stanza of a `jabber:client` stream.
    static func reparse(_ element: XMLElement) throws -> XMLElement? {
        var parser = XMLStreamParser()
        let events = try parser.feed(
            "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                + element.serialized(parentNamespace: Namespace.client))
        guard events.count == 2, case .element(let parsed) = events[1] else { return nil }
        return parsed
    }

    static let nested: XMLElement = {
        var query = XMLElement(
            name: "query", namespace: Namespace.discoInfo, attributes: ["node": "a'b\"c<d>&e"])
        query.append(XMLElement(name: "identity", namespace: Namespace.discoInfo, attributes: ["category": "server"]))
        query.append(XMLElement(name: "feature", namespace: Namespace.discoInfo, attributes: ["var": Namespace.ping]))
        query.append(
            XMLElement(
                name: "x", namespace: "jabber:x:data",
                attributes: ["{urn:example:a}flag": "1", "{urn:example:b}flag": "2", "xml:lang": "de"],
                children: [.element(XMLElement(name: "plain")), .text("t")]))
        var iq = XMLElement(name: "iq", namespace: Namespace.client, attributes: ["type": "result", "id": "1"])
        iq.append(query)
        iq.append(XMLElement(name: "unqualified", children: [.element(XMLElement(name: "deeper"))]))
        return iq
    }()

    @Test func serializationOmitsInheritedNamespaces() {
        var message = XMLElement(name: "message", namespace: Namespace.client, attributes: ["to": "a@b", "id": "1"])
        message.append(XMLElement(name: "body", namespace: Namespace.client, children: [.text("hi")]))
        message.append(XMLElement(name: "ping", namespace: Namespace.ping))
        #expect(
            message.serialized(parentNamespace: Namespace.client)
                == "<message id='1' to='a@b'><body>hi</body><ping xmlns='urn:xmpp:ping'/></message>")
        #expect(message.serialized().hasPrefix("<message xmlns='jabber:client' id='1'"))
    }

    @Test func unqualifiedChildGetsEmptyNamespace() {
        let parent = XMLElement(name: "a", namespace: "urn:a", children: [.element(XMLElement(name: "b"))])
        #expect(parent.serialized() == "<a xmlns='urn:a'><b xmlns=''/></a>")
        #expect(XMLElement(name: "b").serialized() == "<b/>")
    }

    @Test func escaping() {
        let element = XMLElement(
            name: "body", attributes: ["a": "&<>'\"\t\n"], children: [.text("&<>'\"\r\u{0}")])
        #expect(
            element.serialized()
                == "<body a='&amp;&lt;&gt;&apos;&quot;&#x9;&#xA;'>&amp;&lt;&gt;'\"&#xD;\u{FFFD}</body>")
    }

    @Test func namespacedAttributesGetGeneratedPrefixes() {
        let element = XMLElement(name: "x", namespace: "urn:x", attributes: ["{urn:y}a": "1", "xml:lang": "en"])
        #expect(element.serialized() == "<x xmlns='urn:x' xmlns:ns1='urn:y' xml:lang='en' ns1:a='1'/>")
    }

    @Test func roundTripThroughTheParser() throws {
        #expect(try Self.reparse(Self.nested) == Self.nested)
        let text = XMLElement(
            name: "message", namespace: Namespace.client, attributes: ["a": "'\"&<>\t\n\r x"],
            children: [
                .element(XMLElement(name: "body", namespace: Namespace.client, children: [.text("&<>'\"\r\n ☃")]))
            ])
        #expect(try Self.reparse(text) == text)
    }

    @Test func accessors() {
        var element = Self.nested
        #expect(element.elements.count == 2)
        #expect(element.child(named: "query")?.namespace == Namespace.discoInfo)
        #expect(element.child(named: "query", namespace: Namespace.client) == nil)
        #expect(element.child(named: "query", namespace: Namespace.discoInfo)?.children(named: "feature").count == 1)
        #expect(element.child(named: "unqualified", namespace: nil)?.namespace == nil)
        element[attribute: "id"] = nil
        element[attribute: "to"] = "x@y"
        #expect(element.attributes == ["type": "result", "to": "x@y"])
        var body = XMLElement(name: "body")
        body.append(text: "a")
        body.append(text: "")
        body.append(text: "b")
        body.append(XMLElement(name: "br"))
        body.append(text: "c")
        #expect(body.children.count == 3)
        #expect(body.text == "abc")
    }
}
