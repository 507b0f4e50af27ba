import RDF
import Testing

@testable import SPARQL

/// The translation of group graph patterns and solution modifiers to the algebra (SPARQL 1.1 §18.2).
@Suite struct AlgebraTranslationTests {
    func algebra(_ text: String) throws -> Algebra { try SPARQLQuery.parse(text).algebra }

    func bgp(_ s: String, _ p: String, _ o: String) -> Algebra {
        func term(_ x: String) -> VarOrTerm { x.hasPrefix("?") ? .variable(String(x.dropFirst())) : .term(.iri(x)) }
        return .bgp([TriplePattern(subject: term(s), predicate: term(p), object: term(o))])
    }

    @Test func groupElementsBecomeJoinLeftJoinMinusExtendFilter() throws {
        let a = try self.algebra(
            """
            SELECT * { ?s <urn:p> ?o OPTIONAL { ?s <urn:q> ?x } MINUS { ?s <urn:r> ?y } BIND(1 AS ?b)
                       FILTER(?o != 2) { ?s <urn:t> ?z } }
            """)
        let expected = Algebra.project(
            .filter(
                [.compare(.notEqual, .variable("o"), .constant(.integer(2)))],
                .join([
                    .extend(
                        .minus(
                            .leftJoin(self.bgp("?s", "urn:p", "?o"), self.bgp("?s", "urn:q", "?x"), []),
                            self.bgp("?s", "urn:r", "?y")),
                        "b", .constant(.integer(1))),
                    self.bgp("?s", "urn:t", "?z"),
                ])), ["s", "o", "x", "b", "z"])
        #expect(a == expected)
    }

    @Test func filtersSplitTriplesBlocksButStayOneBGP() throws {
        let a = try self.algebra("SELECT * { ?s <urn:p> ?o FILTER(true) ?o <urn:q> ?x }")
        guard case .project(.filter(_, .bgp(let triples)), _) = a else {
            Issue.record("unexpected algebra \(a)")
            return
        }
        #expect(triples.count == 2)
    }

    @Test func unionGraphAndValues() throws {
        let a = try self.algebra("SELECT * { { ?s <urn:a> ?o } UNION { ?s <urn:b> ?o } GRAPH ?g { ?s <urn:c> ?o } }")
        let expected = Algebra.project(
            .join([
                .union([self.bgp("?s", "urn:a", "?o"), self.bgp("?s", "urn:b", "?o")]),
                .graph(.variable("g"), self.bgp("?s", "urn:c", "?o")),
            ]), ["s", "o", "g"])
        #expect(a == expected)
        let v = try self.algebra("SELECT ?x { ?x <urn:p> ?y } VALUES ?y { 1 }")
        #expect(
            v
                == .project(
                    .join([
                        self.bgp("?x", "urn:p", "?y"), .values(ValuesTable(variables: ["y"], rows: [[.integer(1)]])),
                    ]),
                    ["x"]))
    }

    @Test func solutionModifiersNestInOrder() throws {
        let a = try self.algebra("SELECT DISTINCT ?s (str(?s) AS ?t) { ?s ?p ?o } ORDER BY ?t LIMIT 3 OFFSET 1")
        guard case .slice(.distinct(.project(.orderBy(.extend(_, "t", _), let conditions), let vars)), 1, 3) = a else {
            Issue.record("unexpected algebra \(a)")
            return
        }
        #expect(conditions == [OrderCondition(expression: .variable("t"), descending: false)])
        #expect(vars == ["s", "t"])
    }

    @Test func subSelectIsAProjectionScope() throws {
        let a = try self.algebra("SELECT ?s { ?s <urn:p> ?o { SELECT ?o { ?o <urn:q> ?hidden } } }")
        guard case .project(.join(let items), _) = a, case .project(_, let inner) = items.last else {
            Issue.record("unexpected algebra \(a)")
            return
        }
        #expect(inner == ["o"])
        #expect(!a.maybeBound.contains("hidden"))
    }

    @Test func existsPatternsAreTranslated() throws {
        let a = try self.algebra("SELECT * { ?s ?p ?o FILTER NOT EXISTS { ?s <urn:q> ?x } }")
        guard case .project(.filter(let filters, _), _) = a, case .exists(.algebra(let pattern), true) = filters[0]
        else {
            Issue.record("unexpected algebra \(a)")
            return
        }
        #expect(pattern == self.bgp("?s", "urn:q", "?x"))
    }

    @Test func optionalWithNestedGroupKeepsTheFilterInside() throws {
        // dawg-optional-filter-005-not-simplified: the filter belongs to the inner group, not the LeftJoin.
        let a = try self.algebra("SELECT * { ?s <urn:p> ?o OPTIONAL { { ?s <urn:q> ?x FILTER(?o = 1) } } }")
        guard case .project(.leftJoin(_, .filter(let inner, _), let condition), _) = a else {
            Issue.record("unexpected algebra \(a)")
            return
        }
        #expect(condition.isEmpty)
        #expect(inner.count == 1)
    }
}
