import RDF
import Testing

@testable import SPARQL

/// String functions (SPARQL 1.1 §17.4.3) with the W3C sparql11/functions expectations.
@Suite struct StringFunctionTests {
    typealias F = Fixture

    /// W3C length01 and length01-non-bmp: code points, not UTF-16 units or grapheme clusters.
    @Test func strlenCountsCodePoints() throws {
        #expect(try F.call(.strlen, .string("foo")) == .integer(3))
        #expect(try F.call(.strlen, F.tagged("食べ物", "ja")) == .integer(3))
        #expect(try F.call(.strlen, .string("\u{1F46A}")) == .integer(1))
        #expect(
            try F.call(.strlen, .string("\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}")) == .integer(7))
        #expect(try F.call(.strlen, .string("")) == .integer(0))
        #expect(F.fails(.strlen, F.integer("7")))
        #expect(F.fails(.strlen, .iri("http://example/")))
    }

    /// W3C substring01/02 (+ non-BMP) and XPath `fn:substring` rounding rules.
    @Test(arguments: [
        (Term.string("foo"), 1.0, 1.0 as Double?, Term.string("f")), (F.tagged("bar", "en"), 1, 1, F.tagged("b", "en")),
        (.string("食べ物"), 2, nil, .string("べ物")), (F.tagged("bar", "en"), 2, nil, F.tagged("ar", "en")),
        (.string("\u{1F46A}"), 2, nil, .string("")),
        (.string("\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}"), 1, 1, .string("\u{1F468}")),
        (.string("12345"), 1.5, 2.6, .string("234")), (.string("12345"), 0, 3, .string("12")),
        (.string("12345"), 5, -3, .string("")), (.string("12345"), -3, 5, .string("1")),
        (.string("12345"), 0.0 / 0.0, 3, .string("")), (.string("12345"), -42, 1.0 / 0.0, .string("12345")),
        (.string("12345"), -1.0 / 0.0, 1.0 / 0.0, .string("")), (.string("abc"), 4, nil, .string("")),
    ])
    func substr(source: Term, start: Double, length: Double?, expected: Term) throws {
        var arguments = [source, F.double(XSDNumeric.canonicalDouble(start))]
        if let length { arguments.append(F.double(XSDNumeric.canonicalDouble(length))) }
        #expect(try SPARQLFunctions.call(.substr, arguments, context: F.context) == expected)
    }

    @Test func substrWithIntegersAndErrors() throws {
        #expect(try F.call(.substr, .string("foobar"), .integer(4)) == .string("bar"))
        #expect(try F.call(.substr, F.typed("foobar", XSD.string), .integer(2), .integer(3)) == .string("oob"))
        #expect(F.fails(.substr, .string("foobar"), .string("2")))
        #expect(F.fails(.substr, F.integer("123"), .integer(2)))
        #expect(F.fails(.substr, .string("foobar")))
    }

    /// W3C ucase01 / lcase01 (+ non-BMP): language tags are kept.
    @Test func caseMapping() throws {
        #expect(try F.call(.ucase, F.tagged("bar", "en")) == F.tagged("BAR", "en"))
        #expect(try F.call(.ucase, .string("食べ物")) == .string("食べ物"))
        #expect(try F.call(.lcase, .string("BAZ")) == .string("baz"))
        #expect(try F.call(.lcase, F.tagged("Français", "fr")) == F.tagged("français", "fr"))
        #expect(try F.call(.ucase, .string("stra\u{DF}e")) == .string("STRASSE"))
        #expect(try F.call(.ucase, .string("\u{1F46A}")) == .string("\u{1F46A}"))
        #expect(F.fails(.lcase, .iri("http://EXAMPLE/")))
    }

    /// §17.4.3.1.1 argument compatibility and W3C starts01, ends01, contains01.
    @Test func startsEndsContains() throws {
        #expect(try F.call(.strStarts, F.tagged("abc", "en"), .string("a")) == .boolean(true))
        #expect(try F.call(.strStarts, F.tagged("abc", "en"), F.tagged("ab", "en")) == .boolean(true))
        #expect(try F.call(.strStarts, .string("123"), .string("1")) == .boolean(true))
        #expect(try F.call(.strEnds, F.typed("abc", XSD.string), .string("bc")) == .boolean(true))
        #expect(try F.call(.strEnds, .string("bc"), .string("abc")) == .boolean(false))
        #expect(try F.call(.contains, F.tagged("bar", "en"), .string("a")) == .boolean(true))
        #expect(try F.call(.contains, .string("foo"), .string("a")) == .boolean(false))
        #expect(try F.call(.contains, .string("foo"), .string("")) == .boolean(true))
        #expect(try F.call(.contains, .string("e\u{301}"), .string("e")) == .boolean(true))  // code points
        #expect(try F.call(.strStarts, .string("e\u{301}x"), .string("e")) == .boolean(true))
        #expect(F.fails(.strStarts, .string("abc"), F.tagged("a", "en")))
        #expect(F.fails(.contains, F.tagged("abc", "en"), F.tagged("b", "fr")))
        #expect(F.fails(.strEnds, F.integer("123"), .string("3")))
        #expect(F.fails(.strStarts, .iri("http://a"), .string("h")))
    }

    /// W3C strafter02 / strbefore02 (data4.ttl: "abc", "abc"@en, "abc"^^xsd:string).
    @Test func strBeforeAndAfter() throws {
        for source in [Term.string("abc"), F.typed("abc", XSD.string)] {
            #expect(try F.call(.strAfter, source, .string("b")) == .string("c"))
            #expect(try F.call(.strAfter, source, .string("ab")) == .string("c"))
            #expect(F.fails(.strAfter, source, F.tagged("b", "cy")))
            #expect(try F.call(.strAfter, source, .string("")) == .string("abc"))
            #expect(F.fails(.strAfter, source, F.tagged("", "en")))
            #expect(try F.call(.strAfter, source, .string("xyz")) == .string(""))
            #expect(try F.call(.strBefore, source, .string("bc")) == .string("a"))
            #expect(try F.call(.strBefore, source, .string("")) == .string(""))
        }
        let english = F.tagged("abc", "en")
        #expect(try F.call(.strAfter, english, .string("b")) == F.tagged("c", "en"))
        #expect(try F.call(.strAfter, english, F.tagged("", "en")) == F.tagged("abc", "en"))
        #expect(try F.call(.strAfter, english, F.typed("xyz", XSD.string)) == .string(""))
        #expect(try F.call(.strBefore, english, .string("")) == F.tagged("", "en"))
        #expect(try F.call(.strBefore, english, F.tagged("", "en")) == F.tagged("", "en"))
        #expect(try F.call(.strBefore, english, .string("b")) == F.tagged("a", "en"))
        #expect(try F.call(.strBefore, english, .string("xyz")) == .string(""))
        #expect(F.fails(.strBefore, english, F.tagged("b", "cy")))
        #expect(try F.call(.strAfter, .string("食べ物"), .string("べ")) == .string("物"))
        #expect(try F.call(.strBefore, F.tagged("English", "en"), .string("s")) == F.tagged("Engli", "en"))
    }

    /// W3C encode01 and encode01-non-bmp: the result is always a simple literal.
    @Test func encodeForURI() throws {
        #expect(try F.call(.encodeForURI, F.tagged("bar", "en")) == .string("bar"))
        #expect(try F.call(.encodeForURI, .string("食べ物")) == .string("%E9%A3%9F%E3%81%B9%E7%89%A9"))
        #expect(try F.call(.encodeForURI, .string("100%")) == .string("100%25"))
        #expect(try F.call(.encodeForURI, .string("Los Angeles")) == .string("Los%20Angeles"))
        #expect(try F.call(.encodeForURI, .string("a-_.~/?#")) == .string("a-_.~%2F%3F%23"))
        #expect(try F.call(.encodeForURI, .string("\u{1F46A}")) == .string("%F0%9F%91%AA"))
        #expect(F.fails(.encodeForURI, F.integer("1")))
    }

    /// W3C concat01, concat02, concat-empty, concat-single.
    @Test func concat() throws {
        #expect(try F.call(.concat) == .string(""))
        #expect(try F.call(.concat, F.typed("abc", XSD.string)) == .string("abc"))
        #expect(try F.call(.concat, F.typed("abc", XSD.string), F.typed("def", XSD.string)) == .string("abcdef"))
        #expect(
            try F.call(.concat, F.tagged("english", "en"), F.tagged("english", "en"))
                == F.tagged("englishenglish", "en"))
        #expect(
            try F.call(.concat, F.tagged("english", "en"), F.tagged("français", "fr")) == .string("englishfrançais"))
        #expect(try F.call(.concat, .string("123"), F.tagged("日本語", "ja")) == .string("123日本語"))
        #expect(try F.call(.concat, F.tagged("日本語", "ja"), .string("abc")) == .string("日本語abc"))
        #expect(try F.call(.concat, F.tagged("a", "en")) == F.tagged("a", "en"))
        #expect(F.fails(.concat, .string("a"), F.integer("7")))
        #expect(F.fails(.concat, .iri("http://a")))
    }
}
