/// The terminals shared by Turtle, N-Triples and N-Quads (RDF 1.1 Turtle §6.5, N-Triples §7), read from UTF-8 bytes.
///
/// Works on an `UnsafeBufferPointer` of the document; strings are built from byte slices, with a decoding pass only
/// when the token has escapes. Line numbers are computed from the byte offset only when an error is reported.
struct ByteLexer {
    /// The document.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next byte to read.
    var position = 0
    /// The line number of the first byte (for documents fed in pieces).
    let firstLine: Int

    /// A lexer at the start of `bytes`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int = 1) {
        self.bytes = bytes
        self.firstLine = firstLine
    }

    /// Whether every byte has been read.
    var atEnd: Bool { self.position >= self.bytes.count }

    /// The byte at `position + offset`, or 0 past the end.
    @inline(__always)
    func peek(_ offset: Int = 0) -> UInt8 {
        let i = self.position + offset
        return i < self.bytes.count ? self.bytes[i] : 0
    }

    /// A syntax error at a byte offset (default: the current position), with its 1-based line and column.
    func error(_ reason: String, at offset: Int? = nil, code: RDFError.Code = .syntax) -> RDFError {
        let end = min(offset ?? self.position, self.bytes.count)
        var line = self.firstLine
        var column = 1
        var i = 0
        while i < end {
            let b = self.bytes[i]
            if b == ASCII.newline {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return RDFError(code, reason, line: line, column: column)
    }

    /// Skips spaces, tabs, line ends and `#` comments (Turtle §6.5 WS and comments).
    @inline(__always)
    mutating func skipWhitespace() {
        while self.position < self.bytes.count {
            let b = self.bytes[self.position]
            if b == ASCII.space || b == ASCII.tab || b == ASCII.newline || b == ASCII.carriageReturn {
                self.position += 1
            } else if b == ASCII.hash {
                self.skipComment()
            } else {
                return
            }
        }
    }

    /// Skips spaces, tabs and a comment, stopping at a line end (N-Triples §7).
    @inline(__always)
    mutating func skipSpaces() {
        while self.position < self.bytes.count {
            let b = self.bytes[self.position]
            if b == ASCII.space || b == ASCII.tab {
                self.position += 1
            } else if b == ASCII.hash {
                self.skipComment()
            } else {
                return
            }
        }
    }

    private mutating func skipComment() {
        while self.position < self.bytes.count {
            let b = self.bytes[self.position]
            if b == ASCII.newline || b == ASCII.carriageReturn { return }
            self.position += 1
        }
    }

    /// Consumes `byte` or throws `expected`.
    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: String) throws(RDFError) {
        guard self.peek() == byte else { throw self.error("expected \(what)\(self.foundDescription)") }
        self.position += 1
    }

    /// " but found …" naming the next character, for error messages.
    var foundDescription: String {
        if self.atEnd { return " but found end of input" }
        let value = self.scalar(at: self.position).value
        guard value >= 0x20, value != 0x7F, let scalar = Unicode.Scalar(value) else {
            return " but found U+" + String(value, radix: 16, uppercase: true)
        }
        return " but found '\(Character(scalar))'"
    }

    /// A string from a byte range of the document.
    @inline(__always)
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: self.bytes[range]), as: UTF8.self)
    }

    /// Decodes the UTF-8 scalar at `offset` (the document is valid UTF-8 when it came from a `String`).
    @inline(__always)
    func scalar(at offset: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(self.bytes[offset])
        if b0 < 0x80 { return (b0, 1) }
        func next(_ k: Int) -> UInt32 {
            offset + k < self.bytes.count ? UInt32(self.bytes[offset + k] & 0x3F) : 0
        }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | next(1), 2) }
        if b0 < 0xF0 { return ((b0 & 0x0F) << 12 | next(1) << 6 | next(2), 3) }
        return ((b0 & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3), 4)
    }
}

/// ASCII byte values used by the lexers (each constant is the byte its name spells).
enum ASCII {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let percent: UInt8 = 0x25
    static let apostrophe: UInt8 = 0x27
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let lessThan: UInt8 = 0x3C
    static let greaterThan: UInt8 = 0x3E
    static let question: UInt8 = 0x3F
    static let at: UInt8 = 0x40
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let caret: UInt8 = 0x5E
    static let underscore: UInt8 = 0x5F
    static let upperE: UInt8 = 0x45
    static let lowerE: UInt8 = 0x65

    /// `[0-9]`
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- zero < 10 }
    /// `[A-Za-z]`
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    /// `[0-9A-Fa-f]` (Turtle §6.5 HEX)
    @inline(__always) static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 0x61 < 6 }

    /// The value of a hexadecimal digit.
    @inline(__always) static func hexValue(_ b: UInt8) -> UInt32 {
        isDigit(b) ? UInt32(b - zero) : UInt32((b | 0x20) - 0x61 + 10)
    }
}
