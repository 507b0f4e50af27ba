import RDF
import Testing

@testable import SPARQL

@Suite struct SPARQLParserTests {
    func algebra(_ text: String) throws -> Algebra { try SPARQLQuery.parse(text).algebra }

    func syntaxError(_ text: String) -> SPARQLError? {
        do {
            _ = try SPARQLQuery.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func selectStarProjectsVisibleVariablesInOrder() throws {
        let q = try SPARQLQuery.parse("SELECT * { ?s <urn:p> ?o . _:b <urn:q> ?s }")
        #expect(q.form == .select)
        #expect(q.variables == ["s", "o"])
    }

    @Test func prefixesAndBaseResolve() throws {
        let q = try SPARQLQuery.parse(
            "BASE <http://ex.org/a/> PREFIX x: <ns#> SELECT ?s { ?s x:p <../b> }", baseIRI: nil)
        guard case .project(.bgp(let triples), _) = q.algebra else {
            Issue.record("unexpected algebra \(q.algebra)")
            return
        }
        #expect(triples[0].predicate == .term(.iri("http://ex.org/a/ns#p")))
        #expect(triples[0].object == .term(.iri("http://ex.org/b")))
    }

    @Test func literalsOfEveryKind() throws {
        let q = try SPARQLQuery.parse(
            #"SELECT * { ?s ?p "a", 'b'@en-GB, """c"d""", "1"^^<urn:t>, 2, -3.5, 4e1, true, "\t\u0041" }"#)
        guard case .project(.bgp(let triples), _) = q.algebra else {
            Issue.record("unexpected algebra")
            return
        }
        let objects = triples.map(\.object)
        #expect(objects[0] == .term(.string("a")))
        #expect(objects[1] == .term(.literal(Literal("b", language: "en-gb"))))
        #expect(objects[2] == .term(.string("c\"d")))
        #expect(objects[3] == .term(.literal(Literal("1", datatype: "urn:t"))))
        #expect(objects[4] == .term(.integer(2)))
        #expect(objects[5] == .term(.literal(Literal("-3.5", datatype: XSD.decimal))))
        #expect(objects[6] == .term(.literal(Literal("4e1", datatype: XSD.double))))
        #expect(objects[7] == .term(.boolean(true)))
        #expect(objects[8] == .term(.string("\tA")))
    }

    @Test func collectionsAndBlankNodePropertyLists() throws {
        let a = try self.algebra("SELECT * { ?s <urn:p> (1 [ <urn:q> 2 ]) }")
        guard case .project(.bgp(let triples), _) = a else {
            Issue.record("unexpected algebra")
            return
        }
        // Two list cells (first + rest each), the bnode's property and the head triple.
        #expect(triples.count == 6)
        #expect(
            triples.contains {
                $0.predicate == .term(.iri(RDFVocabulary.rest)) && $0.object == .term(.iri(RDFVocabulary.nil))
            })
    }

    @Test func optionalFilterBecomesLeftJoinCondition() throws {
        let a = try self.algebra("SELECT * { ?s <urn:p> ?o OPTIONAL { ?s <urn:q> ?x FILTER(?x > ?o) } }")
        guard case .project(.leftJoin(_, _, let condition), _) = a else {
            Issue.record("unexpected algebra \(a)")
            return
        }
        #expect(condition.count == 1)
    }

    @Test func propertyPathsTranslate() throws {
        let a = try self.algebra("SELECT * { ?s <urn:a>/^<urn:b> ?o . ?s <urn:c>* ?x }")
        guard case .project(.join(let items), _) = a else {
            Issue.record("unexpected algebra \(a)")
            return
        }
        guard case .bgp(let triples) = items[0] else {
            Issue.record("expected a BGP first")
            return
        }
        #expect(triples.count == 2)
        #expect(triples[1].subject == .term(.iri("urn:b")) || triples[1].object == triples[0].object)
        #expect(
            items.contains {
                if case .path(_, .zeroOrMore(.link("urn:c")), _) = $0 { return true } else { return false }
            })
    }

    @Test func aggregatesAreExtracted() throws {
        let a = try self.algebra(
            "SELECT ?g (COUNT(DISTINCT ?x) AS ?n) { ?x <urn:p> ?g } GROUP BY ?g HAVING (COUNT(?x) > 1)")
        guard case .project(.extend(.filter(_, .group(_, let keys, let aggregates)), "n", _), let vars) = a else {
            Issue.record("unexpected algebra \(a)")
            return
        }
        #expect(keys.map(\.variable) == ["g"])
        #expect(aggregates.count == 2)
        #expect(vars == ["g", "n"])
    }

    @Test func negativeSyntaxHasLineAndColumn() {
        let e = self.syntaxError("SELECT *\nWHERE { ?s ?p }")
        #expect(e?.code == .syntax)
        #expect(e?.line == 2)
        #expect(e?.column == 15)
    }

    @Test func deepNestingIsASyntaxErrorNotACrash() {
        let expression = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(self.syntaxError("SELECT * { FILTER \(expression) }")?.code == .syntax)
        let groups = String(repeating: "{", count: 5000) + String(repeating: "}", count: 5000)
        #expect(self.syntaxError("SELECT * \(groups)")?.code == .syntax)
        let list =
            "SELECT * { ?s ?p " + String(repeating: "(", count: 5000) + String(repeating: ")", count: 5000) + " }"
        #expect(self.syntaxError(list)?.code == .syntax)
        let chain = "SELECT * { FILTER(" + Array(repeating: "1", count: 5000).joined(separator: " + ") + " > 0) }"
        #expect(self.syntaxError(chain)?.code == .syntax)
        let path = "SELECT * { ?s " + Array(repeating: "<urn:p>", count: 5000).joined(separator: "/") + " ?o }"
        #expect(self.syntaxError(path)?.code == .syntax)
        let optionals = "SELECT * { ?s ?p ?o " + String(repeating: "OPTIONAL { ?s ?p ?x } ", count: 5000) + "}"
        #expect(self.syntaxError(optionals)?.code == .syntax)
        let ok = "SELECT * { FILTER(" + Array(repeating: "1", count: 50).joined(separator: " + ") + " > 0) }"
        #expect(self.syntaxError(ok) == nil)
    }

    @Test func signedLiteralsInExpressions() throws {
        let a = try self.algebra("SELECT * { ?s ?p ?o FILTER(?o = - -1) }")
        guard case .project(.filter(let filters, _), _) = a, case .compare(.equal, _, let rhs) = filters.first else {
            Issue.record("unexpected algebra \(a)")
            return
        }
        #expect(rhs == .negate(.constant(.literal(Literal("-1", datatype: XSD.integer)))))
    }

    @Test(arguments: [
        "SELECT * { ?s ?p ?o } GROUP BY ?s",
        "SELECT ?o { ?s ?p ?o } GROUP BY ?s",
        "SELECT (1 AS ?X) (1 AS ?X) {}",
        "SELECT * { ?s <urn:p> ?o BIND(1 AS ?o) }",
        "SELECT (1 AS ?X) { SELECT (2 AS ?X) {} }",
        "SELECT * { _:a ?p ?v . { _:a ?q 1 } }",
        "SELECT * WHERE { . }",
        "SELECT * { FILTER (?x<?a&&?b>?y) }",
        "PREFIX ex:ex: <http://example/> ASK {}",
        "SELECT * { VALUES (?a ?b) { (1) } }",
        "SELECT * { ?s ?p undeclared:x }",
        "SELECT * { ?s ?p '\\uD800' }",
        "SELECT (SUM(?x,?y) AS ?s) {}",
        "SELECT * { FILTER(COUNT(?x) > 1) }",
        "CONSTRUCT WHERE { ?s ?p ?o FILTER(true) }",
    ])
    func rejects(_ text: String) {
        #expect(self.syntaxError(text)?.code == .syntax, "accepted: \(text)")
    }

    @Test(arguments: [
        "ASK {}",
        "SELECT * { ?s ?p ?o } LIMIT 5 OFFSET 2",
        "SELECT ?s { ?s ?p ?o } ORDER BY DESC(?o) ?s",
        "SELECT * { ?s <urn:p>+|^<urn:q>? ?o . ?o !(<urn:a>|^<urn:b>) ?z }",
        "SELECT * { { ?s ?p ?o } UNION { ?s ?p ?x } MINUS { ?s a ?t } }",
        "SELECT * { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o FILTER NOT EXISTS { ?s a ?t } FILTER(?o IN (1, 2)) }",
        "SELECT (xsd:integer(?o) AS ?i) { ?s ?p ?o } ",
        "SELECT * { VALUES ?x { 1 UNDEF } } VALUES (?y) { (2) }",
        "DESCRIBE <urn:x>",
        "CONSTRUCT { ?s <urn:p> [] } WHERE { ?s ?p ?o }",
        "SELECT (GROUP_CONCAT(?o; SEPARATOR=\",\") AS ?c) { ?s ?p ?o }",
        "SELECT * { ?s ?p ?o FILTER(regex(?o, \"^a\", \"i\") && !bound(?z) || isIRI(?s)) }",
    ])
    func accepts(_ text: String) {
        let query = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> " + text
        #expect(self.syntaxError(query) == nil, "rejected: \(text)")
    }
}
