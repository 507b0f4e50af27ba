import RDF
import Testing

@testable import SPARQL

/// `=`, `!=`, `<`… (SPARQL 1.1 §17.3, §17.4.1.7) including the W3C sparql10 open-world and expr-equals cases.
@Suite struct ComparisonTests {
    typealias F = Fixture

    /// W3C sparql10/open-world data-2.ttl: :x1 … :x8.
    static let openWorld: [Term] = [
        .string("xyz"), F.tagged("xyz", "en"), F.tagged("xyz", "EN"), F.typed("xyz", XSD.string),
        F.integer("xyz"), F.unknown("xyz"), .blank("xyz"), .iri("http://example/xyz"),
    ]

    /// open-eq-07 (`=` true), open-eq-12 (neither `=` nor `!=` holds: errors), open-eq-08 (`!=` for the rest).
    @Test func openWorldEqualityMatrix() {
        let equal: Set<[Int]> = [
            [1, 1], [1, 4], [2, 2], [2, 3], [3, 2], [3, 3], [4, 1], [4, 4], [5, 5], [6, 6], [7, 7], [8, 8],
        ]
        let errors: Set<[Int]> = [
            [1, 5], [1, 6], [4, 5], [4, 6], [5, 1], [5, 4], [5, 6], [6, 1], [6, 4], [6, 5],
        ]
        for i in 1...8 {
            for j in 1...8 {
                let lhs = Self.openWorld[i - 1]
                let rhs = Self.openWorld[j - 1]
                let expectedEqual: Bool? = errors.contains([i, j]) ? nil : equal.contains([i, j])
                #expect(F.compare(.equal, lhs, rhs) == expectedEqual, "x\(i) = x\(j)")
                #expect(F.compare(.notEqual, lhs, rhs) == expectedEqual.map { !$0 }, "x\(i) != x\(j)")
            }
        }
    }

    /// open-eq-10: `!=` between :x1…:x8 ("xyz") and :y1…:y8 ("abc"); the listed pairs are the errors.
    @Test func openWorldInequalityOfDifferentValues() {
        let others: [Term] = [
            .string("abc"), F.tagged("abc", "en"), F.tagged("abc", "EN"), F.typed("abc", XSD.string),
            F.integer("abc"), F.unknown("abc"), .blank("abc"), .iri("http://example/abc"),
        ]
        let errors: Set<[Int]> = [
            [1, 5], [1, 6], [4, 5], [4, 6], [5, 1], [5, 4], [5, 5], [5, 6], [6, 1], [6, 4], [6, 5], [6, 6],
        ]
        for i in 1...8 {
            for j in 1...8 {
                let expected: Bool? = errors.contains([i, j]) ? nil : true
                #expect(F.compare(.notEqual, Self.openWorld[i - 1], others[j - 1]) == expected, "x\(i) != y\(j)")
            }
        }
    }

    /// expr-equals eq-float / eq-1: numerics compare by value across types.
    @Test func numericEqualityAcrossTypes() {
        #expect(F.compare(.equal, F.integer("1"), F.float("1")) == true)
        #expect(F.compare(.equal, F.integer("01"), F.float("1")) == true)
        #expect(F.compare(.equal, F.decimal("1.0"), F.float("1")) == true)
        #expect(F.compare(.equal, F.double("1.0e0"), F.integer("1")) == true)
        #expect(F.compare(.equal, F.typed("1", XSD.unsignedByte), F.decimal("1.000")) == true)
        #expect(F.compare(.equal, F.integer("2"), F.float("1")) == false)
        #expect(F.compare(.equal, F.float("1"), .string("1")) == false)
        #expect(F.compare(.equal, F.float("1"), .iri("http://example/z")) == false)
        #expect(F.compare(.equal, F.unknown("zzz"), F.float("1")) == nil)
        #expect(F.compare(.equal, F.double("NaN"), F.double("NaN")) == false)
        #expect(F.compare(.notEqual, F.double("NaN"), F.double("NaN")) == true)
        #expect(F.compare(.less, F.double("NaN"), F.integer("1")) == false)
        #expect(F.compare(.greaterOrEqual, F.float("NaN"), F.integer("1")) == false)
    }

    @Test func numericOrdering() {
        #expect(F.compare(.less, F.integer("9"), F.integer("10")) == true)
        #expect(F.compare(.less, F.decimal("1.5"), F.integer("2")) == true)
        #expect(F.compare(.greater, F.double("1e3"), F.decimal("999.9")) == true)
        #expect(F.compare(.lessOrEqual, F.integer("3"), F.float("3")) == true)
        #expect(F.compare(.greaterOrEqual, F.integer("-2"), F.integer("-1")) == false)
        #expect(F.compare(.less, F.double("-INF"), F.integer("-99999999999999999999")) == true)
        #expect(F.compare(.greater, F.integer("99999999999999999999"), F.integer("9223372036854775807")) == true)
        #expect(F.compare(.less, F.integer("abc"), F.integer("1")) == nil)
        #expect(F.compare(.less, F.integer("1"), .string("2")) == nil)
    }

    @Test func stringsCompareByCodePoint() {
        #expect(F.compare(.less, .string("abc"), .string("abd")) == true)
        #expect(F.compare(.less, .string("Z"), .string("a")) == true)
        #expect(F.compare(.less, .string("ab"), .string("abc")) == true)
        #expect(F.compare(.greater, .string("\u{10000}"), .string("\u{FFFF}")) == true)
        #expect(F.compare(.equal, .string("\u{E9}"), .string("e\u{301}")) == false)  // no normalization
        #expect(F.compare(.equal, .string("abc"), F.typed("abc", XSD.string)) == true)
        #expect(F.compare(.less, F.tagged("a", "en"), F.tagged("b", "en")) == nil)
        #expect(F.compare(.less, F.tagged("a", "en"), .string("b")) == nil)
    }

    @Test func booleans() {
        #expect(F.compare(.equal, F.typed("1", XSD.boolean), .boolean(true)) == true)
        #expect(F.compare(.greater, .boolean(true), .boolean(false)) == true)
        #expect(F.compare(.less, .boolean(true), .boolean(false)) == false)
        #expect(F.compare(.equal, .boolean(true), F.integer("1")) == false)
        #expect(F.compare(.equal, F.typed("yes", XSD.boolean), F.typed("yes", XSD.boolean)) == true)
        #expect(F.compare(.equal, F.typed("yes", XSD.boolean), .boolean(true)) == nil)
    }

    @Test func nonLiterals() {
        #expect(F.compare(.equal, .iri("http://a"), .iri("http://a")) == true)
        #expect(F.compare(.notEqual, .iri("http://a"), .iri("http://b")) == true)
        #expect(F.compare(.equal, .blank("a"), .blank("a")) == true)
        #expect(F.compare(.equal, .blank("a"), .iri("a")) == false)
        #expect(F.compare(.less, .iri("http://a"), .iri("http://b")) == nil)
        #expect(F.compare(.greater, .blank("a"), .string("a")) == nil)
    }

    /// expr-equals data-eq-dateTime.ttl (:d1…:d7) and the non-dateTime rows.
    @Test func dateTimeEquality() {
        let same = "2008-04-01T00:00:00Z"
        #expect(F.compare(.equal, F.dateTime(same), F.dateTime(same)) == true)
        #expect(F.compare(.equal, F.dateTime("2002-04-02T12:00:00"), F.dateTime("2002-04-02T12:00:00")) == true)
        #expect(
            F.compare(.equal, F.dateTime("2002-04-02T23:00:00-04:00"), F.dateTime("2002-04-03T02:00:00-01:00")) == true)
        #expect(F.compare(.equal, F.dateTime("2002-04-02T23:00:00"), F.dateTime("2002-04-02T23:00:00+06:00")) == nil)
        #expect(F.compare(.equal, F.dateTime("1999-12-31T24:00:00"), F.dateTime("2000-01-01T00:00:00")) == true)
        #expect(F.compare(.equal, F.dateTime("2005-04-04T24:00:00"), F.dateTime("2005-04-04T00:00:00")) == false)
        #expect(F.compare(.equal, F.dateTime("2008-04-01T00:00:00.00Z"), F.dateTime(same)) == true)
        #expect(F.compare(.equal, F.integer("1"), F.dateTime(same)) == false)
        #expect(F.compare(.equal, .boolean(true), F.dateTime(same)) == false)
        #expect(F.compare(.equal, .string(same), F.dateTime(same)) == false)
        #expect(F.compare(.equal, F.dateTime("2008-13-01T00:00:00Z"), F.dateTime(same)) == nil)
    }

    /// expr-ops data-dateTime.ttl: `<` and `>=` with and without timezones (two days apart: determinate).
    @Test(arguments: [
        ("2008-10-01T00:00:00Z", "2008-10-03T00:00:00Z", -1), ("2008-10-03T00:00:00", "2008-10-01T00:00:00", 1),
        ("2008-10-01T00:00:00", "2008-10-01T00:00:00", 0), ("2008-10-01T00:00:00Z", "2008-10-03T00:00:00", -1),
        ("2008-10-03T00:00:00Z", "2008-10-01T00:00:00", 1), ("2008-10-01T00:00:00", "2008-10-03T00:00:00Z", -1),
        ("2008-10-03T00:00:00", "2008-10-01T00:00:00Z", 1), ("2008-10-01T00:00:00.5Z", "2008-10-01T00:00:00.25Z", 1),
        ("-0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", -1), ("2000-01-01T14:00:01Z", "2000-01-01T00:00:00", 1),
    ])
    func dateTimeOrdering(lhs: String, rhs: String, order: Int) {
        #expect(F.compare(.less, F.dateTime(lhs), F.dateTime(rhs)) == (order < 0))
        #expect(F.compare(.greaterOrEqual, F.dateTime(lhs), F.dateTime(rhs)) == (order >= 0))
        #expect(F.compare(.equal, F.dateTime(lhs), F.dateTime(rhs)) == (order == 0))
    }

    @Test func indeterminateDateTimeOrderingIsAnError() {
        #expect(F.compare(.less, F.dateTime("2000-01-01T13:59:59Z"), F.dateTime("2000-01-01T00:00:00")) == nil)
        #expect(F.compare(.greater, F.dateTime("2000-01-01T00:00:00"), F.dateTime("2000-01-01T05:00:00+01:00")) == nil)
    }

    /// W3C sparql10/open-world date-1 … date-3: xsd:date as an extension type.
    @Test func dates() {
        let day = F.date("2006-08-23")
        #expect(F.compare(.equal, F.date("2006-08-23"), day) == true)
        #expect(F.compare(.equal, F.date("2006-08-23Z"), day) == nil)
        #expect(F.compare(.notEqual, F.date("2001-01-01Z"), day) == true)
        #expect(F.compare(.notEqual, F.dateTime("2006-08-23T09:00:00+01:00"), day) == true)
        #expect(F.compare(.greater, F.date("2006-08-23+00:00"), F.date("2006-08-22")) == true)
        #expect(F.compare(.greater, F.dateTime("2006-08-23T09:00:00+01:00"), F.date("2006-08-22")) == nil)
        #expect(F.compare(.less, F.date("2006-02-29"), day) == nil)  // not a date
    }
}
