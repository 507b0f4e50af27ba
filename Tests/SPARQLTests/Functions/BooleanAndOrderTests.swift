import RDF
import Testing

@testable import SPARQL

/// Effective boolean value (SPARQL 1.1 §17.2.2) and the ORDER BY order (§15.1).
@Suite struct BooleanAndOrderTests {
    typealias F = Fixture

    /// W3C sparql10/boolean-effective-value data-1.ttl (bev-1 … bev-6) and the §17.2.2 rules.
    @Test(arguments: [
        (F.integer("1"), true), (Term.string("foo"), true), (F.double("0.01"), true),
        (F.typed("true", XSD.boolean), true),
        (F.integer("0"), false), (F.double("0.0"), false), (Term.string(""), false),
        (F.typed("false", XSD.boolean), false),
        (F.typed("1", XSD.boolean), true), (F.typed("0", XSD.boolean), false), (F.typed("maybe", XSD.boolean), false),
        (F.integer("abc"), false), (F.double("NaN"), false), (F.float("-0"), false), (F.decimal("0.000"), false),
        (F.typed("", XSD.string), false), (F.typed("x", XSD.string), true), (F.double("INF"), true),
        (F.integer("99999999999999999999"), true),
    ])
    func effectiveBooleanValue(term: Term, expected: Bool) throws {
        #expect(try SPARQLFunctions.effectiveBooleanValue(term) == expected)
    }

    @Test(arguments: [
        F.unknown("foo"), Term.iri("http://example/"), Term.blank("b"), F.tagged("foo", "en"),
        F.dateTime("2011-01-01T00:00:00Z"), F.typed("2011-13-01T00:00:00Z", XSD.dateTime),
    ])
    func effectiveBooleanValueErrors(term: Term) {
        #expect(throws: ExpressionError.self) { try SPARQLFunctions.effectiveBooleanValue(term) }
    }

    @Test func kindsAreOrderedUnboundBlankIRILiteral() {
        let ordered: [Term?] = [nil, .blank("z"), .iri("http://a"), .string("")]
        for (i, lhs) in ordered.enumerated() {
            for (j, rhs) in ordered.enumerated() {
                let order = SPARQLFunctions.orderCompare(lhs, rhs)
                #expect(order.signum() == (i < j ? -1 : (i == j ? 0 : 1)), "\(i) vs \(j)")
            }
        }
    }

    /// W3C sparql10/sort sort-7 (integers and a float by value), sort-6 (IRIs by code point), sort-builtin.
    @Test func literalsSortByValue() {
        let terms: [Term] = [F.integer("29"), F.float("23.0"), F.integer("9"), F.integer("27")]
        let sorted = terms.sorted { SPARQLFunctions.orderCompare($0, $1) < 0 }
        #expect(sorted == [F.integer("9"), F.float("23.0"), F.integer("27"), F.integer("29")])
        let iris: [Term] = [.iri("mailto:bob@work.example"), .iri("http://example.org/eve")]
        #expect(iris.sorted { SPARQLFunctions.orderCompare($0, $1) < 0 }.first == .iri("http://example.org/eve"))
        let strings: [Term] = [.string("300"), .string("10"), .string("2")]
        #expect(
            strings.sorted { SPARQLFunctions.orderCompare($0, $1) < 0 } == [
                .string("10"), .string("2"), .string("300"),
            ])
        #expect(
            SPARQLFunctions.orderCompare(F.dateTime("2010-01-01T00:00:00Z"), F.dateTime("2009-12-31T23:00:00-05:00"))
                < 0)
        #expect(SPARQLFunctions.orderCompare(.boolean(false), .boolean(true)) < 0)
        #expect(SPARQLFunctions.orderCompare(F.double("NaN"), F.double("-INF")) < 0)
    }

    @Test func equalValuesAreTieBrokenDeterministically() {
        let one = F.integer("1")
        let oneDecimal = F.decimal("1.0")
        #expect(SPARQLFunctions.orderCompare(one, oneDecimal) != 0)
        #expect(SPARQLFunctions.orderCompare(one, oneDecimal) == -SPARQLFunctions.orderCompare(oneDecimal, one))
        #expect(SPARQLFunctions.orderCompare(one, F.integer("1")) == 0)
        #expect(SPARQLFunctions.orderCompare(F.tagged("a", "en"), F.tagged("a", "fr")) < 0)
    }

    /// The order is total: antisymmetric and transitive over a mix of every kind of term.
    @Test func orderIsTotalOverMixedTerms() {
        let terms: [Term?] = [
            nil, .blank("b1"), .blank("a"), .iri("http://b"), .iri("http://a"), .string("b"), .string("a"),
            F.tagged("a", "en"), F.tagged("a", "de"), F.integer("2"), F.decimal("2.0"), F.double("1e0"),
            F.double("NaN"), F.float("NaN"), F.integer("abc"), F.unknown("x"), F.unknown("a"), .boolean(true),
            .boolean(false), F.dateTime("2000-01-01T00:00:00"), F.dateTime("2000-01-01T00:00:00Z"),
            F.date("2000-01-01"), F.typed("1", XSD.short), F.integer("-5"), .string(""), F.integer("02"),
            F.integer("99999999999999999999"), .string("\u{E9}"), .string("e\u{301}"),
        ]
        for a in terms {
            for b in terms {
                let order = SPARQLFunctions.orderCompare(a, b).signum()
                #expect(order == -SPARQLFunctions.orderCompare(b, a).signum())
                #expect(order == SPARQLFunctions.orderKey(a).compare(SPARQLFunctions.orderKey(b)).signum())
                if let a, let b { #expect((order == 0) == SPARQLFunctions.sameTermExact(a, b)) }
                for c in terms where SPARQLFunctions.orderCompare(a, b) <= 0 && SPARQLFunctions.orderCompare(b, c) <= 0
                {
                    #expect(SPARQLFunctions.orderCompare(a, c) <= 0)
                }
            }
        }
        let sorted = terms.sorted { SPARQLFunctions.orderCompare($0, $1) < 0 }
        #expect(sorted == terms.reversed().sorted { SPARQLFunctions.orderCompare($0, $1) < 0 })
    }
}
