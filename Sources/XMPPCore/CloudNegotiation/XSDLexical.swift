/// Shared helpers for reading XML Schema lexical forms byte by byte (XML Schema 1.1 Part 2 §3.3).
enum XSDLexical {
    /// A cursor over ASCII bytes.
    struct Reader {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var isAtEnd: Bool { self.index == self.bytes.count }

        var peek: UInt8? { self.index < self.bytes.count ? self.bytes[self.index] : nil }

        mutating func next() -> UInt8? {
            guard let byte = self.peek else { return nil }
            self.index += 1
            return byte
        }

        /// Consumes `character` if it is next.
        mutating func expect(_ character: Unicode.Scalar) -> Bool {
            guard self.peek == UInt8(ascii: character) else { return false }
            self.index += 1
            return true
        }

        /// Exactly `count` decimal digits as a number.
        mutating func digits(exactly count: Int) -> Int? {
            guard self.index + count <= self.bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = self.bytes[self.index + offset]
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            self.index += count
            return value
        }

        /// The (possibly empty) run of decimal digits at the cursor, at most 40 of them.
        mutating func digitString() -> String? {
            var digits = ""
            while let byte = self.peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                digits.unicodeScalars.append(Unicode.Scalar(byte))
                self.index += 1
                guard digits.count <= 40 else { return nil }
            }
            return digits
        }
    }

    /// The text without leading and trailing XML whitespace (XML 1.0 §2.3 `S`; XSD `whiteSpace collapse`).
    static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(text[first...last])
    }
}
