import Foundation

/// Conversion between `Date` and the Generalized Time syntax (RFC 4517 §3.3.13) of `icCreated` and `icUpdated`.
///
/// Values are written in UTC (`Z`) with as many fraction digits as needed to restore the exact `Date`, so entries
/// round-trip bit for bit like the other backends: the seconds since the reference date are split into whole
/// seconds, printed as calendar time, and the remaining binary fraction, printed in its shortest round-trip decimal
/// form. Reading accepts any RFC 4517 form an administrator might type: minutes or seconds precision, `.` or `,`
/// fractions, `Z` or a `±hh[mm]` offset. Fractions of hours or minutes are not supported.
enum GeneralizedTime {
    /// Seconds from 1970-01-01 to 2001-01-01, Foundation's reference date.
    private static let referenceOffset: Int64 = 978_307_200

    /// `date` as `YYYYMMDDHHMMSS[.fraction]Z`.
    static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSinceReferenceDate
        let whole = interval.rounded(.down)
        let fraction = interval - whole  // exact: both are doubles of the same binade or smaller
        let unix = Int64(whole) + Self.referenceOffset
        let days = unix >= 0 ? unix / 86_400 : (unix - 86_399) / 86_400
        let secondOfDay = unix - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        var text =
            Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2) + Self.pad(secondOfDay / 3600, 2)
            + Self.pad(secondOfDay / 60 % 60, 2) + Self.pad(secondOfDay % 60, 2)
        if fraction > 0 { text += "." + Self.fractionDigits(fraction) }
        return text + "Z"
    }

    /// Parses a Generalized Time value, or returns `nil` if it is not one (RFC 4517 §3.3.13).
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[start..<start + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), let month = number(4, 2), let day = number(6, 2), let hour = number(8, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24
        else { return nil }
        var index = 10
        var minute: Int64 = 0
        var second: Int64 = 0
        var fraction = 0.0
        if let value = number(index, 2) {
            minute = value
            index += 2
            if let value = number(index, 2) {
                second = value
                index += 2
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
            let start = index + 1
            index = start
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > start, let value = Double("0." + String(decoding: bytes[start..<index], as: UTF8.self))
            else { return nil }
            fraction = value
        }
        guard minute < 60, second < 61, index < bytes.count else { return nil }
        var offset: Int64 = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let hours = number(index + 1, 2) else { return nil }
            let minutes = bytes.count == index + 5 ? number(index + 3, 2) : (bytes.count == index + 3 ? 0 : nil)
            guard let minutes else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        let unix = Self.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSinceReferenceDate: Double(unix - Self.referenceOffset) + fraction)
    }

    /// The digits after `0.` of the shortest decimal that reads back as `fraction` (in `0 < fraction < 1`).
    private static func fractionDigits(_ fraction: Double) -> String {
        let text = "\(fraction)"  // shortest round-trip form: "0.25" or "1.5e-07"
        guard let exponentIndex = text.firstIndex(of: "e") else { return String(text.dropFirst(2)) }
        let mantissa = text[..<exponentIndex].replacingOccurrences(of: ".", with: "")
        let exponent = Int(text[text.index(after: exponentIndex)...]) ?? 0
        return String(repeating: "0", count: max(0, -exponent - 1)) + mantissa
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
