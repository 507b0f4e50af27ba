/// An exact `xsd:decimal` value (XSD 1.1 Part 2 §3.3.3): `significand` × 10^-`scale` with up to 38 significant
/// digits, always normalized (no trailing fractional zeros), so equal values have equal representations.
///
/// XPath 2.0 F&O §6.2 leaves decimal precision implementation-defined (at least 18 digits): this type keeps 38,
/// rounds quotients to that precision and reports overflow of the integer part as an error.
struct XSDDecimal: Sendable, Hashable {
    /// The digits as an integer, |significand| < 10^38.
    private(set) var significand: Int128
    /// Digits after the decimal point, 0…38.
    private(set) var scale: Int

    /// 10^0 … 10^38.
    static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// The largest significand: 38 nines.
    static let maxSignificand: Int128 = powersOfTen[38] - 1

    /// 0.0.
    static let zero = XSDDecimal(normalizing: 0, scale: 0)

    /// `significand` × 10^-`scale`, with trailing fractional zeros removed; nil when |significand| needs more
    /// than 38 digits.
    init?(_ significand: Int128, scale: Int) {
        guard significand.magnitude <= XSDDecimal.maxSignificand.magnitude, (0...38).contains(scale) else {
            return nil
        }
        self.init(normalizing: significand, scale: scale)
    }

    private init(normalizing significand: Int128, scale: Int) {
        var significand = significand
        var scale = scale
        while scale > 0 && significand % 10 == 0 {
            significand /= 10
            scale -= 1
        }
        if significand == 0 { scale = 0 }
        self.significand = significand
        self.scale = scale
    }

    /// An integer value.
    init(_ value: Int) {
        self.significand = Int128(value)
        self.scale = 0
    }

    /// Whether the value is zero.
    var isZero: Bool { self.significand == 0 }
    /// Whether the value is below zero.
    var isNegative: Bool { self.significand < 0 }

    /// The integer part (truncated towards zero) and the fractional remainder's significand at `scale`.
    var truncated: (quotient: Int128, remainder: Int128) {
        let divisor = XSDDecimal.powersOfTen[self.scale]
        return (self.significand / divisor, self.significand % divisor)
    }

    /// The correctly rounded `Double` (fast exact path for small values, else through the decimal text).
    var doubleValue: Double {
        if self.scale <= 22 && self.significand.magnitude < (1 << 53) {
            return Double(self.significand) / XSDDecimal.doublePowers[self.scale]
        }
        return Double(self.canonicalLexical) ?? .nan
    }

    /// The correctly rounded `Float`.
    var floatValue: Float {
        if self.scale <= 10 && self.significand.magnitude < (1 << 24) {
            return Float(self.significand) / Float(XSDDecimal.doublePowers[self.scale])
        }
        return Float(self.canonicalLexical) ?? .nan
    }

    private static let doublePowers: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// The XSD 1.0 canonical lexical form (XSD 1.0 Part 2 §3.2.3.2): `3.0`, `-0.5`, `0.0`.
    var canonicalLexical: String {
        var digits = String(self.significand.magnitude)
        if self.scale > 0 {
            if digits.utf8.count <= self.scale {
                digits = String(repeating: "0", count: self.scale - digits.utf8.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -self.scale))
        } else {
            digits += ".0"
        }
        return self.significand < 0 ? "-" + digits : digits
    }

    /// The canonical `xsd:integer` form of the integer part.
    var integerLexical: String { String(self.truncated.quotient) }
}

extension XSDDecimal {
    /// Brings two values to a common scale; nil if that overflows Int128.
    private static func aligned(_ a: XSDDecimal, _ b: XSDDecimal) -> (Int128, Int128, scale: Int)? {
        if a.scale == b.scale { return (a.significand, b.significand, a.scale) }
        if a.scale < b.scale {
            let (scaled, overflow) = a.significand.multipliedReportingOverflow(by: self.powersOfTen[b.scale - a.scale])
            return overflow ? nil : (scaled, b.significand, b.scale)
        }
        let (scaled, overflow) = b.significand.multipliedReportingOverflow(by: self.powersOfTen[a.scale - b.scale])
        return overflow ? nil : (a.significand, scaled, a.scale)
    }

    /// Three-way comparison.
    static func compare(_ a: XSDDecimal, _ b: XSDDecimal) -> Int {
        if let (x, y, _) = self.aligned(a, b) { return x < y ? -1 : (x == y ? 0 : 1) }
        // Scaling overflowed: the scaled operand's magnitude exceeds anything the other can hold.
        let big = a.scale < b.scale ? a : b
        let sign = big.isNegative ? -1 : 1
        return a.scale < b.scale ? sign : -sign
    }

    /// The result of `+`, `-`, `*`; nil on overflow (FOAR0002).
    static func add(_ a: XSDDecimal, _ b: XSDDecimal, negatingRight: Bool = false) -> XSDDecimal? {
        guard let (x, y, scale) = self.aligned(a, b) else { return self.roundedAdd(a, b, negatingRight) }
        let (sum, overflow) = negatingRight ? x.subtractingReportingOverflow(y) : x.addingReportingOverflow(y)
        guard !overflow else { return nil }
        return XSDDecimal(sum, scale: scale) ?? self.reduced(sum, scale: scale)
    }

    private static func roundedAdd(_ a: XSDDecimal, _ b: XSDDecimal, _ negatingRight: Bool) -> XSDDecimal? {
        // The finer operand is below the 38-digit precision of the coarser one; round it to the coarser scale.
        let (fine, coarse) = a.scale > b.scale ? (a, b) : (b, a)
        let rounded = self.rounding(fine.significand, dividingBy: self.powersOfTen[fine.scale - coarse.scale])
        guard let fineRounded = XSDDecimal(rounded, scale: coarse.scale) else { return nil }
        return a.scale > b.scale
            ? self.add(fineRounded, coarse, negatingRight: negatingRight)
            : self.add(coarse, fineRounded, negatingRight: negatingRight)
    }

    /// The exact product, with fractional digits beyond 38 rounded; nil on overflow (FOAR0002).
    static func multiply(_ a: XSDDecimal, _ b: XSDDecimal) -> XSDDecimal? {
        let (product, overflow) = a.significand.multipliedReportingOverflow(by: b.significand)
        guard !overflow else { return nil }
        return XSDDecimal(product, scale: a.scale + b.scale) ?? self.reduced(product, scale: a.scale + b.scale)
    }

    /// Division by long division to 38 significant digits (at most 38 fractional digits), rounded half away
    /// from zero; nil on a zero divisor or when the quotient's integer part needs more than 38 digits.
    static func divide(_ a: XSDDecimal, _ b: XSDDecimal) -> XSDDecimal? {
        guard !b.isZero else { return nil }
        let divisor = b.significand
        var (quotient, remainder) = a.significand.quotientAndRemainder(dividingBy: divisor)
        // The quotient so far is significand(a) / significand(b) × 10^-scale.
        var scale = a.scale - b.scale
        let limit = (self.maxSignificand - 9) / 10
        while scale < 0 || (scale < 38 && remainder != 0 && quotient.magnitude <= limit.magnitude) {
            guard quotient.magnitude <= limit.magnitude else { return nil }
            // remainder × 10 may exceed Int128 when the divisor is large; the next digit always fits.
            let (digit, rest) = divisor.dividingFullWidth(remainder.multipliedFullWidth(by: 10))
            quotient = quotient * 10 + digit
            remainder = rest
            scale += 1
        }
        if remainder != 0, remainder.magnitude >= divisor.magnitude - remainder.magnitude {
            quotient += (remainder < 0) != (divisor < 0) ? -1 : 1
        }
        return XSDDecimal(quotient, scale: max(scale, 0)) ?? self.reduced(quotient, scale: max(scale, 0))
    }

    /// Drops fractional digits (rounding) until the significand fits 38 digits and the scale 38.
    private static func reduced(_ significand: Int128, scale: Int) -> XSDDecimal? {
        var significand = significand
        var scale = scale
        while scale > 0 && (significand.magnitude > self.maxSignificand.magnitude || scale > 38) {
            significand = self.rounding(significand, dividingBy: 10)
            scale -= 1
        }
        return XSDDecimal(significand, scale: scale)
    }

    /// `dividend / divisor` rounded half away from zero.
    private static func rounding(_ dividend: Int128, dividingBy divisor: Int128) -> Int128 {
        let (quotient, remainder) = dividend.quotientAndRemainder(dividingBy: divisor)
        guard remainder != 0, remainder.magnitude >= divisor.magnitude - remainder.magnitude else { return quotient }
        return (dividend < 0) != (divisor < 0) ? quotient - 1 : quotient + 1
    }

    /// The value with the opposite sign.
    var negated: XSDDecimal { XSDDecimal(normalizing: -self.significand, scale: self.scale) }

    /// `fn:floor` (`.down`), `fn:ceiling` (`.up`), truncation (`.towardZero`) and, for any other rule,
    /// `fn:round` — halves towards +∞ (XPath 2.0 F&O §6.4).
    func rounded(_ rule: FloatingPointRoundingRule) -> XSDDecimal {
        let (quotient, remainder) = self.truncated
        guard remainder != 0 else { return self }
        let unit = XSDDecimal.powersOfTen[self.scale]
        let result: Int128
        switch rule {
        case .down: result = remainder < 0 ? quotient - 1 : quotient
        case .up: result = remainder > 0 ? quotient + 1 : quotient
        case .towardZero: result = quotient
        default:
            // Half up: floor(x + 0.5).
            if remainder > 0 {
                result = remainder * 2 >= unit ? quotient + 1 : quotient
            } else {
                result = -remainder * 2 > unit ? quotient - 1 : quotient
            }
        }
        return XSDDecimal(normalizing: result, scale: 0)
    }
}
