/// Translates XPath regular expression syntax (XPath 3.1 F&O §5.6.1, based on XSD 1.1 Part 2 Appendix G) into
/// ICU syntax for `NSRegularExpression`, where the two differ: XPath `\s`, `\w`, `\i`, `\c`, `\p{IsBlock}`,
/// character class subtraction `[a-z-[aeiou]]`, `.` excluding only `\n`/`\r`, `$` matching only at the very end
/// without the `m` flag, and the `x` flag removing whitespace outside character classes. Constructs XPath does
/// not have (`\b`, `(?=`, `\Q`, …) are rejected so the two engines agree on what is valid.
struct XPathRegexTranslator {
    private var scalars: [Unicode.Scalar]
    private var index = 0
    private let dotAll: Bool
    private let multiline: Bool
    private var output = ""

    /// A translator for `pattern` under the `s` (dotAll), `m` (multiline) and `x` (stripWhitespace) flags.
    init(_ pattern: String, dotAll: Bool, multiline: Bool, stripWhitespace: Bool) {
        self.scalars = Array(pattern.unicodeScalars)
        self.dotAll = dotAll
        self.multiline = multiline
        if stripWhitespace { self.scalars = XPathRegexTranslator.removingWhitespace(self.scalars) }
    }

    /// XML `NameStartChar` and `NameChar` (XML 1.0 5th ed. §2.3), the XPath `\i` and `\c` classes.
    private static let nameStart =
        ":A-Z_a-z\\x{C0}-\\x{D6}\\x{D8}-\\x{F6}\\x{F8}-\\x{2FF}\\x{370}-\\x{37D}\\x{37F}-\\x{1FFF}\\x{200C}-\\x{200D}"
        + "\\x{2070}-\\x{218F}\\x{2C00}-\\x{2FEF}\\x{3001}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFFD}"
        + "\\x{10000}-\\x{EFFFF}"
    private static let nameChar = nameStart + "\\-.0-9\\x{B7}\\x{300}-\\x{36F}\\x{203F}-\\x{2040}"

    /// The ICU pattern, or an error for syntax XPath does not allow.
    mutating func translate() throws(ExpressionError) -> String {
        while let scalar = self.peek() {
            switch scalar {
            case "\\":
                self.output += try self.escape(inClass: false)
            case "[":
                try self.characterClass()
            case ".":
                self.index += 1
                self.output += self.dotAll ? "." : "[^\\n\\r]"
            case "$":
                self.index += 1
                self.output += self.multiline ? "$" : "\\z"
            case "(":
                self.index += 1
                self.output += "("
                if self.peek() == "?" {
                    guard self.peek(1) == ":" else { throw ExpressionError("unsupported group construct in regex") }
                    self.index += 2
                    self.output += "?:"
                }
            case "]", "}":
                throw ExpressionError("unescaped '\(scalar)' in regex")
            case "{":
                try self.quantifier()
            default:
                self.index += 1
                self.output.unicodeScalars.append(scalar)
            }
        }
        return self.output
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        self.index + offset < self.scalars.count ? self.scalars[self.index + offset] : nil
    }

    /// `{n}`, `{n,}`, `{n,m}` with n ≤ m.
    private mutating func quantifier() throws(ExpressionError) {
        var text = ""
        self.index += 1
        while let scalar = self.peek(), scalar != "}" {
            guard scalar == "," || ("0"..."9").contains(scalar) else { throw ExpressionError("invalid quantifier") }
            text.unicodeScalars.append(scalar)
            self.index += 1
        }
        guard self.peek() == "}" else { throw ExpressionError("unterminated quantifier") }
        self.index += 1
        let bounds = text.split(separator: ",", omittingEmptySubsequences: false)
        guard let low = bounds.first.flatMap({ Int($0) }), bounds.count <= 2 else {
            throw ExpressionError("invalid quantifier")
        }
        if bounds.count == 2, !bounds[1].isEmpty {
            guard let high = Int(bounds[1]), high >= low else { throw ExpressionError("invalid quantifier") }
        }
        self.output += "{" + text + "}"
    }

    /// One escape at `index` (a backslash), as ICU syntax.
    private mutating func escape(inClass: Bool) throws(ExpressionError) -> String {
        guard let scalar = self.peek(1) else { throw ExpressionError("regex ends with a backslash") }
        self.index += 2
        switch scalar {
        case "n", "r", "t", "\\", "|", ".", "?", "*", "+", "(", ")", "{", "}", "$", "-", "[", "]", "^", "d", "D":
            return "\\" + String(scalar)
        case "s": return "[\\t\\n\\r\\x{20}]"
        case "S": return "[^\\t\\n\\r\\x{20}]"
        case "w": return "[^\\p{P}\\p{Z}\\p{C}]"
        case "W": return "[\\p{P}\\p{Z}\\p{C}]"
        case "i": return "[" + XPathRegexTranslator.nameStart + "]"
        case "I": return "[^" + XPathRegexTranslator.nameStart + "]"
        case "c": return "[" + XPathRegexTranslator.nameChar + "]"
        case "C": return "[^" + XPathRegexTranslator.nameChar + "]"
        case "p", "P":
            guard self.peek() == "{" else { throw ExpressionError("invalid \\p escape in regex") }
            var name = ""
            self.index += 1
            while let next = self.peek(), next != "}" {
                guard next.isASCII, next.properties.isAlphabetic || next == "-" || ("0"..."9").contains(next) else {
                    throw ExpressionError("invalid property name in regex")
                }
                name.unicodeScalars.append(next)
                self.index += 1
            }
            guard self.peek() == "}", !name.isEmpty else { throw ExpressionError("invalid \\p escape in regex") }
            self.index += 1
            if name.hasPrefix("Is") { name = "Block=" + name.dropFirst(2) }
            return "\\" + String(scalar) + "{" + name + "}"
        case "1"..."9" where !inClass:
            var reference = "\\" + String(scalar)
            while let next = self.peek(), ("0"..."9").contains(next) {
                reference.unicodeScalars.append(next)
                self.index += 1
            }
            return reference
        default:
            throw ExpressionError("invalid escape \\\(scalar) in regex")
        }
    }

    /// A character class at `index` (`[`), emitted as the ICU set `[[…]]` or `[[…]--[…]]` for subtraction.
    private mutating func characterClass() throws(ExpressionError) {
        self.index += 1
        self.output += "[["
        if self.peek() == "^" {
            self.index += 1
            self.output += "^"
        }
        var first = true
        while true {
            guard let scalar = self.peek() else { throw ExpressionError("unterminated character class in regex") }
            if scalar == "]" {
                guard !first else { throw ExpressionError("empty character class in regex") }
                self.index += 1
                self.output += "]]"
                return
            }
            if scalar == "-" && self.peek(1) == "[" {
                guard !first else { throw ExpressionError("invalid character class subtraction in regex") }
                self.index += 1
                self.output += "]--"
                try self.characterClass()
                guard self.peek() == "]" else { throw ExpressionError("subtraction must end the character class") }
                self.index += 1
                self.output += "]"
                return
            }
            if scalar == "[" { throw ExpressionError("unescaped '[' in character class") }
            try self.classAtomOrRange(first: first)
            first = false
        }
    }

    /// A single character, a range `a-z` or a multi-character escape inside a character class.
    private mutating func classAtomOrRange(first: Bool) throws(ExpressionError) {
        let start = try self.classAtom()
        guard case .single(let low) = start else {
            if case .set(let set) = start { self.output += set }
            return
        }
        // A '-' is a range operator unless it ends the class or starts a subtraction.
        if self.peek() == "-", let after = self.peek(1), after != "]", after != "[" {
            self.index += 1
            guard case .single(let high) = try self.classAtom(), low.value <= high.value else {
                throw ExpressionError("invalid character range in regex")
            }
            self.output += XPathRegexTranslator.setLiteral(low) + "-" + XPathRegexTranslator.setLiteral(high)
        } else {
            self.output += XPathRegexTranslator.setLiteral(low)
        }
    }

    private enum ClassAtom {
        case single(Unicode.Scalar)
        case set(String)
    }

    private mutating func classAtom() throws(ExpressionError) -> ClassAtom {
        guard let scalar = self.peek() else { throw ExpressionError("unterminated character class in regex") }
        guard scalar == "\\" else {
            self.index += 1
            return .single(scalar)
        }
        guard let escaped = self.peek(1) else { throw ExpressionError("regex ends with a backslash") }
        switch escaped {
        case "n": self.index += 2; return .single("\n")
        case "r": self.index += 2; return .single("\r")
        case "t": self.index += 2; return .single("\t")
        case "\\", "|", ".", "?", "*", "+", "(", ")", "{", "}", "$", "-", "[", "]", "^":
            self.index += 2
            return .single(escaped)
        default:
            return .set(try self.escape(inClass: true))
        }
    }

    /// A literal inside an ICU set: ASCII letters and digits as is, everything else as `\x{…}`.
    private static func setLiteral(_ scalar: Unicode.Scalar) -> String {
        if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) {
            return String(scalar)
        }
        return "\\x{" + String(scalar.value, radix: 16) + "}"
    }

    /// The `x` flag (F&O §5.6.1.1): whitespace (#x9, #xA, #xD, #x20) is removed except inside character classes.
    private static func removingWhitespace(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        var depth = 0
        var escaped = false
        for scalar in scalars {
            if escaped {
                escaped = false
                result.append(scalar)
                continue
            }
            switch scalar {
            case "\\": escaped = true
            case "[": depth += 1
            case "]": depth = max(0, depth - 1)
            case " ", "\t", "\n", "\r": if depth == 0 { continue }
            default: break
            }
            result.append(scalar)
        }
        return result
    }
}
