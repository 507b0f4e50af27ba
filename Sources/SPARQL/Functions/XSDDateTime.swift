import RDF

/// An `xsd:dateTime` or `xsd:date` value (XSD 1.1 Part 2 §3.3.7, §3.3.9) as the seven-property model:
/// local year…second, an exact fractional second and an optional timezone offset. `24:00:00` is normalized to
/// `00:00:00` of the next day (XSD 1.1 Part 2 §3.3.7.2), so accessors and comparisons see the normalized value.
struct XSDDateTime: Sendable, Equatable {
    /// The year (negative for BCE, 0 is 1 BCE as in XSD 1.1).
    var year: Int
    /// 1…12.
    var month: Int
    /// 1…31.
    var day: Int
    /// 0…23.
    var hour: Int
    /// 0…59.
    var minute: Int
    /// Whole seconds, 0…59.
    var second: Int
    /// The digits after the decimal point of the seconds, without trailing zeros ("" when none). Comparing two
    /// such strings byte-wise orders them numerically.
    var fraction: String
    /// The timezone offset in minutes, nil when the value has no timezone.
    var timezoneMinutes: Int?
    /// The timezone exactly as written (`Z`, `-08:00`), "" when absent — what `TZ()` returns.
    var timezoneLexical: String

    /// Seconds since 1970-01-01T00:00:00 of the local (un-normalized) date and time.
    var localSeconds: Int {
        let days = XSDDateTime.daysFromCivil(year: self.year, month: self.month, day: self.day)
        return days * 86_400 + self.hour * 3_600 + self.minute * 60 + self.second
    }

    /// Seconds since 1970-01-01T00:00:00Z on the timeline; values without timezone are taken as UTC.
    var timelineSeconds: Int {
        self.localSeconds - (self.timezoneMinutes ?? 0) * 60
    }

    /// Parses an `xsd:dateTime` lexical form:
    /// `-?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?` (XSD 1.1 Part 2 §3.3.7.1).
    static func parseDateTime(_ lexical: String) -> XSDDateTime? {
        LexicalScanner.scan(lexical) { scanner in self.parseDateTime(&scanner) }
    }

    private static func parseDateTime(_ scanner: inout LexicalScanner) -> XSDDateTime? {
        guard var value = scanner.scanDate(), scanner.take(0x54),  // T
            let hour = scanner.digits(2), scanner.take(0x3A),
            let minute = scanner.digits(2), scanner.take(0x3A),
            let second = scanner.digits(2)
        else { return nil }
        var fraction = ""
        if scanner.take(0x2E) {
            fraction = scanner.digitRun()
            guard !fraction.isEmpty else { return nil }
            while fraction.utf8.last == 0x30 { fraction.removeLast() }
        }
        guard scanner.scanTimezone(into: &value), scanner.atEnd else { return nil }
        guard minute <= 59, second <= 59 else { return nil }
        if hour == 24 {
            guard minute == 0, second == 0, fraction.isEmpty else { return nil }
            value.hour = 0
            value.addOneDay()
        } else {
            guard hour <= 23 else { return nil }
            value.hour = hour
        }
        value.minute = minute
        value.second = second
        value.fraction = fraction
        return value
    }

    /// Parses an `xsd:date` lexical form `-?YYYY-MM-DD(Z|(+|-)hh:mm)?` (XSD 1.1 Part 2 §3.3.9.1); the value is
    /// the start of that day.
    static func parseDate(_ lexical: String) -> XSDDateTime? {
        LexicalScanner.scan(lexical) { scanner in
            guard var value = scanner.scanDate(), scanner.scanTimezone(into: &value), scanner.atEnd else { return nil }
            value.hour = 0
            return value
        }
    }

    /// The XSD order on date/time values (XSD 1.1 Part 2 §3.3.7.3 / XSD 1.0 §3.2.7.4): values that both have or
    /// both lack a timezone compare on the timeline; otherwise the one without timezone is taken as the range
    /// ±14:00 around it, and the result is nil (indeterminate) when that range contains the other value.
    static func compare(_ lhs: XSDDateTime, _ rhs: XSDDateTime) -> Int? {
        switch (lhs.timezoneMinutes != nil, rhs.timezoneMinutes != nil) {
        case (true, true), (false, false):
            return self.compare(lhs.timelineSeconds, lhs.fraction, rhs.timelineSeconds, rhs.fraction)
        case (true, false):
            return self.compareAgainstRange(lhs, rhs)
        case (false, true):
            return self.compareAgainstRange(rhs, lhs).map { -$0 }
        }
    }

    /// The deterministic total order used by ORDER BY: timeline, then lexical ties broken by the caller.
    static func totalOrder(_ lhs: XSDDateTime, _ rhs: XSDDateTime) -> Int {
        self.compare(lhs.timelineSeconds, lhs.fraction, rhs.timelineSeconds, rhs.fraction)
    }

    private static let fourteenHours = 14 * 3_600

    private static func compareAgainstRange(_ zoned: XSDDateTime, _ local: XSDDateTime) -> Int? {
        let seconds = zoned.timelineSeconds
        // The local value lies somewhere in [local - 14h, local + 14h] on the timeline.
        if self.compare(seconds, zoned.fraction, local.localSeconds - self.fourteenHours, local.fraction) < 0 {
            return -1
        }
        if self.compare(seconds, zoned.fraction, local.localSeconds + self.fourteenHours, local.fraction) > 0 {
            return 1
        }
        return nil
    }

    private static func compare(_ a: Int, _ aFraction: String, _ b: Int, _ bFraction: String) -> Int {
        if a != b { return a < b ? -1 : 1 }
        if aFraction.utf8.elementsEqual(bFraction.utf8) { return 0 }
        return aFraction.utf8.lexicographicallyPrecedes(bFraction.utf8) ? -1 : 1
    }

    /// Moves to the next calendar day (for `24:00:00`).
    mutating func addOneDay() {
        if self.day < XSDDateTime.daysInMonth(year: self.year, month: self.month) {
            self.day += 1
        } else if self.month < 12 {
            self.day = 1
            self.month += 1
        } else {
            self.day = 1
            self.month = 1
            self.year += 1
        }
    }

    /// Days in a month of the proleptic Gregorian calendar (year 0 is a leap year, XSD 1.1 Part 2 §D.2).
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
