import Testing

@testable import XMPPCore

/// The stream parser: framing, namespaces, split-invariance, restricted XML and size limits (RFC 6120 §4, §11).
@Suite struct XMLStreamParserTests {
    static let header =
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
        + " to='example.com' from='juliet@example.com' version='1.0' xml:lang='en'>"

    static let transcript =
        Self.header
        + "<message to='romeo@example.net' type='chat' id='m1' xml:lang='fr'><body>héllo ☃ &amp; &lt;3 &#x41;</body>"
        + "<thread>t1</thread></message>\n  \n"
        + "<iq type='get' id='i1'><query xmlns='http://jabber.org/protocol/disco#info'>"
        + "<x:data xmlns:x='jabber:x:data' x:type='form'><field var='a'/></x:data></query></iq>"
        + "<presence/></stream:stream>"

    static func parseAll(_ input: String, maxStanzaSize: Int = 16 * 1024) throws(XMLStreamError) -> [XMLStreamEvent] {
        var parser = XMLStreamParser(maxStanzaSize: maxStanzaSize)
        return try parser.feed(input)
    }

    static func expectError(
        _ code: XMLStreamError.Code, _ chunks: [[UInt8]], maxStanzaSize: Int = 16 * 1024,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var parser = XMLStreamParser(maxStanzaSize: maxStanzaSize)
        do {
            for chunk in chunks {
                _ = try parser.feed(chunk)
            }
            Issue.record("expected \(code.rawValue), parsed fine", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            // A dead parser keeps throwing the same error.
            #expect(throws: error, sourceLocation: sourceLocation) { try parser.feed("<presence/>") }
        }
    }

    @Test func headerStanzasAndClose() throws {
        let events = try Self.parseAll(Self.transcript)
        #expect(events.count == 5)
        guard case .streamOpen(let header) = events.first else {
            Issue.record("no stream header")
            return
        }
        #expect(header.name == "stream")
        #expect(header.namespace == Namespace.stream)
        #expect(header.children.isEmpty)
        #expect(
            header.attributes == [
                "xmlns": "jabber:client", "to": "example.com", "from": "juliet@example.com", "version": "1.0",
                "xml:lang": "en",
            ])
        var body = XMLElement(name: "body", namespace: Namespace.client)
        body.append(text: "héllo ☃ & <3 A")
        let message = XMLElement(
            name: "message", namespace: Namespace.client,
            attributes: ["to": "romeo@example.net", "type": "chat", "id": "m1", "xml:lang": "fr"],
            children: [
                .element(body),
                .element(XMLElement(name: "thread", namespace: Namespace.client, children: [.text("t1")])),
            ])
        #expect(events[1] == .element(message))
        #expect(events[3] == .element(XMLElement(name: "presence", namespace: Namespace.client)))
        #expect(events[4] == .streamClose)
    }

    @Test func namespacesAreResolved() throws {
        let events = try Self.parseAll(Self.transcript)
        guard case .element(let iq) = events[2] else {
            Issue.record("expected iq, got \(events[2])")
            return
        }
        #expect(iq.namespace == Namespace.client)
        let query = try #require(iq.child(named: "query", namespace: Namespace.discoInfo))
        #expect(query.child(named: "data")?.namespace == "jabber:x:data")
        let data = try #require(query.child(named: "data", namespace: "jabber:x:data"))
        #expect(data.attributes == ["{jabber:x:data}type": "form"])
        // The unprefixed child is in the inherited default namespace, not the prefix's.
        #expect(data.child(named: "field")?.namespace == Namespace.discoInfo)
        #expect(data.child(named: "field")?[attribute: "var"] == "a")
    }

    @Test func prefixedStanzasAndNoNamespace() throws {
        let events = try Self.parseAll(
            "<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns:c='jabber:client'>"
                + "<c:message><c:body>x</c:body><plain/></c:message>")
        #expect(events.count == 2)
        guard case .streamOpen(let header) = events[0], case .element(let message) = events[1] else {
            Issue.record("unexpected \(events)")
            return
        }
        #expect(header.attributes["xmlns"] == nil)
        #expect(message.namespace == Namespace.client)
        #expect(message.child(named: "body", namespace: Namespace.client)?.text == "x")
        #expect(message.child(named: "plain")?.namespace == nil)
    }

    @Test func cdataAndEntitiesBecomeOneTextNode() throws {
        let events = try Self.parseAll(
            Self.header + "<message><body>a &amp; <![CDATA[<b> & ]]>&#x41;&#66;&quot;&apos;&gt;</body></message>")
        let expected = XMLElement(
            name: "message", namespace: Namespace.client,
            children: [
                .element(XMLElement(name: "body", namespace: Namespace.client, children: [.text("a & <b> & AB\"'>")]))
            ])
        #expect(events.last == .element(expected))
    }

    @Test func whitespaceKeepalivesAreIgnored() throws {
        var parser = XMLStreamParser()
        #expect(try parser.feed(Self.header).count == 1)
        #expect(try parser.feed(" ").isEmpty)
        #expect(try parser.feed("\n\n").isEmpty)
        #expect(
            try parser.feed("<presence/> ") == [.element(XMLElement(name: "presence", namespace: Namespace.client))])
    }

    @Test func everySplitPointGivesTheSameEvents() throws {
        let bytes = Array(Self.transcript.utf8)
        let expected = try Self.parseAll(Self.transcript)
        for split in 0...bytes.count {
            var parser = XMLStreamParser()
            var events = try parser.feed(Array(bytes[..<split]))
            events += try parser.feed(Array(bytes[split...]))
            #expect(events == expected, "split at \(split)")
        }
        var parser = XMLStreamParser()
        var events: [XMLStreamEvent] = []
        for byte in bytes {
            events += try parser.feed([byte])
        }
        #expect(events == expected)
    }

    @Test func eventsArriveAsSoonAsTheirBytesDo() throws {
        var parser = XMLStreamParser()
        #expect(
            try parser.feed("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>")
                .count == 1)
        #expect(try parser.feed("<message><body>hi</body></mess").isEmpty)
        #expect(try parser.feed("age>").count == 1)
        // Expat's reparse deferral would hold these back until more bytes arrived.
        #expect(try parser.feed("<presence/").isEmpty)
        #expect(try parser.feed(">").count == 1)
        #expect(try parser.feed("</stream:stream").isEmpty)
        #expect(try parser.feed(">") == [.streamClose])
    }

    @Test(arguments: [
        "<?xml version='1.0'?><!DOCTYPE stream><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>",
        "<!DOCTYPE s [<!ENTITY x 'y'>]><s>",
        "\(Self.header)<?foo bar?>",
        "\(Self.header)<message><?foo bar?></message>",
        "\(Self.header)<!-- hi -->",
        "\(Self.header)<message><body>&lol;</body></message>",
    ])
    func restrictedXMLIsRefused(_ input: String) {
        Self.expectError(.restrictedXML, [Array(input.utf8)])
    }

    @Test(arguments: [
        [0xFF],
        [0xC0, 0xAF],
        [0xED, 0xA0, 0x80],
        Array("</message>".utf8),
        Array("<message><body></message>".utf8),
        Array("<message a='1' a='2'/>".utf8),
        Array("<x:message/>".utf8),
        Array("\u{1}".utf8),
    ])
    func malformedInputIsNotWellFormed(_ stanza: [UInt8]) {
        Self.expectError(.notWellFormed, [Array(Self.header.utf8), Array("<message><body>".utf8) + stanza])
    }

    @Test func junkBeforeHeaderIsNotWellFormed() {
        Self.expectError(.notWellFormed, [Array("hello world".utf8)])
    }

    @Test func oversizeStanzaIsAPolicyViolation() {
        let big = "<message><body>" + String(repeating: "a", count: 2000) + "</body></message>"
        Self.expectError(.policyViolation, [Array((Self.header + big).utf8)], maxStanzaSize: 1024)
        // Arriving in small chunks and still incomplete when the limit is crossed.
        let chunks = Array(big.utf8.prefix(1500)).chunked(into: 7)
        Self.expectError(.policyViolation, [Array(Self.header.utf8)] + chunks, maxStanzaSize: 1024)
        // A huge start tag that never completes.
        let tag = Array(("<message to='" + String(repeating: "b", count: 1100)).utf8)
        Self.expectError(.policyViolation, [Array(Self.header.utf8), tag], maxStanzaSize: 1024)
        // The stream header itself is capped too.
        let header =
            "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' x='\(String(repeating: "c", count: 1100))'>"
        Self.expectError(.policyViolation, [Array(header.utf8)], maxStanzaSize: 1024)
    }

    @Test func stanzaJustUnderTheLimitPasses() throws {
        let stanza = "<message><body>" + String(repeating: "a", count: 900) + "</body></message>"
        var parser = XMLStreamParser(maxStanzaSize: 1024)
        _ = try parser.feed(Self.header)
        for chunk in Array(stanza.utf8).chunked(into: 50) {
            _ = try parser.feed(chunk)
        }
        #expect(stanza.utf8.count <= 1024)
    }

    @Test func whitespaceBetweenStanzasDoesNotCount() throws {
        var parser = XMLStreamParser(maxStanzaSize: 1024)
        _ = try parser.feed(Self.header)
        var count = 0
        for _ in 0..<10 {
            _ = try parser.feed(String(repeating: " ", count: 300))
            _ = try parser.feed(String(repeating: "\n", count: 300))
            count += try parser.feed("<presence/>").count
            _ = try parser.feed(" \t\r\n")
        }
        _ = try parser.feed(String(repeating: " ", count: 5000) + "<presence/>" + String(repeating: " ", count: 5000))
        #expect(count == 10)
        #expect(try parser.feed("<presence/>").count == 1)
    }

    @Test func resetStartsANewDocument() throws {
        var parser = XMLStreamParser()
        #expect(try parser.feed(Self.header + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").count == 2)
        parser.reset()
        let events = try parser.feed(Self.header + "<presence/>")
        #expect(events.count == 2)
        if case .streamOpen(let header) = events.first {
            #expect(header[attribute: "to"] == "example.com")
        } else {
            Issue.record("no header after reset")
        }
        // A dead parser becomes usable after a reset, and the size limit survives it.
        parser.maxStanzaSize = 512
        #expect(throws: XMLStreamError.self) { try parser.feed("<!-- x -->") }
        parser.reset()
        #expect(parser.maxStanzaSize == 512)
        #expect(try parser.feed(Self.header).count == 1)
    }

    @Test func otherRootElementsAreReportedForTheCallerToJudge() throws {
        let events = try Self.parseAll("<stream xmlns='jabber:client'><presence/>")
        #expect(
            events.first
                == .streamOpen(
                    XMLElement(name: "stream", namespace: "jabber:client", attributes: ["xmlns": "jabber:client"])))
    }
}

extension Array {
    /// Splits into consecutive chunks of at most `size` elements.
    func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: self.count, by: size).map { Array(self[$0..<Swift.min($0 + size, self.count)]) }
    }
}
