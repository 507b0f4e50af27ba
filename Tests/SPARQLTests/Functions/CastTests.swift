import RDF
import Testing

@testable import SPARQL

/// XPath constructor functions (SPARQL 1.1 §17.5 cast table, XPath 2.0 F&O §17.1).
@Suite struct CastTests {
    typealias F = Fixture

    private func cast(_ term: Term, _ datatype: String) -> Term? {
        try? SPARQLFunctions.cast(term, to: datatype)
    }

    @Test func notACastTarget() throws {
        #expect(try SPARQLFunctions.cast(.string("1"), to: XSD.short) == nil)
        #expect(try SPARQLFunctions.cast(.string("1"), to: "http://example/dt") == nil)
        #expect(try SPARQLFunctions.cast(.string("1"), to: XSD.date) == nil)
    }

    @Test func toString() {
        #expect(self.cast(.iri("http://a/b"), XSD.string) == .string("http://a/b"))
        #expect(self.cast(F.integer("01"), XSD.string) == .string("01"))
        #expect(self.cast(.boolean(true), XSD.string) == .string("true"))
        #expect(self.cast(F.dateTime("2011-01-01T00:00:00Z"), XSD.string) == .string("2011-01-01T00:00:00Z"))
        #expect(self.cast(F.typed("x", XSD.string), XSD.string) == .string("x"))
        #expect(self.cast(.blank("b"), XSD.string) == nil)
        #expect(self.cast(F.tagged("x", "en"), XSD.string) == nil)
        #expect(self.cast(F.unknown("x"), XSD.string) == nil)
        #expect(self.cast(F.integer("x"), XSD.string) == nil)
    }

    /// String → numeric needs a valid lexical form (W3C sort-function: ORDER BY xsd:integer(?o); agg-err-02).
    @Test(arguments: [
        ("300", XSD.integer, F.integer("300")), (" 10 ", XSD.integer, F.integer("10")),
        ("+2", XSD.integer, F.integer("2")),
        ("1.0", XSD.integer, nil), ("", XSD.integer, nil), ("1 0", XSD.integer, nil),
        ("2.50", XSD.decimal, F.decimal("2.5")), ("1e3", XSD.decimal, nil), ("7", XSD.decimal, F.decimal("7.0")),
        ("1e3", XSD.double, F.double("1.0E3")), ("not a double", XSD.double, nil), ("INF", XSD.float, F.float("INF")),
        (".5", XSD.float, F.float("5.0E-1")), ("true", XSD.boolean, Term.boolean(true)),
        ("0", XSD.boolean, .boolean(false)),
        ("TRUE", XSD.boolean, nil), ("2011-01-01T00:00:00Z", XSD.dateTime, F.dateTime("2011-01-01T00:00:00Z")),
        ("2011-01-01", XSD.dateTime, nil), ("abc", XSD.dateTime, nil),
    ])
    func fromString(lexical: String, datatype: String, expected: Term?) {
        #expect(self.cast(.string(lexical), datatype) == expected)
        #expect(self.cast(F.typed(lexical, XSD.string), datatype) == expected)
    }

    @Test func numericToNumeric() {
        #expect(self.cast(F.double("3.7"), XSD.integer) == F.integer("3"))
        #expect(self.cast(F.double("-3.7"), XSD.integer) == F.integer("-3"))
        #expect(self.cast(F.double("1e20"), XSD.integer) == F.integer("100000000000000000000"))
        #expect(self.cast(F.double("NaN"), XSD.integer) == nil)
        #expect(self.cast(F.float("-INF"), XSD.decimal) == nil)
        #expect(self.cast(F.decimal("-2.9"), XSD.integer) == F.integer("-2"))
        #expect(self.cast(F.decimal("2.9"), XSD.integer) == F.integer("2"))
        #expect(self.cast(F.double("0.1"), XSD.decimal) == F.decimal("0.1"))
        #expect(self.cast(F.double("1.5e-7"), XSD.decimal) == F.decimal("0.00000015"))
        #expect(self.cast(F.integer("3"), XSD.double) == F.double("3.0E0"))
        #expect(self.cast(F.decimal("0.1"), XSD.float) == F.float("1.0E-1"))
        #expect(self.cast(F.typed("5", XSD.unsignedByte), XSD.integer) == F.integer("5"))
        #expect(self.cast(F.integer("12"), XSD.decimal) == F.decimal("12.0"))
        #expect(self.cast(F.integer("x"), XSD.double) == nil)
    }

    @Test func booleanConversions() {
        #expect(self.cast(.boolean(true), XSD.integer) == F.integer("1"))
        #expect(self.cast(.boolean(false), XSD.decimal) == F.decimal("0.0"))
        #expect(self.cast(.boolean(true), XSD.double) == F.double("1.0E0"))
        #expect(self.cast(.boolean(true), XSD.float) == F.float("1.0E0"))
        #expect(self.cast(F.typed("1", XSD.boolean), XSD.boolean) == .boolean(true))
        #expect(self.cast(F.integer("0"), XSD.boolean) == .boolean(false))
        #expect(self.cast(F.decimal("0.5"), XSD.boolean) == .boolean(true))
        #expect(self.cast(F.double("NaN"), XSD.boolean) == .boolean(false))
        #expect(self.cast(.boolean(true), XSD.dateTime) == nil)
    }

    @Test func disallowedCasts() {
        #expect(self.cast(.iri("http://a"), XSD.integer) == nil)
        #expect(self.cast(.blank("b"), XSD.boolean) == nil)
        #expect(self.cast(F.dateTime("2011-01-01T00:00:00Z"), XSD.integer) == nil)
        #expect(self.cast(F.integer("1"), XSD.dateTime) == nil)
        #expect(self.cast(F.tagged("1", "en"), XSD.integer) == nil)
        #expect(self.cast(F.unknown("1"), XSD.integer) == nil)
        #expect(self.cast(F.date("2011-01-01"), XSD.dateTime) == nil)
        #expect(self.cast(F.dateTime("2011-01-01T00:00:00Z"), XSD.dateTime) == F.dateTime("2011-01-01T00:00:00Z"))
    }
}
