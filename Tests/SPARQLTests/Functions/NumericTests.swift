import RDF
import Testing

@testable import SPARQL

/// XSD numerics: lexical spaces, canonical forms, promotion and arithmetic (SPARQL 1.1 §17.3, §17.4.4).
@Suite struct NumericTests {
    typealias F = Fixture

    @Test(arguments: [
        ("1", XSD.integer, true), ("+1", XSD.integer, true), ("-0", XSD.integer, true), ("007", XSD.integer, true),
        ("1.0", XSD.integer, false), ("abc", XSD.integer, false), (" 1", XSD.integer, false), ("", XSD.integer, false),
        ("+", XSD.integer, false), ("99999999999999999999", XSD.integer, true),
        ("1.", XSD.decimal, true), (".5", XSD.decimal, true), ("-.5", XSD.decimal, true), ("1.5e3", XSD.decimal, false),
        (".", XSD.decimal, false), ("1.2.3", XSD.decimal, false), ("12345678901234567890.123456789", XSD.decimal, true),
        ("1.5E-3", XSD.double, true), ("INF", XSD.double, true), ("+INF", XSD.double, true), ("-INF", XSD.float, true),
        ("NaN", XSD.double, true), ("inf", XSD.double, false), ("nan", XSD.float, false), ("1e", XSD.double, false),
        ("e1", XSD.double, false), (".e1", XSD.double, false), ("0x1p3", XSD.double, false), ("1.e2", XSD.double, true),
        ("127", XSD.byte, true), ("128", XSD.byte, false), ("-129", XSD.byte, false),
        ("65535", XSD.unsignedShort, true),
        ("-1", XSD.nonNegativeInteger, false), ("0", XSD.positiveInteger, false), ("0", XSD.nonPositiveInteger, true),
        ("0", XSD.negativeInteger, false), ("-99999999999999999999", XSD.negativeInteger, true),
        ("99999999999999999999", XSD.nonPositiveInteger, false), ("18446744073709551615", XSD.unsignedLong, true),
        ("18446744073709551616", XSD.unsignedLong, false), ("-1", XSD.unsignedLong, false),
        ("9223372036854775808", XSD.long, false), ("2147483648", XSD.int, false), ("1", XSD.string, false),
    ])
    func isNumericRequiresValidLexicalForm(lexical: String, datatype: String, valid: Bool) throws {
        #expect(try F.call(.isNumeric, F.typed(lexical, datatype)) == .boolean(valid))
    }

    @Test func isNumericOnNonLiterals() throws {
        #expect(try F.call(.isNumeric, .iri("http://example/1")) == .boolean(false))
        #expect(try F.call(.isNumeric, .string("1")) == .boolean(false))
    }

    @Test(arguments: [
        ("1.0", "1.0E0"), ("1", "1.0E0"), ("1.5e20", "1.5E20"), ("1e-7", "1.0E-7"), ("123456.0", "1.23456E5"),
        ("0", "0.0E0"), ("-0", "-0.0E0"), ("-0.00125", "-1.25E-3"), ("INF", "INF"), ("-INF", "-INF"), ("NaN", "NaN"),
        ("100", "1.0E2"), ("3.21E4", "3.21E4"),
    ])
    func doubleCanonicalForm(lexical: String, canonical: String) throws {
        #expect(try SPARQLFunctions.unary(negate: false, F.double(lexical)) == F.double(canonical))
    }

    @Test func floatAndDecimalCanonicalForms() throws {
        #expect(try SPARQLFunctions.unary(negate: false, F.float("0.1")) == F.float("1.0E-1"))
        #expect(try SPARQLFunctions.unary(negate: false, F.float("16777216")) == F.float("1.6777216E7"))
        #expect(try SPARQLFunctions.unary(negate: false, F.decimal("3")) == F.decimal("3.0"))
        #expect(try SPARQLFunctions.unary(negate: false, F.decimal("+003.1400")) == F.decimal("3.14"))
        #expect(try SPARQLFunctions.unary(negate: false, F.decimal("-.5")) == F.decimal("-0.5"))
        #expect(try SPARQLFunctions.unary(negate: false, F.decimal("-0.0")) == F.decimal("0.0"))
        #expect(try SPARQLFunctions.unary(negate: false, F.integer("+007")) == F.integer("7"))
        #expect(try SPARQLFunctions.unary(negate: false, F.typed("5", XSD.short)) == F.integer("5"))
    }

    @Test func unaryMinus() throws {
        #expect(try SPARQLFunctions.unary(negate: true, F.integer("1")) == F.integer("-1"))
        #expect(try SPARQLFunctions.unary(negate: true, F.decimal("1.5")) == F.decimal("-1.5"))
        #expect(try SPARQLFunctions.unary(negate: true, F.double("INF")) == F.double("-INF"))
        #expect(
            try SPARQLFunctions.unary(negate: true, F.integer("-9223372036854775808"))
                == F.integer("9223372036854775808"))
        #expect(throws: ExpressionError.self) { try SPARQLFunctions.unary(negate: true, .string("1")) }
        #expect(throws: ExpressionError.self) { try SPARQLFunctions.unary(negate: false, F.integer("x")) }
        #expect(throws: ExpressionError.self) { try SPARQLFunctions.unary(negate: true, .iri("http://example/")) }
    }

    /// W3C sparql10/type-promotion: the result datatype of `+` for every pair of types.
    @Test(arguments: [
        (XSD.short, XSD.byte, XSD.integer), (XSD.integer, XSD.short, XSD.integer),
        (XSD.long, XSD.unsignedInt, XSD.integer),
        (XSD.positiveInteger, XSD.negativeInteger, XSD.integer), (XSD.short, XSD.decimal, XSD.decimal),
        (XSD.decimal, XSD.decimal, XSD.decimal), (XSD.short, XSD.float, XSD.float), (XSD.float, XSD.decimal, XSD.float),
        (XSD.float, XSD.float, XSD.float), (XSD.double, XSD.float, XSD.double), (XSD.double, XSD.decimal, XSD.double),
        (XSD.short, XSD.double, XSD.double), (XSD.double, XSD.double, XSD.double),
    ])
    func typePromotion(lhs: String, rhs: String, result: String) throws {
        let one = { (type: String) in F.typed(type == XSD.negativeInteger ? "-1" : "1", type) }
        let sum = try SPARQLFunctions.arithmetic(.add, one(lhs), one(rhs))
        #expect(try F.call(.datatype, sum) == .iri(result))
    }

    @Test func integerAndDecimalArithmeticIsExact() {
        #expect(F.arithmetic(.add, F.integer("1"), F.integer("2")) == F.integer("3"))
        #expect(F.arithmetic(.add, F.decimal("1.0"), F.integer("2")) == F.decimal("3.0"))  // W3C plus-1
        #expect(F.arithmetic(.add, F.decimal("0.1"), F.decimal("0.2")) == F.decimal("0.3"))
        #expect(F.arithmetic(.subtract, F.integer("2"), F.decimal("2.5")) == F.decimal("-0.5"))
        #expect(F.arithmetic(.multiply, F.decimal("1.5"), F.integer("2")) == F.decimal("3.0"))
        #expect(F.arithmetic(.multiply, F.integer("-4"), F.integer("3")) == F.integer("-12"))
        #expect(F.arithmetic(.divide, F.integer("7"), F.integer("2")) == F.decimal("3.5"))
        #expect(F.arithmetic(.divide, F.integer("6"), F.integer("3")) == F.decimal("2.0"))
        #expect(F.arithmetic(.divide, F.decimal("3"), F.decimal("3")) == F.decimal("1.0"))
        let third = F.arithmetic(.divide, F.integer("1"), F.integer("3"))
        #expect(third.map { SPARQLFunctions.numericValue($0) ?? 0 }.map { abs($0 - 1.0 / 3.0) < 1e-15 } == true)
    }

    @Test func integerOverflowWidensExactly() {
        let max = F.integer("9223372036854775807")
        #expect(F.arithmetic(.add, max, F.integer("1")) == F.integer("9223372036854775808"))
        #expect(F.arithmetic(.multiply, max, F.integer("10")) == F.integer("92233720368547758070"))
        let big = F.integer("100000000000000000000")
        #expect(F.arithmetic(.subtract, big, F.integer("99999999999999999999")) == F.integer("1"))
        #expect(F.arithmetic(.add, big, F.decimal("0.5")) == F.decimal("100000000000000000000.5"))
    }

    @Test func divisionByZero() {
        #expect(F.arithmetic(.divide, F.integer("1"), F.integer("0")) == nil)
        #expect(F.arithmetic(.divide, F.decimal("1.0"), F.integer("0")) == nil)
        #expect(F.arithmetic(.divide, F.decimal("1.0"), F.decimal("0.0")) == nil)
        #expect(F.arithmetic(.divide, F.double("1"), F.integer("0")) == F.double("INF"))
        #expect(F.arithmetic(.divide, F.integer("-1"), F.double("0")) == F.double("-INF"))
        #expect(F.arithmetic(.divide, F.double("0"), F.double("0")) == F.double("NaN"))
        #expect(F.arithmetic(.divide, F.float("1"), F.integer("0")) == F.float("INF"))
    }

    @Test func floatingArithmetic() {
        #expect(F.arithmetic(.add, F.double("1.5"), F.integer("1")) == F.double("2.5E0"))
        #expect(F.arithmetic(.multiply, F.float("1.5"), F.decimal("2")) == F.float("3.0E0"))
        #expect(F.arithmetic(.subtract, F.double("INF"), F.double("INF")) == F.double("NaN"))
        #expect(F.arithmetic(.add, F.float("0.1"), F.double("0")) == F.double("1.0000000149011612E-1"))
    }

    /// W3C sparql11/functions plus-1: non-numeric operands (strings, IRIs, blank nodes) are errors.
    @Test func nonNumericOperandsAreErrors() {
        #expect(F.arithmetic(.add, .string("1"), F.integer("2")) == nil)
        #expect(F.arithmetic(.add, .blank("b0"), F.integer("1")) == nil)
        #expect(F.arithmetic(.add, .iri("http://example/a"), F.integer("1")) == nil)
        #expect(F.arithmetic(.add, F.integer("abc"), F.integer("1")) == nil)
        #expect(F.arithmetic(.add, F.typed("1", XSD.boolean), F.integer("1")) == nil)
        #expect(F.arithmetic(.add, F.tagged("1", "en"), F.integer("1")) == nil)
    }

    /// W3C sparql11/functions abs01, ceil01, floor01, round01 (data :n1…:n5), plus XPath edge cases.
    @Test(arguments: [
        (BuiltinFunction.round, F.decimal("2.5"), F.decimal("3.0")), (.round, F.decimal("-1.6"), F.decimal("-2.0")),
        (.round, F.decimal("1.1"), F.decimal("1.0")), (.round, F.decimal("-2.5"), F.decimal("-2.0")),
        (.round, F.integer("-2"), F.integer("-2")), (.round, F.double("2.5"), F.double("3.0E0")),
        (.round, F.double("-2.5"), F.double("-2.0E0")), (.round, F.double("-0.4"), F.double("-0.0E0")),
        (.round, F.double("0.49999999999999994"), F.double("0.0E0")), (.round, F.float("NaN"), F.float("NaN")),
        (.round, F.typed("7", XSD.short), F.integer("7")), (.ceil, F.decimal("2.5"), F.decimal("3.0")),
        (.ceil, F.decimal("-1.6"), F.decimal("-1.0")), (.ceil, F.decimal("1.1"), F.decimal("2.0")),
        (.ceil, F.integer("-1"), F.integer("-1")), (.ceil, F.double("-0.5"), F.double("-0.0E0")),
        (.floor, F.decimal("2.5"), F.decimal("2.0")), (.floor, F.decimal("-1.6"), F.decimal("-2.0")),
        (.floor, F.float("1.9"), F.float("1.0E0")), (.abs, F.integer("-2"), F.integer("2")),
        (.abs, F.decimal("-1.6"), F.decimal("1.6")), (.abs, F.double("-INF"), F.double("INF")),
        (.abs, F.typed("-3", XSD.int), F.integer("3")),
        (.abs, F.integer("-9223372036854775808"), F.integer("9223372036854775808")),
    ])
    func roundingFunctions(function: BuiltinFunction, argument: Term, expected: Term) throws {
        #expect(try F.call(function, argument) == expected)
    }

    @Test func roundingFunctionsRejectNonNumerics() {
        #expect(F.fails(.abs, .string("-1")))
        #expect(F.fails(.round, F.decimal("1.x")))
        #expect(F.fails(.ceil, .iri("http://example/")))
        #expect(F.fails(.floor))
    }

    @Test func randUsesTheInjectedSource() throws {
        #expect(try F.call(.rand) == F.double("2.5E-1"))
        let context = FunctionContext(now: "", random: { 0.0 })
        #expect(try SPARQLFunctions.call(.rand, [], context: context) == F.double("0.0E0"))
    }

    @Test func numericValue() {
        #expect(SPARQLFunctions.numericValue(F.integer("42")) == 42)
        #expect(SPARQLFunctions.numericValue(F.decimal("-1.5")) == -1.5)
        #expect(SPARQLFunctions.numericValue(F.typed("7", XSD.unsignedByte)) == 7)
        #expect(SPARQLFunctions.numericValue(F.double("1e300")) == 1e300)
        #expect(SPARQLFunctions.numericValue(F.integer("x")) == nil)
        #expect(SPARQLFunctions.numericValue(.string("1")) == nil)
        #expect(SPARQLFunctions.numericValue(.iri("http://example/")) == nil)
    }
}
