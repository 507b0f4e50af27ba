extension ByteLexer {
    /// Reads an IRIREF (`<…>`, Turtle §6.5 [18]) and returns it with `\u` escapes decoded, not yet resolved.
    mutating func readIRIRef() throws(RDFError) -> String {
        let open = self.position
        self.position += 1
        let start = self.position
        var escaped = false
        while true {
            guard self.position < self.bytes.count else { throw self.error("unterminated IRI", at: open) }
            let b = self.bytes[self.position]
            if b == ASCII.greaterThan { break }
            if b == ASCII.backslash {
                escaped = true
                let escapeStart = self.position
                let value = try self.readUCHAR()
                if value < 0x80 && Self.isForbiddenInIRI(UInt8(value)) {
                    throw self.error("escaped character not allowed in an IRI", at: escapeStart)
                }
                continue
            }
            if Self.isForbiddenInIRI(b) { throw self.error("character not allowed in an IRI") }
            self.position += 1
        }
        let end = self.position
        self.position += 1
        return escaped ? try self.decodeEscapes(start..<end, allowECHAR: false) : self.string(start..<end)
    }

    /// IRIREF excludes `[#x00-#x20<>"{}|^`\]` (Turtle §6.5 [18]).
    @inline(__always)
    static func isForbiddenInIRI(_ b: UInt8) -> Bool {
        b <= ASCII.space || b == ASCII.lessThan || b == ASCII.greaterThan || b == ASCII.quote || b == 0x7B
            || b == 0x7D || b == 0x7C || b == ASCII.caret || b == 0x60 || b == ASCII.backslash
    }

    /// Reads a UCHAR (`\uXXXX` or `\UXXXXXXXX`, Turtle §6.5 [26]) at the current position; returns the scalar value.
    mutating func readUCHAR() throws(RDFError) -> UInt32 {
        let start = self.position
        let digits: Int
        switch self.peek(1) {
        case 0x75: digits = 4  // u
        case 0x55: digits = 8  // U
        default: throw self.error("invalid escape sequence", at: start)
        }
        var value: UInt32 = 0
        for k in 0..<digits {
            let b = self.peek(2 + k)
            guard ASCII.isHex(b) else { throw self.error("invalid hexadecimal digit in \\u escape", at: start) }
            value = value << 4 | ASCII.hexValue(b)
        }
        guard value < 0xD800 || (value > 0xDFFF && value <= 0x10FFFF) else {
            throw self.error("\\u escape is not a Unicode scalar value", at: start)
        }
        self.position += 2 + digits
        return value
    }

    /// Reads a quoted string (Turtle §6.5 [22]–[25]; N-Triples allows only `"…"`) and returns its unescaped value.
    mutating func readString(allowLong: Bool) throws(RDFError) -> String {
        let open = self.position
        let quote = self.bytes[open]
        let long = allowLong && self.peek(1) == quote && self.peek(2) == quote
        self.position += long ? 3 : 1
        let start = self.position
        var escaped = false
        while true {
            guard self.position < self.bytes.count else { throw self.error("unterminated string", at: open) }
            let b = self.bytes[self.position]
            if b == quote {
                if !long || (self.peek(1) == quote && self.peek(2) == quote) { break }
                self.position += 1
            } else if b == ASCII.backslash {
                escaped = true
                try self.skipEscape()
            } else if !long && (b == ASCII.newline || b == ASCII.carriageReturn) {
                throw self.error("unterminated string (line end before the closing quote)", at: open)
            } else {
                self.position += 1
            }
        }
        let end = self.position
        self.position += long ? 3 : 1
        return escaped ? try self.decodeEscapes(start..<end, allowECHAR: true) : self.string(start..<end)
    }

    /// Skips an ECHAR or UCHAR (Turtle §6.5 [26], [159s]).
    private mutating func skipEscape() throws(RDFError) {
        switch self.peek(1) {
        case 0x74, 0x62, 0x6E, 0x72, 0x66, ASCII.quote, ASCII.apostrophe, ASCII.backslash:  // t b n r f " ' \
            self.position += 2
        default:
            _ = try self.readUCHAR()
        }
    }

    /// The text of a byte range with ECHAR (if allowed) and UCHAR escapes decoded.
    func decodeEscapes(_ range: Range<Int>, allowECHAR: Bool) throws(RDFError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let b = self.bytes[i]
            if b != ASCII.backslash {
                out.append(b)
                i += 1
                continue
            }
            let e = self.bytes[i + 1]
            let simple: UInt8? =
                switch e {
                case 0x74: ASCII.tab
                case 0x62: 0x08
                case 0x6E: ASCII.newline
                case 0x72: ASCII.carriageReturn
                case 0x66: 0x0C
                case ASCII.quote, ASCII.apostrophe, ASCII.backslash: e
                default: nil
                }
            if let simple, allowECHAR {
                out.append(simple)
                i += 2
                continue
            }
            var lexer = self
            lexer.position = i
            let value = try lexer.readUCHAR()
            Self.appendUTF8(value, to: &out)
            i = lexer.position
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the UTF-8 encoding of a scalar value.
    static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        switch value {
        case 0..<0x80:
            out.append(UInt8(value))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | value >> 6))
            out.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | value >> 12))
            out.append(UInt8(0x80 | (value >> 6) & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        default:
            out.append(UInt8(0xF0 | value >> 18))
            out.append(UInt8(0x80 | (value >> 12) & 0x3F))
            out.append(UInt8(0x80 | (value >> 6) & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        }
    }

    /// Reads a BLANK_NODE_LABEL after `_:` (Turtle §6.5 [141s]) and returns the label without `_:`.
    mutating func readBlankNodeLabel() throws(RDFError) -> String {
        self.position += 2
        let start = self.position
        guard !self.atEnd else { throw self.error("expected a blank node label") }
        let (first, firstLength) = self.scalar(at: self.position)
        guard NameChars.isU(first) || (first >= 0x30 && first <= 0x39) else {
            throw self.error("invalid blank node label")
        }
        self.position += firstLength
        var end = self.position
        while !self.atEnd {
            let (value, length) = self.scalar(at: self.position)
            if NameChars.isChar(value) {
                self.position += length
                end = self.position
            } else if value == 0x2E {
                self.position += 1
            } else {
                break
            }
        }
        self.position = end  // a label does not end with '.'
        return self.string(start..<end)
    }

    /// Reads a LANGTAG after `@` (Turtle §6.5 [144s]) and returns it without `@`.
    mutating func readLanguageTag() throws(RDFError) -> String {
        self.position += 1
        let start = self.position
        while ASCII.isLetter(self.peek()) { self.position += 1 }
        guard self.position > start else { throw self.error("expected a language tag") }
        while self.peek() == ASCII.minus {
            self.position += 1
            let part = self.position
            while ASCII.isLetter(self.peek()) || ASCII.isDigit(self.peek()) { self.position += 1 }
            guard self.position > part else { throw self.error("empty language subtag") }
        }
        return self.string(start..<self.position)
    }
}

/// Character classes of prefixed names and blank node labels (Turtle §6.5 [163s]–[166s]).
enum NameChars {
    /// PN_CHARS_BASE
    @inline(__always)
    static func isBase(_ v: UInt32) -> Bool {
        if v < 0x80 { return (v | 0x20) &- 0x61 < 26 }
        return (0xC0...0xD6).contains(v) || (0xD8...0xF6).contains(v) || (0xF8...0x2FF).contains(v)
            || (0x370...0x37D).contains(v) || (0x37F...0x1FFF).contains(v) || (0x200C...0x200D).contains(v)
            || (0x2070...0x218F).contains(v) || (0x2C00...0x2FEF).contains(v) || (0x3001...0xD7FF).contains(v)
            || (0xF900...0xFDCF).contains(v) || (0xFDF0...0xFFFD).contains(v) || (0x10000...0xEFFFF).contains(v)
    }

    /// PN_CHARS_U
    @inline(__always)
    static func isU(_ v: UInt32) -> Bool { v == 0x5F || self.isBase(v) }

    /// PN_CHARS
    @inline(__always)
    static func isChar(_ v: UInt32) -> Bool {
        if v < 0x80 { return v == 0x2D || v &- 0x30 < 10 || v == 0x5F || (v | 0x20) &- 0x61 < 26 }
        return v == 0xB7 || (0x300...0x36F).contains(v) || (0x203F...0x2040).contains(v) || self.isBase(v)
    }
}
