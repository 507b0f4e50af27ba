import Foundation
import Synchronization

/// A compiled XPath regular expression (XPath 3.1 F&O §5.6.1) with its flags.
final class XPathRegex: @unchecked Sendable {
    // NSRegularExpression is immutable and documented thread-safe; the class only adds immutable facts.
    /// The translated ICU expression.
    let expression: NSRegularExpression
    /// The `q` flag: the pattern (and a REPLACE replacement) are taken literally.
    let literal: Bool
    /// Whether the expression matches the empty string (REPLACE rejects such patterns, FORX0003).
    let matchesEmptyString: Bool

    private init(expression: NSRegularExpression, literal: Bool) {
        self.expression = expression
        self.literal = literal
        self.matchesEmptyString = expression.firstMatch(in: "", range: NSRange(location: 0, length: 0)) != nil
    }

    private struct Key: Hashable {
        var pattern: String
        var flags: String

        static func == (lhs: Key, rhs: Key) -> Bool {
            CodepointOrder.equal(lhs.pattern, rhs.pattern) && CodepointOrder.equal(lhs.flags, rhs.flags)
        }

        func hash(into hasher: inout Hasher) {
            for byte in self.pattern.utf8 { hasher.combine(byte) }
            hasher.combine(0xFF as UInt8)
            for byte in self.flags.utf8 { hasher.combine(byte) }
        }
    }

    /// Compiled expressions by pattern and flags: REGEX in a FILTER runs once per solution with the same pattern.
    private static let cache = Mutex<[Key: XPathRegex]>([:])
    private static let cacheLimit = 256

    /// Compiles (or fetches from the cache) `pattern` with XPath `flags` (`s`, `m`, `i`, `x`, `q`, F&O §5.6.1.1);
    /// invalid patterns or flags are errors (FORX0001, FORX0002).
    static func compile(_ pattern: String, flags: String) throws(ExpressionError) -> XPathRegex {
        let key = Key(pattern: pattern, flags: flags)
        if let cached = self.cache.withLock({ $0[key] }) { return cached }
        let compiled = try self.make(pattern, flags: flags)
        self.cache.withLock { cache in
            if cache.count >= self.cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[key] = compiled
        }
        return compiled
    }

    private static func make(_ pattern: String, flags: String) throws(ExpressionError) -> XPathRegex {
        var options: NSRegularExpression.Options = []
        var literal = false
        var extended = false
        for flag in flags.unicodeScalars {
            switch flag {
            case "i": options.insert(.caseInsensitive)
            case "s": options.insert(.dotMatchesLineSeparators)
            case "m": options.insert(.anchorsMatchLines)
            case "x": extended = true
            case "q": literal = true
            default: throw ExpressionError("invalid regular expression flag '\(flag)'")
            }
        }
        let translated: String
        if literal {
            translated = NSRegularExpression.escapedPattern(for: pattern)
            options.remove([.dotMatchesLineSeparators, .anchorsMatchLines])
        } else {
            var translator = XPathRegexTranslator(
                pattern, dotAll: options.contains(.dotMatchesLineSeparators),
                multiline: options.contains(.anchorsMatchLines), stripWhitespace: extended)
            translated = try translator.translate()
        }
        do {
            return XPathRegex(
                expression: try NSRegularExpression(pattern: translated, options: options), literal: literal)
        } catch {
            throw ExpressionError("invalid regular expression: \(pattern)")
        }
    }

    /// `fn:matches`: whether any substring of `text` matches.
    func matches(_ text: String) -> Bool {
        let range = NSRange(location: 0, length: text.utf16.count)
        return self.expression.rangeOfFirstMatch(in: text, range: range).location != NSNotFound
    }

    /// `fn:replace` (F&O §5.6.3): replaces every non-overlapping match; `$N` in `replacement` is the N-th group
    /// (digits taken greedily while they name an existing group, `$0` the whole match), `\$` and `\\` escape.
    func replace(_ text: String, with replacement: String) throws(ExpressionError) -> String {
        guard !self.matchesEmptyString else {
            throw ExpressionError("REPLACE pattern matches the empty string")
        }
        let parts = try self.parseReplacement(replacement)
        let source = NSString(string: text)
        var result = ""
        var position = 0
        for match in self.expression.matches(in: text, range: NSRange(location: 0, length: source.length)) {
            result += source.substring(with: NSRange(location: position, length: match.range.location - position))
            for part in parts {
                switch part {
                case .text(let text): result += text
                case .group(let index):
                    let range = match.range(at: index)
                    if range.location != NSNotFound { result += source.substring(with: range) }
                }
            }
            position = match.range.location + match.range.length
        }
        result += source.substring(from: position)
        return result
    }

    private enum ReplacementPart {
        case text(String)
        case group(Int)
    }

    private func parseReplacement(_ replacement: String) throws(ExpressionError) -> [ReplacementPart] {
        if self.literal { return [.text(replacement)] }
        let groups = self.expression.numberOfCaptureGroups
        var parts: [ReplacementPart] = []
        var text = String.UnicodeScalarView()
        var scalars = replacement.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar {
            case "\\":
                guard let next = pending, next == "\\" || next == "$" else {
                    throw ExpressionError("invalid escape in REPLACE replacement")
                }
                text.append(next)
                pending = scalars.next()
            case "$":
                guard let next = pending, next.isASCII, let first = Int(String(next)) else {
                    throw ExpressionError("'$' not followed by a digit in REPLACE replacement")
                }
                var group = first
                pending = scalars.next()
                while let next = pending, let value = Int(String(next)), next.isASCII, group * 10 + value <= groups {
                    group = group * 10 + value
                    pending = scalars.next()
                }
                if !text.isEmpty {
                    parts.append(.text(String(text)))
                    text = String.UnicodeScalarView()
                }
                if group <= groups { parts.append(.group(group)) }
            default:
                text.append(scalar)
            }
        }
        if !text.isEmpty { parts.append(.text(String(text))) }
        return parts
    }
}
