import RDF

/// The decimal digits of Swift's shortest round-trip description of a finite `Double` or `Float`
/// (`"123.5"`, `"1e-07"`, `"-1.5e+20"`): value = 0.`digits` × 10^`pointPosition`, no leading or trailing zeros.
struct ShortestDigits {
    /// Whether the value is negative.
    var negative: Bool
    /// ASCII digits without leading or trailing zeros; empty for zero.
    var digits: [UInt8]
    /// Position of the decimal point relative to the first digit.
    var pointPosition: Int

    /// Parses Swift's description of a finite float or double; nil for `inf`/`nan`.
    init?(_ description: String) {
        var negative = false
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var integerDigits = 0
        var sawPoint = false
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for byte in description.utf8 {
            switch byte {
            case 0x2D where inExponent: exponentNegative = true
            case 0x2D: negative = true
            case 0x2B: continue
            case 0x2E: sawPoint = true
            case 0x65, 0x45: inExponent = true
            case 0x30...0x39:
                if inExponent {
                    exponent = exponent * 10 + Int(byte - 0x30)
                } else {
                    digits.append(byte)
                    if !sawPoint { integerDigits += 1 }
                }
            default: return nil  // "inf", "nan"
            }
        }
        var point = integerDigits + (exponentNegative ? -exponent : exponent)
        // Strip leading zeros (each moves the point left) and trailing zeros.
        var leading = 0
        while leading < digits.count && digits[leading] == 0x30 { leading += 1 }
        point -= leading
        digits.removeFirst(leading)
        while let last = digits.last, last == 0x30 { digits.removeLast() }
        self.negative = negative
        self.digits = digits
        self.pointPosition = digits.isEmpty ? 0 : point
    }

    /// The XSD 1.0 canonical form of float and double (XSD 1.0 Part 2 §3.2.5.2): a mantissa with one non-zero
    /// digit before the point and at least one after, `E`, and an exponent without `+` or leading zeros
    /// (`1.0E0`, `-1.25E-3`, `0.0E0`).
    var canonicalScientific: String {
        var result = self.negative ? "-" : ""
        guard let first = self.digits.first else { return result + "0.0E0" }
        result.unicodeScalars.append(Unicode.Scalar(first))
        result += "."
        if self.digits.count == 1 {
            result += "0"
        } else {
            for digit in self.digits.dropFirst() { result.unicodeScalars.append(Unicode.Scalar(digit)) }
        }
        result += "E"
        result += String(self.pointPosition - 1)
        return result
    }
}

extension ShortestDigits {
    /// The exact decimal value; nil if it needs more than 38 digits before or after the point.
    var decimal: XSDDecimal? {
        var significand: Int128 = 0
        for digit in self.digits { significand = significand * 10 + Int128(digit - 0x30) }
        let scale = self.digits.count - self.pointPosition
        if scale >= 0 { return XSDDecimal(self.negative ? -significand : significand, scale: scale) }
        guard -scale <= 38 else { return nil }
        let (scaled, overflow) = significand.multipliedReportingOverflow(by: XSDDecimal.powersOfTen[-scale])
        guard !overflow else { return nil }
        return XSDDecimal(self.negative ? -scaled : scaled, scale: 0)
    }
}

extension XSDNumeric {
    /// The canonical lexical form (XSD 1.0 Part 2 canonical representations, which the W3C SPARQL results use
    /// for computed values: integer `3`, decimal `3.0` / `2.5`, double and float `1.0E0`, `INF`, `-INF`, `NaN`).
    var canonicalLexical: String {
        switch self {
        case .integer(let value): return String(value)
        case .bigInteger(let value): return String(value)
        case .decimal(let value): return value.canonicalLexical
        case .float(let value):
            if value.isNaN { return "NaN" }
            if value.isInfinite { return value < 0 ? "-INF" : "INF" }
            return ShortestDigits(value.description)?.canonicalScientific ?? value.description
        case .double(let value):
            return XSDNumeric.canonicalDouble(value)
        }
    }

    /// The canonical `xsd:double` lexical form (XSD 1.0 Part 2 §3.2.5.2).
    static func canonicalDouble(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-INF" : "INF" }
        return ShortestDigits(value.description)?.canonicalScientific ?? value.description
    }

    /// The literal holding this value in canonical form, typed with the primitive result datatype.
    var term: Term {
        .literal(Literal(self.canonicalLexical, datatype: self.datatype))
    }
}
