import Foundation

/// Scans one line of a TOML document (see ``TOMLDocument``).
struct TOMLScanner {
    private var rest: Substring
    private let number: Int

    init(line: Substring, number: Int) {
        self.rest = line.hasSuffix("\r") ? line.dropLast() : line
        self.number = number
    }

    var peek: Character? { self.rest.first }
    var atEndOrComment: Bool { self.rest.isEmpty || self.rest.first == "#" }

    func error(_ message: String) -> TOMLDocument.ParseError { .init(line: self.number, message: message) }

    mutating func skipWhitespace() {
        self.rest = self.rest.drop { $0 == " " || $0 == "\t" }
    }

    mutating func expect(_ character: Character) throws(TOMLDocument.ParseError) {
        guard self.rest.first == character else { throw self.error("expected '\(character)'") }
        self.rest = self.rest.dropFirst()
    }

    /// `[a.b]` (TOML 1.0 §Table); arrays of tables are outside the subset.
    mutating func tableHeader() throws(TOMLDocument.ParseError) -> String {
        try self.expect("[")
        if self.peek == "[" { throw self.error("arrays of tables are not supported") }
        self.skipWhitespace()
        let key = try self.key()
        self.skipWhitespace()
        try self.expect("]")
        return key
    }

    /// A bare, quoted or dotted key (TOML 1.0 §Keys).
    mutating func key() throws(TOMLDocument.ParseError) -> String {
        var parts: [String] = []
        repeat {
            self.skipWhitespace()
            if self.peek == "\"" || self.peek == "'" {
                parts.append(try self.string())
            } else {
                let bare = self.rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
                guard !bare.isEmpty else { throw self.error("expected a key") }
                parts.append(String(bare))
                self.rest = self.rest.dropFirst(bare.count)
            }
            self.skipWhitespace()
        } while self.consume(".")
        return parts.joined(separator: ".")
    }

    private mutating func consume(_ character: Character) -> Bool {
        guard self.rest.first == character else { return false }
        self.rest = self.rest.dropFirst()
        return true
    }

    /// A value (TOML 1.0 §String, §Integer, §Float, §Boolean, §Array).
    mutating func value() throws(TOMLDocument.ParseError) -> TOMLDocument.Value {
        switch self.peek {
        case "\"", "'":
            return .string(try self.string())
        case "[":
            self.rest = self.rest.dropFirst()
            var items: [TOMLDocument.Value] = []
            while true {
                self.skipWhitespace()
                if self.consume("]") { return .array(items) }
                items.append(try self.value())
                self.skipWhitespace()
                if self.consume(",") { continue }
                try self.expect("]")
                return .array(items)
            }
        default:
            let token = self.rest.prefix { !$0.isWhitespace && $0 != "," && $0 != "]" && $0 != "#" }
            self.rest = self.rest.dropFirst(token.count)
            if token == "true" { return .boolean(true) }
            if token == "false" { return .boolean(false) }
            let digits = token.replacingOccurrences(of: "_", with: "")
            if let integer = Int(digits) { return .integer(integer) }
            if token.contains("."), let float = Double(digits) { return .float(float) }
            throw self.error(token.isEmpty ? "expected a value" : "unsupported value '\(token)'")
        }
    }

    /// A basic ("…" with escapes) or literal ('…') single-line string.
    mutating func string() throws(TOMLDocument.ParseError) -> String {
        let quote = self.rest.first!
        self.rest = self.rest.dropFirst()
        if self.rest.hasPrefix(String(repeating: quote, count: 2)) && quote == self.rest.first {
            throw self.error("multi-line strings are not supported")
        }
        var out = ""
        while let character = self.rest.first {
            self.rest = self.rest.dropFirst()
            if character == quote { return out }
            if character == "\\" && quote == "\"" {
                out.append(try self.escape())
            } else {
                out.append(character)
            }
        }
        throw self.error("unterminated string")
    }

    private mutating func escape() throws(TOMLDocument.ParseError) -> Character {
        guard let code = self.rest.first else { throw self.error("unterminated escape") }
        self.rest = self.rest.dropFirst()
        switch code {
        case "\\": return "\\"
        case "\"": return "\""
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "b": return "\u{8}"
        case "f": return "\u{c}"
        case "u", "U":
            let length = code == "u" ? 4 : 8
            let hex = self.rest.prefix(length)
            self.rest = self.rest.dropFirst(length)
            guard hex.count == length, let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
                throw self.error("invalid unicode escape")
            }
            return Character(scalar)
        default:
            throw self.error("invalid escape \\\(code)")
        }
    }
}
