/// An exact `xsd:decimal`, kept as digits so that no binary rounding ever changes an agreed price or quantity
/// (XML Schema 1.1 Part 2 §3.3.3).
///
/// Lexical form `[+-]?(d+(.d*)?|.d+)`, no exponent, at most 40 digits on each side of the point. Equality and
/// order are numeric (`1.50 == 1.5`); ``description`` is the canonical representation of §3.3.3.2: no `+`, no
/// leading zeros except a single `0`, no trailing fractional zeros, no point for integers, `0` never negative.
public struct XSDDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whether the value is below zero (never true for zero).
    public let isNegative: Bool
    /// The integer digits without leading zeros; `"0"` for values below one.
    public let integerDigits: String
    /// The fraction digits without trailing zeros; empty for integers.
    public let fractionDigits: String

    /// Parses the lexical form, surrounding whitespace allowed; `nil` when invalid (XSD §3.3.3.1).
    public init?(_ text: String) {
        var reader = XSDLexical.Reader(Array(XSDLexical.trimmed(text).utf8))
        var negative = false
        if reader.expect("-") {
            negative = true
        } else {
            _ = reader.expect("+")
        }
        guard let integer = reader.digitString() else { return nil }
        var fraction = ""
        if reader.expect(".") {
            guard let digits = reader.digitString() else { return nil }
            fraction = digits
        }
        guard reader.isAtEnd, !(integer.isEmpty && fraction.isEmpty) else { return nil }
        self.init(negative: negative, integer: integer, fraction: fraction)
    }

    /// Creates an integral value.
    public init(_ value: Int) {
        self.init(negative: value < 0, integer: String(value.magnitude), fraction: "")
    }

    private init(negative: Bool, integer: String, fraction: String) {
        var integer = Substring(integer)
        while integer.count > 1, integer.first == "0" { integer.removeFirst() }
        var fraction = Substring(fraction)
        while fraction.last == "0" { fraction.removeLast() }
        self.integerDigits = integer.isEmpty ? "0" : String(integer)
        self.fractionDigits = String(fraction)
        self.isNegative = negative && !(self.integerDigits == "0" && self.fractionDigits.isEmpty)
    }

    /// Whether the value is zero.
    public var isZero: Bool { self.integerDigits == "0" && self.fractionDigits.isEmpty }

    /// Whether the value has no fractional part.
    public var isIntegral: Bool { self.fractionDigits.isEmpty }

    /// The canonical representation (XSD §3.3.3.2), e.g. `42.5`, `0.001`, `-3`.
    public var description: String {
        (self.isNegative ? "-" : "") + self.integerDigits
            + (self.fractionDigits.isEmpty ? "" : "." + self.fractionDigits)
    }

    /// Numeric order (XSD §3.3.3: decimal is totally ordered).
    public static func < (lhs: XSDDecimal, rhs: XSDDecimal) -> Bool {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative }
        let magnitudeLess = Self.magnitudeLess(lhs, rhs)
        let magnitudeGreater = Self.magnitudeLess(rhs, lhs)
        return lhs.isNegative ? magnitudeGreater : magnitudeLess
    }

    private static func magnitudeLess(_ lhs: XSDDecimal, _ rhs: XSDDecimal) -> Bool {
        if lhs.integerDigits.count != rhs.integerDigits.count {
            return lhs.integerDigits.count < rhs.integerDigits.count
        }
        if lhs.integerDigits != rhs.integerDigits { return lhs.integerDigits < rhs.integerDigits }
        let width = max(lhs.fractionDigits.count, rhs.fractionDigits.count)
        let left = lhs.fractionDigits + String(repeating: "0", count: width - lhs.fractionDigits.count)
        let right = rhs.fractionDigits + String(repeating: "0", count: width - rhs.fractionDigits.count)
        return left < right
    }
}
