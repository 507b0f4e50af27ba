/// Splits a SPARQL 1.1 query into tokens (SPARQL 1.1 §19.8 terminals, §19.4 comments, §19.2 codepoint escapes).
///
/// Codepoint escapes (`\uXXXX`, `\UXXXXXXXX`) are honoured inside IRI references and string literals; the escape is
/// resolved once, so an escaped backslash never starts another escape.
struct SPARQLLexer {
    /// The query text.
    let scalars: [Unicode.Scalar]
    /// The next scalar.
    var position = 0
    /// The current line.
    var line = 1
    /// Where the current line starts.
    var lineStart = 0

    /// A lexer over `text`.
    init(_ text: String) {
        self.scalars = Array(text.unicodeScalars)
    }

    /// Tokenises the whole input; the last token is `.end`.
    static func tokenize(_ text: String) throws(SPARQLError) -> [Token] {
        var lexer = SPARQLLexer(text)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    /// The scalar `offset` ahead, if any.
    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let i = self.position + offset
        return i < self.scalars.count ? self.scalars[i] : nil
    }

    /// A syntax error at the current (or given) position.
    func error(_ reason: String, at position: Int? = nil) -> SPARQLError {
        let p = position ?? self.position
        return SPARQLError(.syntax, reason, line: self.line, column: p - self.lineStart + 1)
    }

    /// Skips whitespace and comments; returns whether anything was skipped.
    mutating func skipSpace() -> Bool {
        var skipped = false
        while let c = self.peek() {
            if c == "\n" {
                self.position += 1
                self.line += 1
                self.lineStart = self.position
            } else if c == " " || c == "\t" || c == "\r" {
                self.position += 1
            } else if c == "#" {
                while let d = self.peek(), d != "\n" { self.position += 1 }
            } else {
                break
            }
            skipped = true
        }
        return skipped
    }

    /// The next token.
    mutating func next() throws(SPARQLError) -> Token {
        let space = self.skipSpace()
        let start = self.position
        let line = self.line
        let column = start - self.lineStart + 1
        func token(_ kind: Token.Kind) -> Token { Token(kind: kind, line: line, column: column, spaceBefore: space) }
        guard let c = self.peek() else { return token(.end) }
        switch c {
        case "<":
            if let iri = try self.lexIRI() { return token(.iri(iri)) }
            self.position += 1
            if self.peek() == "=" {
                self.position += 1
                return token(.punctuation("<="))
            }
            return token(.punctuation("<"))
        case "?", "$":
            if let n = self.peek(1), Self.isVarStart(n) {
                self.position += 1
                return token(.variable(self.lexVarName()))
            }
            if c == "?" {
                self.position += 1
                return token(.punctuation("?"))
            }
            throw self.error("'$' must start a variable name")
        case "\"", "'":
            return token(.string(try self.lexString(quote: c)))
        case "@":
            self.position += 1
            var tag = ""
            while let d = self.peek(), Self.isASCIILetter(d) {
                tag.unicodeScalars.append(d)
                self.position += 1
            }
            if tag.isEmpty { throw self.error("expected a language tag after '@'") }
            while self.peek() == "-", let d = self.peek(1), Self.isASCIILetter(d) || Self.isDigit(d) {
                tag += "-"
                self.position += 1
                while let d = self.peek(), Self.isASCIILetter(d) || Self.isDigit(d) {
                    tag.unicodeScalars.append(d)
                    self.position += 1
                }
            }
            return token(.languageTag(tag))
        case "0"..."9":
            return token(try self.lexNumber())
        case ".":
            if let d = self.peek(1), Self.isDigit(d) { return token(try self.lexNumber()) }
            self.position += 1
            return token(.punctuation("."))
        case "_" where self.peek(1) == ":":
            self.position += 2
            return token(.blankNode(try self.lexBlankLabel()))
        default:
            break
        }
        if c == ":" || Self.isPNCharsBase(c) {
            return token(try self.lexNameOrKeyword())
        }
        return token(.punctuation(try self.lexPunctuation()))
    }

    /// Operators and punctuation.
    mutating func lexPunctuation() throws(SPARQLError) -> String {
        let c = self.peek()!
        let two: [String] = ["^^", "!=", ">=", "&&", "||"]
        if let d = self.peek(1) {
            let pair = String(Character(c)) + String(Character(d))
            if two.contains(pair) {
                self.position += 2
                return pair
            }
        }
        let single: Set<Unicode.Scalar> = [
            "{", "}", "(", ")", "[", "]", ",", ";", "*", "/", "|", "^", "+", "-", "!", "=", ">",
        ]
        if single.contains(c) {
            self.position += 1
            return String(Character(c))
        }
        throw self.error("unexpected character '\(c.escaped(asASCII: true))'")
    }

    /// Tries an IRIREF at '<'; nil (position unchanged) when the characters up to '>' do not form one.
    mutating func lexIRI() throws(SPARQLError) -> String? {
        var i = self.position + 1
        var value = ""
        while i < self.scalars.count {
            let c = self.scalars[i]
            if c == ">" {
                self.position = i + 1
                return value
            }
            if c == "\\" {
                guard i + 1 < self.scalars.count, self.scalars[i + 1] == "u" || self.scalars[i + 1] == "U" else {
                    return nil
                }
                let (scalar, length) = try self.codepointEscape(at: i)
                value.unicodeScalars.append(scalar)
                i += length
                continue
            }
            if c.value <= 0x20 || "<\"{}|^`".unicodeScalars.contains(c) { return nil }
            value.unicodeScalars.append(c)
            i += 1
        }
        return nil
    }

    /// Decodes `\uXXXX` or `\UXXXXXXXX` at `i` (the backslash); returns the scalar and the escape's length.
    func codepointEscape(at i: Int) throws(SPARQLError) -> (Unicode.Scalar, Int) {
        let digits = self.scalars[i + 1] == "u" ? 4 : 8
        guard i + 1 + digits < self.scalars.count else { throw self.error("truncated codepoint escape", at: i) }
        var value: UInt32 = 0
        for k in 0..<digits {
            guard let h = Self.hexValue(self.scalars[i + 2 + k]) else {
                throw self.error("bad hex digit in codepoint escape", at: i)
            }
            value = value * 16 + h
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw self.error("codepoint escape is not a Unicode scalar value", at: i)
        }
        return (scalar, 2 + digits)
    }

    /// A string literal in any of the four forms (rules [156]–[159]).
    mutating func lexString(quote: Unicode.Scalar) throws(SPARQLError) -> String {
        let long = self.peek(1) == quote && self.peek(2) == quote
        self.position += long ? 3 : 1
        var value = ""
        while true {
            guard let c = self.peek() else { throw self.error("unterminated string literal") }
            if c == quote {
                if !long {
                    self.position += 1
                    return value
                }
                if self.peek(1) == quote && self.peek(2) == quote {
                    // A long string may end with up to two quotes before the closing triple.
                    var run = 3
                    while self.peek(run) == quote { run += 1 }
                    for _ in 0..<(run - 3) { value.unicodeScalars.append(quote) }
                    self.position += run
                    return value
                }
            }
            if c == "\\" {
                guard let e = self.peek(1) else { throw self.error("unterminated escape") }
                if e == "u" || e == "U" {
                    let (scalar, length) = try self.codepointEscape(at: self.position)
                    value.unicodeScalars.append(scalar)
                    self.position += length
                    continue
                }
                let mapped: Unicode.Scalar
                switch e {
                case "t": mapped = "\t"
                case "b": mapped = "\u{08}"
                case "n": mapped = "\n"
                case "r": mapped = "\r"
                case "f": mapped = "\u{0C}"
                case "\"": mapped = "\""
                case "'": mapped = "'"
                case "\\": mapped = "\\"
                default: throw self.error("invalid escape '\\\(e)' in string")
                }
                value.unicodeScalars.append(mapped)
                self.position += 2
                continue
            }
            if !long && (c == "\n" || c == "\r") { throw self.error("line break in a short string literal") }
            if c == "\n" {
                self.line += 1
                self.lineStart = self.position + 1
            }
            value.unicodeScalars.append(c)
            self.position += 1
        }
    }

    /// INTEGER, DECIMAL or DOUBLE (rules [146]–[148]).
    mutating func lexNumber() throws(SPARQLError) -> Token.Kind {
        var text = ""
        func digits(_ lexer: inout SPARQLLexer) -> Int {
            var n = 0
            while let d = lexer.peek(), Self.isDigit(d) {
                text.unicodeScalars.append(d)
                lexer.position += 1
                n += 1
            }
            return n
        }
        let intDigits = digits(&self)
        var isDecimal = false
        if self.peek() == ".", let d = self.peek(1), Self.isDigit(d) {
            text += "."
            self.position += 1
            _ = digits(&self)
            isDecimal = true
        } else if self.peek() == ".", intDigits > 0, self.exponentFollows(at: self.position + 1) {
            text += "."
            self.position += 1
            isDecimal = true
        }
        if let e = self.peek(), e == "e" || e == "E", self.exponentFollows(at: self.position) {
            text.unicodeScalars.append(e)
            self.position += 1
            if let s = self.peek(), s == "+" || s == "-" {
                text.unicodeScalars.append(s)
                self.position += 1
            }
            _ = digits(&self)
            return .double(text)
        }
        return isDecimal ? .decimal(text) : .integer(text)
    }

    /// Whether an EXPONENT (rule [155]) starts at `i`.
    func exponentFollows(at i: Int) -> Bool {
        guard i < self.scalars.count, self.scalars[i] == "e" || self.scalars[i] == "E" else { return false }
        var j = i + 1
        if j < self.scalars.count, self.scalars[j] == "+" || self.scalars[j] == "-" { j += 1 }
        return j < self.scalars.count && Self.isDigit(self.scalars[j])
    }
}
