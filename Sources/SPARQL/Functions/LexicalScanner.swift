/// A byte scanner over an ASCII lexical form, for the date/time grammars of XSD 1.1 Part 2 §3.3.7–§3.3.9.
/// It reads the UTF-8 bytes in place (date/time literals are parsed on every comparison).
struct LexicalScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    /// Runs `body` with a scanner over the UTF-8 form of `text`.
    static func scan<T>(_ text: String, _ body: (inout LexicalScanner) -> T?) -> T? {
        var text = text
        if let result = text.utf8.withContiguousStorageIfAvailable({ buffer -> T? in
            var scanner = LexicalScanner(bytes: buffer)
            return body(&scanner)
        }) {
            return result
        }
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { buffer -> T? in
            var scanner = LexicalScanner(bytes: buffer)
            return body(&scanner)
        } ?? nil
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Whether every byte has been consumed.
    var atEnd: Bool { self.index == self.bytes.count }

    private var peek: UInt8? { self.index < self.bytes.count ? self.bytes[self.index] : nil }

    /// Consumes `byte` if it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard self.peek == byte else { return false }
        self.index += 1
        return true
    }

    /// Exactly `count` decimal digits as a number.
    mutating func digits(_ count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let byte = self.peek, byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
            self.index += 1
        }
        return value
    }

    /// The longest run of decimal digits (possibly empty), as a string.
    mutating func digitRun() -> String {
        let start = self.index
        while let byte = self.peek, byte >= 0x30 && byte <= 0x39 { self.index += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
    }

    /// `-?YYYY-MM-DD` with a year of four or more digits (no leading zero beyond four, at most nine digits so the
    /// arithmetic cannot overflow) and a day valid for its month.
    mutating func scanDate() -> XSDDateTime? {
        let negative = self.take(0x2D)
        let start = self.index
        var magnitude = 0
        while let byte = self.peek, byte >= 0x30 && byte <= 0x39 {
            magnitude = magnitude * 10 + Int(byte - 0x30)
            self.index += 1
        }
        let yearDigits = self.index - start
        guard yearDigits >= 4, yearDigits <= 9, yearDigits == 4 || self.bytes[start] != 0x30,
            self.take(0x2D), let month = self.digits(2), self.take(0x2D), let day = self.digits(2)
        else { return nil }
        let year = negative ? -magnitude : magnitude
        guard (1...12).contains(month), day >= 1, day <= XSDDateTime.daysInMonth(year: year, month: month) else {
            return nil
        }
        return XSDDateTime(
            year: year, month: month, day: day, hour: 0, minute: 0, second: 0, fraction: "",
            timezoneMinutes: nil, timezoneLexical: "")
    }

    /// An optional `Z` or `(+|-)hh:mm` timezone with |offset| ≤ 14:00.
    mutating func scanTimezone(into value: inout XSDDateTime) -> Bool {
        let start = self.index
        if self.take(0x5A) {
            value.timezoneMinutes = 0
        } else if let sign = self.peek, sign == 0x2B || sign == 0x2D {
            self.index += 1
            guard let hours = self.digits(2), self.take(0x3A), let minutes = self.digits(2), minutes <= 59,
                hours < 14 || (hours == 14 && minutes == 0)
            else { return false }
            let offset = hours * 60 + minutes
            value.timezoneMinutes = sign == 0x2D ? -offset : offset
        } else {
            return true
        }
        value.timezoneLexical = String(
            decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
        return true
    }
}
