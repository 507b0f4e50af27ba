/// An `xsd:duration`, `PnYnMnDTnHnMnS`, validated and kept by component (XML Schema 1.1 Part 2 §3.3.6).
///
/// Years and months are calendar-dependent, so the components are not folded into seconds; two durations are
/// equal when their components are. ``description`` rebuilds the lexical form from the components, dropping zero
/// components (`P30DT0H` becomes `P30D`; a zero duration is `PT0S`).
public struct XSDDuration: Sendable, Hashable, CustomStringConvertible {
    /// Whether the duration is negative (a leading `-`).
    public var isNegative: Bool
    /// The `nY` component.
    public var years: Int
    /// The `nM` component before `T`.
    public var months: Int
    /// The `nD` component.
    public var days: Int
    /// The `nH` component.
    public var hours: Int
    /// The `nM` component after `T`.
    public var minutes: Int
    /// The `nS` component, possibly fractional.
    public var seconds: XSDDecimal

    /// Creates a duration from components.
    public init(
        isNegative: Bool = false, years: Int = 0, months: Int = 0, days: Int = 0, hours: Int = 0, minutes: Int = 0,
        seconds: XSDDecimal = XSDDecimal(0)
    ) {
        self.isNegative = isNegative
        self.years = years
        self.months = months
        self.days = days
        self.hours = hours
        self.minutes = minutes
        self.seconds = seconds
    }

    /// Parses the lexical form, surrounding whitespace allowed; `nil` when invalid (XSD §3.3.6.1): at least one
    /// component, a `T` only when a time component follows, components in order, only seconds fractional.
    public init?(_ text: String) {
        var reader = XSDLexical.Reader(Array(XSDLexical.trimmed(text).utf8))
        self.init()
        self.isNegative = reader.expect("-")
        guard reader.expect("P") else { return nil }
        var components = 0
        var inTime = false
        // Designators allowed next, in order: Y M D before T; H M S after.
        var allowed: [UInt8] = Array("YMD".utf8)
        while !reader.isAtEnd {
            if !inTime, reader.expect("T") {
                inTime = true
                allowed = Array("HMS".utf8)
                guard !reader.isAtEnd else { return nil }
                continue
            }
            guard let digits = reader.digitString(), !digits.isEmpty, digits.count <= 9 else { return nil }
            var fraction: String?
            if reader.expect(".") {
                guard let digits = reader.digitString(), !digits.isEmpty else { return nil }
                fraction = digits
            }
            guard let designator = reader.next(), let position = allowed.firstIndex(of: designator) else {
                return nil
            }
            allowed.removeFirst(position + 1)
            let value = Int(digits) ?? 0
            guard fraction == nil || (inTime && designator == UInt8(ascii: "S")) else { return nil }
            switch (inTime, Unicode.Scalar(designator)) {
            case (false, "Y"): self.years = value
            case (false, "M"): self.months = value
            case (false, "D"): self.days = value
            case (true, "H"): self.hours = value
            case (true, "M"): self.minutes = value
            default: self.seconds = XSDDecimal(digits + "." + (fraction ?? "")) ?? XSDDecimal(value)
            }
            components += 1
        }
        guard components > 0 else { return nil }
    }

    /// Whether every component is zero.
    public var isZero: Bool {
        self.years == 0 && self.months == 0 && self.days == 0 && self.hours == 0 && self.minutes == 0
            && self.seconds.isZero
    }

    /// The lexical form rebuilt from the non-zero components (XSD §3.3.6.2).
    public var description: String {
        guard !self.isZero else { return "PT0S" }
        var text = self.isNegative ? "-P" : "P"
        if self.years != 0 { text += "\(self.years)Y" }
        if self.months != 0 { text += "\(self.months)M" }
        if self.days != 0 { text += "\(self.days)D" }
        if self.hours != 0 || self.minutes != 0 || !self.seconds.isZero {
            text += "T"
            if self.hours != 0 { text += "\(self.hours)H" }
            if self.minutes != 0 { text += "\(self.minutes)M" }
            if !self.seconds.isZero { text += "\(self.seconds)S" }
        }
        return text
    }
}
