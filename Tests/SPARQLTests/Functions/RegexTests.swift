import RDF
import Testing

@testable import SPARQL

/// REGEX and REPLACE with XPath regular expressions (SPARQL 1.1 §17.4.3.14–15, XPath 3.1 F&O §5.6).
@Suite struct RegexTests {
    typealias F = Fixture

    private func matches(_ text: String, _ pattern: String, _ flags: String? = nil) throws -> Bool {
        var arguments: [Term] = [.string(text), .string(pattern)]
        if let flags { arguments.append(.string(flags)) }
        return try SPARQLFunctions.call(.regex, arguments, context: F.context) == .boolean(true)
    }

    private func replace(_ text: Term, _ pattern: String, _ replacement: String, _ flags: String? = nil) throws -> Term
    {
        var arguments: [Term] = [text, .string(pattern), .string(replacement)]
        if let flags { arguments.append(.string(flags)) }
        return try SPARQLFunctions.call(.replace, arguments, context: F.context)
    }

    @Test func basicMatching() throws {
        #expect(try self.matches("abracadabra", "bra"))
        #expect(try self.matches("abracadabra", "^a.*a$"))
        #expect(try !self.matches("abracadabra", "^bra"))
        #expect(try self.matches("ABC", "b", "i"))
        #expect(try !self.matches("ABC", "b"))
        #expect(try self.matches("a1b2", "^[a-z][0-9][a-z]\\d$"))
        #expect(try self.matches("foo@example.org", "^[^@]+@[^@]+\\.[a-z]{2,}$"))
        #expect(
            try SPARQLFunctions.call(.regex, [F.tagged("Hello", "en"), .string("^H")], context: F.context)
                == .boolean(true))
    }

    /// W3C struuid01 / uuid01 patterns.
    @Test func uuidPattern() throws {
        let pattern = "^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$"
        #expect(try self.matches("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", pattern, "i"))
        #expect(try !self.matches("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", pattern))
    }

    @Test func flags() throws {
        #expect(try !self.matches("a\nb", "a.b"))
        #expect(try self.matches("a\nb", "a.b", "s"))
        #expect(try self.matches("a\u{2028}b", "a.b"))  // XPath '.' excludes only \n and \r
        #expect(try !self.matches("line1\nline2", "^line2$"))
        #expect(try self.matches("line1\nline2", "^line2$", "m"))
        #expect(try !self.matches("abc\n", "abc$"))  // '$' only at the very end without 'm'
        #expect(try self.matches("hello world", "hello world", "x") == false)
        #expect(try self.matches("helloworld", "hello world", "x"))
        #expect(try self.matches("a b", "a[ ]b", "x"))  // whitespace in a class is kept
        #expect(try self.matches("a.b*c", ".b*", "q"))
        #expect(try !self.matches("axbbc", ".b*c", "q"))
        #expect(try self.matches("A.B", "a.b", "qi"))
        #expect(throws: ExpressionError.self) { try self.matches("a", "a", "g") }
    }

    @Test func xpathClassesAndEscapes() throws {
        #expect(try self.matches("\u{A0}", "^\\S$"))  // XPath \s is only space, tab, CR, LF
        #expect(try self.matches(" \t", "^\\s+$"))
        #expect(try self.matches("é1", "^\\w+$"))
        #expect(try !self.matches("_", "^\\w$"))  // connector punctuation is not a word character in XPath
        #expect(try !self.matches("a-b", "^\\w+$"))
        #expect(try self.matches("xml:name", "^\\i\\c*$"))
        #expect(try !self.matches("1abc", "^\\i"))
        #expect(try self.matches("b", "^[a-z-[aeiou]]$"))
        #expect(try !self.matches("e", "^[a-z-[aeiou]]$"))
        #expect(try self.matches("-", "^[a-]$"))
        #expect(try self.matches("&", "^[&]$"))
        #expect(try self.matches("a", "^\\p{IsBasicLatin}$"))
        #expect(try self.matches("Ω", "^\\p{Lu}$"))
        #expect(try self.matches("abab", "^(ab)\\1$"))
        #expect(try self.matches("ab", "^(?:a)b$"))
        #expect(try self.matches("a{b", "a\\{b"))
        #expect(try self.matches("aaa", "^a{2,}$"))
    }

    @Test(arguments: ["(", "[a-", "a{3,2}", "\\b", "(?=a)", "[]", "a]", "\\", "[z-a]", "\\Qa\\E", "{2}"])
    func invalidPatternsAreErrors(pattern: String) {
        #expect(throws: ExpressionError.self) { try self.matches("abc", pattern) }
    }

    @Test func argumentTypes() {
        #expect(F.fails(.regex, .string("a"), F.tagged("a", "en")))
        #expect(F.fails(.regex, F.integer("1"), .string("1")))
        #expect(F.fails(.regex, .string("a"), .string("a"), F.integer("1")))
        #expect(F.fails(.regex, .string("a")))
    }

    /// W3C replace01 (data3.ttl), replace02, replace03, replace-case-insensitive.
    @Test func replaceW3C() throws {
        #expect(try self.replace(.string("123"), "[^a-z0-9]", "-") == .string("123"))
        #expect(try self.replace(F.tagged("日本語", "ja"), "[^a-z0-9]", "-") == F.tagged("---", "ja"))
        #expect(try self.replace(F.tagged("English", "en"), "[^a-z0-9]", "-") == F.tagged("-nglish", "en"))
        #expect(try self.replace(F.tagged("Français", "fr"), "[^a-z0-9]", "-") == F.tagged("-ran-ais", "fr"))
        #expect(try self.replace(F.typed("abc", XSD.string), "[^a-z0-9]", "-") == .string("abc"))
        #expect(F.fails(.replace, F.integer("7"), .string("[^a-z0-9]"), .string("-")))
        #expect(try self.replace(.string("banana"), "ana", "*") == .string("b*na"))
        #expect(try self.replace(.string("abcd"), "(ab)|(a)", "[1=$1][2=$2]") == .string("[1=ab][2=]cd"))
        #expect(try self.replace(.string("aAbBaC"), "a", "~/", "i") == .string("~/~/bB~/C"))
    }

    @Test func replacementSyntax() throws {
        #expect(try self.replace(.string("abc"), "b", "\\$") == .string("a$c"))
        #expect(try self.replace(.string("abc"), "b", "\\\\") == .string("a\\c"))
        #expect(try self.replace(.string("abc"), "(b)", "$0$1") == .string("abbc"))
        #expect(try self.replace(.string("abc"), "(b)", "$12") == .string("ab2c"))  // $1 then "2"
        #expect(try self.replace(.string("abc"), "(b)", "$2") == .string("ac"))
        #expect(try self.replace(.string("a$b"), "$", "x", "q") == .string("axb"))
        #expect(try self.replace(.string("a$b"), "$", "\\x", "q") == .string("a\\xb"))
        #expect(try self.replace(.string("a.b"), ".", "$1", "q") == .string("a$1b"))
        #expect(try self.replace(.string("食べ物"), "べ", "-") == .string("食-物"))
        #expect(try self.replace(.string("\u{1F46A}x\u{1F46A}"), "x", "y") == .string("\u{1F46A}y\u{1F46A}"))
        #expect(throws: ExpressionError.self) { try self.replace(.string("abc"), "b", "$") }
        #expect(throws: ExpressionError.self) { try self.replace(.string("abc"), "b", "\\n") }
        #expect(throws: ExpressionError.self) { try self.replace(.string("abc"), "x*", "-") }  // matches ""
        #expect(throws: ExpressionError.self) { try self.replace(.string("abc"), "b", "-", "z") }
    }

    @Test func compiledExpressionsAreCached() throws {
        let first = try XPathRegex.compile("^cache-[0-9]+$", flags: "i")
        let second = try XPathRegex.compile("^cache-[0-9]+$", flags: "i")
        #expect(first === second)
        #expect(try XPathRegex.compile("^cache-[0-9]+$", flags: "") !== first)
        // Canonically equivalent but different code points are different patterns.
        let composed = try XPathRegex.compile("^\u{E9}$", flags: "")
        let decomposed = try XPathRegex.compile("^e\u{301}$", flags: "")
        #expect(composed.matches("\u{E9}") && !decomposed.matches("\u{E9}"))
    }
}
