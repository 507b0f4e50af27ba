import Testing

@testable import RDF

@Suite struct NTriplesTests {
    @Test func parsesEveryTermForm() throws {
        let triples = try NTriplesParser().parse(
            """
            # comment
            <http://a/s> <http://a/p> <http://a/o> .
            _:b1 <http://a/p> "plain" . # trailing comment
            <http://a/s> <http://a/p> "chat"@fr-BE .
            <http://a/s> <http://a/p> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .\r
            <http://a/s>\t<http://a/p> "esc\\n\\u00E9\\"" .

            """)
        #expect(triples.count == 5)
        #expect(triples[1].subject == .blank("b1"))
        #expect(triples[2].object == .literal(Literal("chat", language: "fr-be")))
        #expect(triples[3].object == .integer(7))
        #expect(triples[4].object == .string("esc\né\""))
    }

    @Test func rejectsTurtleOnlySyntaxAndReportsLines() {
        for (bad, line) in [
            ("<http://a/s> <http://a/p> <http://a/o> .\n<rel> <http://a/p> <http://a/o> .", 2),
            ("<http://a/s> <http://a/p> 'single' .", 1), ("<http://a/s> <http://a/p> <http://a/o>", 1),
            ("\n\n<http://a/s> <http://a/p> <http://a/o> . <http://a/s> <http://a/p> <http://a/o> .", 3),
            ("<http://a/s> a <http://a/o> .", 1), ("<http://a/s> <http://a/p> <http://a/o> <http://a/g> .", 1),
        ] {
            do {
                _ = try NTriplesParser().parse(bad)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.line == line, "\(bad)")
            }
        }
    }

    @Test func nQuadsCarryGraphs() throws {
        let quads = try NQuadsParser().parse(
            "<xmpp:a@d> <urn:p> \"x\" <xmpp:a@d> .\n<xmpp:a@d> <urn:p> \"y\" .\n_:s <urn:p> _:o _:g .\n")
        #expect(quads[0].graph == .named(.iri("xmpp:a@d")))
        #expect(quads[1].graph == .defaultGraph)
        #expect(quads[2].graph == .named(.blank("g")))
    }

    @Test func serializerRoundTrips() throws {
        let triples = [
            Triple(.iri("urn:s"), .iri("urn:p"), .string("line\nbreak \"q\" \\ tab\t bell\u{07} é")),
            Triple(.blank("b1"), .iri("urn:p"), .literal(Literal("x", language: "en-GB"))),
            Triple(.iri("urn:s"), .iri("urn:p"), .literal(Literal("1.5", datatype: XSD.decimal))),
            Triple(.iri("urn:a b>"), .iri("urn:p"), .blank("not valid!")),
        ]
        let text = NTriplesSerializer.serialize(triples)
        #expect(text.hasPrefix("<urn:s> <urn:p> \"line\\nbreak \\\"q\\\" \\\\ tab\\t bell\\u0007 é\" .\n"))
        let back = try NTriplesParser().parse(text)
        #expect(back[0...2] == triples[0...2])
        #expect(back[3].subject == .iri("urn:a%20b%3E"))
        #expect(Term.integer(3).ntriples == "\"3\"^^<http://www.w3.org/2001/XMLSchema#integer>")
        let quads = [Quad(triples[0], graph: .named(.iri("xmpp:a@d"))), Quad(triples[1])]
        #expect(try NQuadsParser().parse(NTriplesSerializer.serialize(quads: quads)) == quads)
    }
}
