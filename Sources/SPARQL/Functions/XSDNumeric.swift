import RDF

/// A value of one of the four primitive XSD numeric types SPARQL operates on (SPARQL 1.1 §17.1 "numeric";
/// XSD 1.1 Part 2 §3.3.3 decimal, §3.3.5 float, §3.3.6 double, §3.4.13 integer). Every type derived from
/// `xsd:integer` (`xsd:int`, `xsd:unsignedByte`, …) is represented as an integer, as XPath 2.0 §6.2 type
/// promotion and the operator results treat them.
///
/// Integers that fit in `Int` are held natively (the fast path); larger ones exactly as `Int128` (up to 38
/// digits). Decimals are exact (`XSDDecimal`), floats and doubles are IEEE 754.
enum XSDNumeric: Sendable, Equatable {
    /// An `xsd:integer` (or derived) value in `Int` range.
    case integer(Int)
    /// An `xsd:integer` value outside the `Int` range (up to 38 digits).
    case bigInteger(Int128)
    /// An `xsd:decimal` value.
    case decimal(XSDDecimal)
    /// An `xsd:float` value.
    case float(Float)
    /// An `xsd:double` value.
    case double(Double)

    /// The promotion rank of XPath 2.0 Appendix B.1: integer < decimal < float < double.
    var rank: Int {
        switch self {
        case .integer, .bigInteger: 0
        case .decimal: 1
        case .float: 2
        case .double: 3
        }
    }

    /// The XSD datatype IRI of results of this kind (derived integer types are reported as `xsd:integer`).
    var datatype: String {
        switch self {
        case .integer, .bigInteger: XSD.integer
        case .decimal: XSD.decimal
        case .float: XSD.float
        case .double: XSD.double
        }
    }

    /// An integer value as Int128 (integers only).
    var wideInteger: Int128? {
        switch self {
        case .integer(let value): Int128(value)
        case .bigInteger(let value): value
        default: nil
        }
    }

    /// The value as an exact decimal; nil for NaN, infinities and magnitudes beyond 38 digits. Floats and doubles
    /// convert from their shortest round-tripping decimal form.
    var decimalValue: XSDDecimal? {
        switch self {
        case .integer(let value): XSDDecimal(value)
        case .bigInteger(let value): XSDDecimal(value, scale: 0)
        case .decimal(let value): value
        case .float(let value): value.isFinite ? ShortestDigits(value.description)?.decimal : nil
        case .double(let value): value.isFinite ? ShortestDigits(value.description)?.decimal : nil
        }
    }

    /// The value as a `Double` (correctly rounded from exact integers and decimals).
    var doubleValue: Double {
        switch self {
        case .integer(let value): Double(value)
        case .bigInteger(let value): Double(value)
        case .decimal(let value): value.doubleValue
        case .float(let value): Double(value)
        case .double(let value): value
        }
    }

    /// The value as a `Float` (XPath 2.0 §6.2 promotion of integer and decimal to float).
    var floatValue: Float {
        switch self {
        case .integer(let value): Float(value)
        case .bigInteger(let value): Float(value)
        case .decimal(let value): value.floatValue
        case .float(let value): value
        case .double(let value): Float(value)
        }
    }

    /// An exact integer, on the `Int` fast path when it fits.
    static func integer(wide value: Int128) -> XSDNumeric {
        if let int = Int(exactly: value) { return .integer(int) }
        return .bigInteger(value)
    }
}

/// The numeric XSD datatypes a literal can have, with the value-range facets of the integer-derived types
/// (XSD 1.1 Part 2 §3.4.14–§3.4.28).
enum XSDNumericDatatype: Sendable, Equatable {
    /// `xsd:integer` or a derived type with its inclusive bounds (nil: unbounded).
    case integer(min: Int?, max: Int?)
    /// `xsd:unsignedLong`: 0…18446744073709551615, beyond `Int.max`.
    case unsignedLong
    /// `xsd:decimal`.
    case decimal
    /// `xsd:float`.
    case float
    /// `xsd:double`.
    case double

    /// Classifies a datatype IRI; nil for non-numeric datatypes.
    static func of(_ datatype: String) -> XSDNumericDatatype? {
        if case .numeric(let type) = DatatypeClass(datatype) { return type }
        return nil
    }
}

extension XSDNumeric {
    /// Parses the lexical form of a literal whose datatype is numeric; nil if the datatype is not numeric or the
    /// lexical form is not in its lexical space (an ill-typed literal, SPARQL 1.1 §17.3 / RDF 1.1 Concepts §3.3).
    static func parse(_ literal: Literal) -> XSDNumeric? {
        guard let type = XSDNumericDatatype.of(literal.datatype) else { return nil }
        return self.parse(literal.lexical, as: type)
    }

    /// Parses `lexical` in the lexical space of `type`, checking the range facets of derived integer types.
    static func parse(_ lexical: String, as type: XSDNumericDatatype) -> XSDNumeric? {
        switch type {
        case .integer(let min, let max):
            guard let value = self.parseInteger(lexical) else { return nil }
            switch value {
            case .integer(let int):
                if let min, int < min { return nil }
                if let max, int > max { return nil }
            case .bigInteger(let big):
                // Only the unbounded-on-that-side types admit values beyond Int.
                if big < 0, min != nil { return nil }
                if big > 0, max != nil { return nil }
            default: break
            }
            return value
        case .unsignedLong:
            guard let value = self.parseInteger(lexical) else { return nil }
            switch value {
            case .integer(let int): return int >= 0 ? value : nil
            case .bigInteger(let big): return big > 0 && big <= Int128(UInt64.max) ? value : nil
            default: return nil
            }
        case .decimal:
            return self.parseDecimal(lexical).map { .decimal($0) }
        case .double:
            return self.parseFloatingLexical(lexical).flatMap { Double($0) }.map { .double($0) }
        case .float:
            return self.parseFloatingLexical(lexical).flatMap { Float($0) }.map { .float($0) }
        }
    }

    /// `[\-+]?[0-9]+` (XSD 1.1 Part 2 §3.4.13.1); integers beyond 38 digits are not supported (nil).
    static func parseInteger(_ lexical: String) -> XSDNumeric? {
        if let int = Int(lexical) {
            // Int(_:) accepts exactly [+-]?[0-9]+ in radix 10.
            return .integer(int)
        }
        guard let value = self.parseDecimal(lexical, integerOnly: true) else { return nil }
        return self.integer(wide: value.significand)
    }

    /// `(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)` (XSD 1.1 Part 2 §3.3.3.1), parsed exactly. Fractional digits beyond
    /// 38 significant digits are rounded; integer parts beyond 38 digits are not supported (nil).
    static func parseDecimal(_ lexical: String, integerOnly: Bool = false) -> XSDDecimal? {
        var negative = false
        var significand: Int128 = 0
        var digits = 0
        var scale = 0
        var pendingZeros = 0
        var sawDigit = false
        var sawPoint = false
        var first = true
        var roundUp = false
        var full = false
        for byte in lexical.utf8 {
            defer { first = false }
            switch byte {
            case 0x30...0x39:
                sawDigit = true
                let digit = Int128(byte - 0x30)
                if !sawPoint {
                    guard significand != 0 || digit != 0 else { continue }
                    guard digits < 38 else { return nil }
                    significand = significand * 10 + digit
                    digits += 1
                } else if full {
                    continue
                } else if digit == 0 {
                    pendingZeros += 1
                } else if digits + pendingZeros + 1 <= 38 {
                    significand = significand * XSDDecimal.powersOfTen[pendingZeros + 1] + digit
                    digits += significand == digit ? 1 : pendingZeros + 1
                    scale += pendingZeros + 1
                    pendingZeros = 0
                } else {
                    // Out of precision: round on the first dropped digit, ignore the rest.
                    full = true
                    roundUp = pendingZeros == 0 && digit >= 5 && digits + pendingZeros == 38
                }
            case 0x2E where !sawPoint && !integerOnly:
                sawPoint = true
            case 0x2B where first, 0x2D where first:
                negative = byte == 0x2D
            default:
                return nil
            }
        }
        guard sawDigit else { return nil }
        if roundUp { significand += 1 }
        return XSDDecimal(negative ? -significand : significand, scale: scale)
    }

    /// Validates `(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee](\+|-)?[0-9]+)?|(\+|-)?INF|NaN` (XSD 1.1 Part 2
    /// §3.3.6.1) and returns the text for Swift's correctly rounded conversion, mapping the special values.
    static func parseFloatingLexical(_ lexical: String) -> String? {
        switch lexical {
        case "INF", "+INF": return "inf"
        case "-INF": return "-inf"
        case "NaN": return "nan"
        default: break
        }
        var sawDigit = false
        var sawPoint = false
        var inExponent = false
        var exponentDigits = 0
        var previous: UInt8 = 0
        for byte in lexical.utf8 {
            defer { previous = byte }
            switch byte {
            case 0x30...0x39:
                if inExponent { exponentDigits += 1 } else { sawDigit = true }
            case 0x2E where !sawPoint && !inExponent:
                sawPoint = true
            case 0x45, 0x65:
                guard sawDigit, !inExponent else { return nil }
                inExponent = true
            case 0x2B, 0x2D:
                // Sign at the very start or right after the exponent marker.
                guard previous == 0 || previous == 0x45 || previous == 0x65 else { return nil }
            default:
                return nil
            }
        }
        guard sawDigit, !inExponent || exponentDigits > 0 else { return nil }
        return lexical
    }
}
