import Foundation

/// The `xsd:dateTime` profile of XEP-0082 §3.3, `CCYY-MM-DDThh:mm:ss[.sss]TZD`, parsed and printed without
/// locale or calendar services so the result is the same everywhere.
///
/// The time zone designator is required (`Z` or `±hh:mm`), because a time without one is ambiguous
/// (XEP-0082 §3.3; XML Schema 1.1 Part 2 §3.3.7). Years are four digits, 0001–9999; hour 24 and leap second 60 are
/// refused. Fractions are kept to the millisecond. ``format(_:)`` writes UTC with `Z` and a fraction only when it is
/// not zero, the canonical form used in agreements.
public enum XSDDateTime {
    /// Parses a dateTime, surrounding XML whitespace allowed (XSD `whiteSpace collapse`); `nil` when invalid.
    public static func parse(_ text: String) -> Date? {
        let scalars = Array(XSDLexical.trimmed(text).utf8)
        var reader = XSDLexical.Reader(scalars)
        guard let year = reader.digits(exactly: 4), reader.expect("-"), let month = reader.digits(exactly: 2),
            reader.expect("-"), let day = reader.digits(exactly: 2), reader.expect("T"),
            let hour = reader.digits(exactly: 2), reader.expect(":"), let minute = reader.digits(exactly: 2),
            reader.expect(":"), let second = reader.digits(exactly: 2)
        else { return nil }
        var milliseconds = 0
        if reader.expect(".") {
            guard let fraction = reader.digitString(), !fraction.isEmpty else { return nil }
            let padded = (fraction + "000").prefix(3)
            milliseconds = Int(padded) ?? 0
        }
        var offsetMinutes = 0
        if reader.expect("Z") {
            offsetMinutes = 0
        } else if let sign = reader.next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            guard let offsetHours = reader.digits(exactly: 2), reader.expect(":"),
                let offsetMins = reader.digits(exactly: 2), offsetHours <= 14, offsetMins < 60
            else { return nil }
            offsetMinutes = (offsetHours * 60 + offsetMins) * (sign == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        guard reader.isAtEnd, year >= 1, (1...12).contains(month), day >= 1,
            day <= Self.daysInMonth(year: year, month: month), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60
        return Date(timeIntervalSince1970: Double(seconds * 1_000 + milliseconds) / 1_000)
    }

    /// The canonical UTC form `CCYY-MM-DDThh:mm:ss[.sss]Z`, milliseconds only when non-zero (XEP-0082 §3.3).
    public static func format(_ date: Date) -> String {
        let totalMilliseconds = Int((date.timeIntervalSince1970 * 1_000).rounded())
        let milliseconds = Self.floorMod(totalMilliseconds, 1_000)
        let totalSeconds = Self.floorDiv(totalMilliseconds, 1_000)
        let days = Self.floorDiv(totalSeconds, 86_400)
        let secondOfDay = Self.floorMod(totalSeconds, 86_400)
        let (year, month, day) = Self.civilFromDays(days)
        var text = Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2) + "T"
        text += Self.pad(secondOfDay / 3_600, 2) + ":" + Self.pad(secondOfDay / 60 % 60, 2) + ":"
        text += Self.pad(secondOfDay % 60, 2)
        if milliseconds != 0 {
            var fraction = Self.pad(milliseconds, 3)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    /// A date truncated to whole milliseconds, the precision ``parse(_:)`` and ``format(_:)`` keep.
    public static func truncated(_ date: Date) -> Date {
        let milliseconds = (date.timeIntervalSince1970 * 1_000).rounded()
        return Date(timeIntervalSince1970: milliseconds / 1_000)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible low-level date
    /// algorithms", `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = Self.floorDiv(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Hinnant, `civil_from_days`).
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = Self.floorDiv(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    private static func floorMod(_ a: Int, _ b: Int) -> Int { a - Self.floorDiv(a, b) * b }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
