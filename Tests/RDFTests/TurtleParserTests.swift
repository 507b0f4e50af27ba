import Testing

@testable import RDF

@Suite struct TurtleParserTests {
    static func parse(_ text: String, base: String? = "http://example.org/doc") throws(RDFError) -> [Triple] {
        try TurtleParser(baseIRI: base).parse(text)
    }

    static func error(_ text: String, base: String? = "http://example.org/doc") -> RDFError? {
        do {
            _ = try TurtleParser(baseIRI: base).parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func directivesAndAbbreviations() throws {
        let triples = try Self.parse(
            """
            @prefix ex: <http://ex.org/> .
            PREFIX ic: <https://w3id.org/intercloud/ns#>
            <xmpp:a@d> a ic:Cloud ;
                ic:name "A", 'B'@EN ;
                ic:cores 16, 2.5, 1e3, -0.5E-2 ;
                ic:ready true ;
                ex:list (1 "two" ex:three) ;
                ex:blank [ ex:p ex:o ] ;
                ex:empty () .
            """)
        let cloud = Term.iri("xmpp:a@d")
        let ic = "https://w3id.org/intercloud/ns#"
        #expect(triples.first == Triple(cloud, .iri(RDFVocabulary.type), .iri(ic + "Cloud")))
        #expect(triples.contains(Triple(cloud, .iri(ic + "name"), .literal(Literal("B", language: "en")))))
        #expect(triples.contains(Triple(cloud, .iri(ic + "cores"), .literal(Literal("2.5", datatype: XSD.decimal)))))
        #expect(triples.contains(Triple(cloud, .iri(ic + "cores"), .literal(Literal("-0.5E-2", datatype: XSD.double)))))
        #expect(triples.contains(Triple(cloud, .iri(ic + "ready"), .boolean(true))))
        #expect(triples.contains(Triple(cloud, .iri("http://ex.org/empty"), .iri(RDFVocabulary.nil))))
        #expect(triples.filter { $0.predicate == .iri(RDFVocabulary.first) }.count == 3)
        #expect(triples.count == 18)
    }

    @Test func stringsAndEscapes() throws {
        let triples = try Self.parse(
            #"""
            <s> <p> "tab\there \u00E9\U0001F600", """multi
            line "quoted" """, '''single ' ''', "\"\\" .
            """#)
        let values = triples.compactMap { t -> String? in if case .literal(let l) = t.object { l.lexical } else { nil }
        }
        #expect(values == ["tab\there é😀", "multi\nline \"quoted\" ", "single ' ", "\"\\"])
        #expect(triples[0].subject == .iri("http://example.org/s"))
    }

    @Test func prefixedNamesWithEscapesAndDots() throws {
        let triples = try Self.parse(
            """
            @prefix : <http://x/> .
            :a\\~b :c.d :e%20f.
            :g :h :.
            """)
        #expect(triples[0] == Triple(.iri("http://x/a~b"), .iri("http://x/c.d"), .iri("http://x/e%20f")))
        #expect(triples[1].object == .iri("http://x/"))
    }

    @Test func blankNodesArePerDocumentWithPrefix() throws {
        let parser = TurtleParser(blankNodePrefix: "g7_")
        let triples = try parser.parse("_:x <urn:p> _:y . _:x <urn:q> [] .")
        #expect(triples[0].subject == triples[1].subject)
        #expect(triples[0].subject == .blank("g7_1"))
        #expect(Set([triples[0].object, triples[1].object]).count == 2)
    }

    @Test func relativeIRIsResolveAgainstBase() throws {
        let triples = try Self.parse("@base <http://a/b/c/d> . <../x> <#frag> <?q> .", base: nil)
        #expect(triples[0] == Triple(.iri("http://a/b/x"), .iri("http://a/b/c/d#frag"), .iri("http://a/b/c/d?q")))
        #expect(Self.error("<rel> <urn:p> <urn:o> .", base: nil)?.code == .badIRI)
    }

    @Test func errorsNameLineAndColumn() {
        let e = Self.error("@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:a ex:b \"unterminated .\n")
        #expect(e?.code == .syntax)
        #expect(e?.line == 3)
        #expect(e?.column == 11)
        let undefined = Self.error("\n\n  nope:a <urn:p> 1 .")
        #expect(undefined?.line == 3)
        #expect(undefined?.column == 3)
        #expect(undefined?.description.hasPrefix("line 3, column 3: undefined prefix") == true)
        let missingDot = Self.error("<urn:s> <urn:p> <urn:o>\n<urn:s> <urn:p> <urn:o> .")
        #expect(missingDot?.line == 2)
    }

    @Test func rejectsMalformedDocuments() {
        for bad in [
            "<urn:s> <urn:p> .", "<urn:s> \"lit\" <urn:o> .", "\"lit\" <urn:p> <urn:o> .", "<urn:s> <urn:p> <urn:o>",
            "<urn:s> <urn:p> <a b> .", "<urn:s> <urn:p> \"x\"@ .", "<urn:s> <urn:p> 1e .", "@prefix x <urn:x> .",
            "<urn:s> <urn:p> [ <urn:q> ", "<urn:s> <urn:p> ( 1 2 .", "<urn:s> a a .", "<urn:s> <urn:p> \"\\q\" .",
        ] {
            #expect(Self.error(bad) != nil, "\(bad)")
        }
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        let deep =
            "<urn:s> <urn:p> " + String(repeating: "[ <urn:p> ", count: 5000) + "1"
            + String(repeating: "]", count: 5000) + " ."
        #expect(Self.error(deep)?.reason.contains("nesting") == true)
        let ok = "<urn:s> <urn:p> " + String(repeating: "( ", count: 100) + String(repeating: ")", count: 100) + " ."
        #expect(Self.error(ok) == nil)
    }

    @Test func streamingDeliversEveryTriple() throws {
        var n = 0
        try TurtleParser().parse("<urn:s> <urn:p> 1, 2, 3 . <urn:s> <urn:q> 4 .") { _ in n += 1 }
        #expect(n == 4)
    }
}
