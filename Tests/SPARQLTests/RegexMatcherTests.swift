import RDF
import Testing

@testable import SPARQL

@Suite struct RegexMatcherTests {
    static let texts = [
        "", "abc", "ABC", "Nordic Cloud 12", "alpine Data 7", "Alpinex", "line1\nline2", "a.b", "aaa", "ab ab",
        "Ünïcödé", "x-y_z", "12345", "  spaced  ", "tab\there", "a\\b", "price: 0.02 EUR",
    ]
    static let patterns: [(String, String)] = [
        ("abc", ""), ("abc", "i"), ("^(nordic|alpine) ", "i"), ("^a.c$", ""), ("^a.*$", "s"), ("^line2", "m"),
        ("line1$", "m"), ("[a-c]+", ""), ("[^a-z ]", ""), ("\\d{2,3}", ""), ("\\w+\\s\\w+", ""), ("a{2}", ""),
        ("(ab)+", ""), ("a|b|c", ""), ("^$", ""), ("\\.", ""), ("a\\\\b", ""), ("[\\d.]+ EUR$", ""),
        ("(?:ab ?){2}", ""), ("a*?b", ""), ("^\\S+$", ""), ("ünï", "i"), ("a b", "x"), ("[a-z]{3,}", "i"),
        ("c$", ""), ("^(a|ab)(c|bcd)$", ""), ("x?y?z?", ""), ("(a|b)*c", ""), ("a{2,}", ""), ("[^\\s]+", ""),
        ("e$", "i"), ("^.{3}$", ""), ("(?:ab|a)+$", ""), ("[A-Z][a-z]+ \\w+ \\d+", ""), ("Ü", "i"),
    ]

    @Test func agreesWithTheFunctionLibrary() throws {
        for (pattern, flags) in Self.patterns {
            let matcher = try #require(RegexMatcher(pattern: pattern, flags: flags), "not compiled: \(pattern)")
            for text in Self.texts {
                var args: [Term] = [.string(text), .string(pattern)]
                if !flags.isEmpty { args.append(.string(flags)) }
                let expected = try SPARQLFunctions.call(
                    .regex, args, context: FunctionContext(now: "2020-01-01T00:00:00Z", random: { 0.5 }))
                #expect(
                    matcher.matches(text) == (expected == .boolean(true)) as Bool?,
                    "regex \(pattern) flags \(flags) on \(text.debugDescription)")
            }
        }
    }

    @Test(arguments: ["\\p{L}", "[a-z-[aeiou]]", "(a", "a{3,2}", "\\1", "[[:alpha:]]", "*a"])
    func unsupportedPatternsAreNotCompiled(_ pattern: String) {
        #expect(RegexMatcher(pattern: pattern, flags: "") == nil)
    }

    @Test func unknownFlagsAreNotCompiled() {
        #expect(RegexMatcher(pattern: "a", flags: "g") == nil)
    }
}
