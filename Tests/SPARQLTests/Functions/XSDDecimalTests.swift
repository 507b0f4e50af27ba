import RDF
import Testing

@testable import SPARQL

/// The exact 38-digit decimal behind `xsd:decimal` and large `xsd:integer` values (XPath 2.0 F&O §6.2).
@Suite struct XSDDecimalTests {
    typealias F = Fixture

    private func decimal(_ lexical: String) -> XSDDecimal? { XSDNumeric.parseDecimal(lexical) }

    @Test func parsingNormalizes() {
        #expect(self.decimal("1.50")?.canonicalLexical == "1.5")
        #expect(self.decimal("-000.0100")?.canonicalLexical == "-0.01")
        #expect(self.decimal("-0.000")?.canonicalLexical == "0.0")
        #expect(self.decimal("100")?.canonicalLexical == "100.0")
        #expect(
            self.decimal("0.00000000000000000000000000000000000001")?.canonicalLexical
                == "0.00000000000000000000000000000000000001")
        #expect(
            self.decimal("99999999999999999999999999999999999999")?.canonicalLexical
                == "99999999999999999999999999999999999999.0")
        #expect(self.decimal("1.5") == self.decimal("1.500"))
    }

    @Test func precisionLimits() throws {
        // Fractional digits beyond 38 significant digits are rounded; integer parts beyond 38 digits are rejected.
        #expect(
            self.decimal("0.123456789012345678901234567890123456789")?.canonicalLexical
                == "0.12345678901234567890123456789012345679")
        #expect(self.decimal("1.0000000000000000000000000000000000000000001")?.canonicalLexical == "1.0")
        #expect(self.decimal("123456789012345678901234567890123456789") == nil)
        #expect(try F.call(.isNumeric, F.integer("123456789012345678901234567890123456789")) == .boolean(false))
    }

    @Test func division() {
        #expect(
            F.arithmetic(.divide, F.integer("1"), F.integer("3"))
                == F.decimal("0.33333333333333333333333333333333333333"))
        #expect(
            F.arithmetic(.divide, F.integer("2"), F.integer("3"))
                == F.decimal("0.66666666666666666666666666666666666667"))
        #expect(
            F.arithmetic(.divide, F.decimal("-2"), F.integer("3"))
                == F.decimal("-0.66666666666666666666666666666666666667"))
        #expect(F.arithmetic(.divide, F.decimal("1"), F.decimal("0.001")) == F.decimal("1000.0"))
        #expect(
            F.arithmetic(.divide, F.decimal("10000000000000000000000000000000000000"), F.integer("3"))
                == F.decimal("3333333333333333333333333333333333333.3"))
        #expect(F.arithmetic(.divide, F.decimal("1.5"), F.decimal("-0.5")) == F.decimal("-3.0"))
        #expect(F.arithmetic(.divide, F.decimal("90000000000000000000000000000000000000"), F.decimal("0.1")) == nil)
        let almostOne = F.decimal("0.99999999999999999999999999999999999999")
        #expect(
            F.arithmetic(.divide, F.integer("5"), almostOne) == F.decimal("5.0000000000000000000000000000000000001"))
        #expect(F.arithmetic(.divide, almostOne, almostOne) == F.decimal("1.0"))
    }

    @Test func additionAcrossScales() {
        #expect(F.arithmetic(.add, F.decimal("0.1"), F.decimal("0.02")) == F.decimal("0.12"))
        #expect(F.arithmetic(.subtract, F.decimal("1"), F.decimal("0.999")) == F.decimal("0.001"))
        #expect(F.arithmetic(.add, F.decimal("-1.25"), F.decimal("1.25")) == F.decimal("0.0"))
        // The finer operand is rounded to the coarser one's precision when aligning would overflow.
        let large = F.decimal("10000000000000000000000000000000000000")
        #expect(F.arithmetic(.add, large, F.decimal("0.5")) == F.decimal("10000000000000000000000000000000000001.0"))
        #expect(F.arithmetic(.add, large, large) == F.decimal("20000000000000000000000000000000000000.0"))
        #expect(F.arithmetic(.multiply, large, F.integer("100")) == nil)
    }

    @Test func multiplicationKeepsPrecision() {
        #expect(F.arithmetic(.multiply, F.decimal("0.1"), F.decimal("0.1")) == F.decimal("0.01"))
        #expect(F.arithmetic(.multiply, F.decimal("-2.5"), F.decimal("4")) == F.decimal("-10.0"))
        let tiny = F.decimal("0.00000000000000000000000000001")
        #expect(F.arithmetic(.multiply, tiny, tiny) == F.decimal("0.0"))  // below 38 fractional digits
    }

    @Test func comparisonWithoutCommonScale() {
        let big = XSDDecimal(Int128(10) * XSDDecimal.powersOfTen[36], scale: 0)!
        let small = self.decimal("0.00000000000000000000000000000000000001")!
        #expect(XSDDecimal.compare(big, small) == 1)
        #expect(XSDDecimal.compare(small, big) == -1)
        #expect(XSDDecimal.compare(big.negated, small) == -1)
        #expect(XSDDecimal.compare(small, big.negated) == 1)
        #expect(XSDDecimal.compare(self.decimal("2.50")!, self.decimal("2.5")!) == 0)
    }

    @Test func largeIntegers() throws {
        let max = "99999999999999999999999999999999999999"
        #expect(F.arithmetic(.add, F.integer(max), F.integer("1")) == nil)
        #expect(F.arithmetic(.subtract, F.integer(max), F.integer(max)) == F.integer("0"))
        #expect(
            F.arithmetic(.multiply, F.integer("9223372036854775807"), F.integer("9223372036854775807"))
                == F.integer("85070591730234615847396907784232501249"))
        #expect(F.arithmetic(.divide, F.integer(max), F.integer(max)) == F.decimal("1.0"))
        #expect(F.compare(.less, F.integer("-" + max), F.integer("-9223372036854775808")) == true)
        #expect(try F.call(.round, F.integer(max)) == F.integer(max))
    }

    @Test(arguments: [
        ("2.5", "2.0", "3.0", "3.0"), ("-2.5", "-3.0", "-2.0", "-2.0"), ("-2.6", "-3.0", "-2.0", "-3.0"),
        ("2.4999", "2.0", "3.0", "2.0"), ("-0.5", "-1.0", "0.0", "0.0"), ("7", "7.0", "7.0", "7.0"),
    ])
    func rounding(value: String, floor: String, ceil: String, round: String) throws {
        #expect(try F.call(.floor, F.decimal(value)) == F.decimal(floor))
        #expect(try F.call(.ceil, F.decimal(value)) == F.decimal(ceil))
        #expect(try F.call(.round, F.decimal(value)) == F.decimal(round))
    }

    @Test func conversions() {
        #expect(self.decimal("0.1")?.doubleValue == 0.1)
        #expect(self.decimal("123456789012345678901234567890.5")?.doubleValue == 1.2345678901234568e29)
        #expect(self.decimal("0.1")?.floatValue == Float(0.1))
        #expect(ShortestDigits("1e+300")?.decimal == nil)
        #expect(ShortestDigits("-1.25e-05")?.decimal?.canonicalLexical == "-0.0000125")
        #expect(ShortestDigits("1.5e+20")?.decimal?.canonicalLexical == "150000000000000000000.0")
    }
}
