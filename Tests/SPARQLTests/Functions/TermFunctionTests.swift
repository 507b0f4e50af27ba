import RDF
import Synchronization
import Testing

@testable import SPARQL

/// Functions on RDF terms (SPARQL 1.1 §17.4.1–2), arity and keywords.
@Suite struct TermFunctionTests {
    typealias F = Fixture

    @Test func termTests() throws {
        #expect(try F.call(.isIRI, .iri("http://a")) == .boolean(true))
        #expect(try F.call(.isIRI, .string("http://a")) == .boolean(false))
        #expect(try F.call(.isBlank, .blank("b")) == .boolean(true))
        #expect(try F.call(.isBlank, .iri("_:b")) == .boolean(false))
        #expect(try F.call(.isLiteral, F.tagged("a", "en")) == .boolean(true))
        #expect(try F.call(.isLiteral, .blank("b")) == .boolean(false))
    }

    @Test func strLangDatatype() throws {
        #expect(try F.call(.str, .iri("http://example/a")) == .string("http://example/a"))
        #expect(try F.call(.str, F.tagged("chat", "fr")) == .string("chat"))
        #expect(try F.call(.str, F.integer("01")) == .string("01"))
        #expect(F.fails(.str, .blank("b")))
        #expect(try F.call(.lang, F.tagged("chat", "FR")) == .string("fr"))
        #expect(try F.call(.lang, .string("chat")) == .string(""))
        #expect(F.fails(.lang, .iri("http://a")))
        #expect(try F.call(.datatype, .string("a")) == .iri(XSD.string))
        #expect(try F.call(.datatype, F.tagged("a", "en")) == .iri(RDFVocabulary.langString))
        #expect(try F.call(.datatype, F.typed("1", XSD.short)) == .iri(XSD.short))
        #expect(try F.call(.datatype, F.integer("abc")) == .iri(XSD.integer))
        #expect(F.fails(.datatype, .blank("b")))
    }

    /// W3C iri01 / iri02 (resolution is the engine's) and IRI character rules.
    @Test func iri() throws {
        #expect(try F.call(.iri, .string("http://example.org/iri")) == .iri("http://example.org/iri"))
        #expect(try F.call(.iri, .iri("http://example.org/uri")) == .iri("http://example.org/uri"))
        #expect(try F.call(.iri, F.typed("urn:x", XSD.string)) == .iri("urn:x"))
        #expect(F.fails(.iri, .string("http://exa mple/")))
        #expect(F.fails(.iri, .string("<http://a>")))
        #expect(F.fails(.iri, F.tagged("http://a", "en")))
        #expect(F.fails(.iri, .blank("b")))
    }

    /// W3C bnode01 / bnode02: fresh nodes differ; equal strings give equal nodes.
    @Test func bnode() throws {
        let context = FunctionContext(now: "", random: { 0.5 })
        let fresh = try SPARQLFunctions.call(.bnode, [], context: context)
        guard case .blank(let label) = fresh else {
            Issue.record("BNODE() must return a blank node")
            return
        }
        #expect(!label.isEmpty)
        let a1 = try F.call(.bnode, .string("foo"))
        let a2 = try F.call(.bnode, F.typed("foo", XSD.string))
        let b = try F.call(.bnode, .string("BAZ"))
        #expect(a1 == a2)
        #expect(a1 != b)
        #expect(a1 != fresh)
        #expect(F.fails(.bnode, F.tagged("foo", "en")))
        #expect(F.fails(.bnode, .iri("http://a")))
    }

    /// W3C strdt01–03 and strlang01–03 (RDF 1.1 variants): only simple literals / xsd:string are accepted.
    @Test func strdtAndStrlang() throws {
        #expect(try F.call(.strdt, .string("foo"), .iri(XSD.string)) == .string("foo"))
        #expect(try F.call(.strdt, .string("123"), .iri(XSD.integer)) == F.integer("123"))
        #expect(try F.call(.strdt, .string("x"), .iri("http://example/dt")) == F.typed("x", "http://example/dt"))
        #expect(F.fails(.strdt, F.tagged("foo", "en"), .iri(XSD.string)))
        #expect(F.fails(.strdt, F.integer("1"), .iri(XSD.string)))
        #expect(F.fails(.strdt, .string("foo"), .string(XSD.string)))
        #expect(try F.call(.strlang, .string("foo"), .string("en-US")) == F.tagged("foo", "en-us"))
        #expect(try F.call(.strlang, F.typed("abc", XSD.string), .string("en-US")) == F.tagged("abc", "en-US"))
        #expect(F.fails(.strlang, F.tagged("foo", "en"), .string("en-US")))
        #expect(F.fails(.strlang, F.decimal("1.1"), .string("en-US")))
        #expect(F.fails(.strlang, .string("foo"), .string("")))
        #expect(F.fails(.strlang, .string("foo"), .string("en_US")))
        #expect(F.fails(.strlang, .string("foo"), .string("123")))
        #expect(F.fails(.strlang, .string("foo"), .string("abcdefghi")))
    }

    /// W3C uuid01, uuid02, struuid01: version 4 layout from the injected random source.
    @Test func uuids() throws {
        guard case .iri(let iri) = try F.call(.uuid) else {
            Issue.record("UUID() must return an IRI")
            return
        }
        #expect(iri == "urn:uuid:40404040-4040-4040-8040-404040404040")
        let text = try F.call(.struuid)
        #expect(text == .string("40404040-4040-4040-8040-404040404040"))
        #expect(try F.call(.strlen, text) == .integer(36))
        let bytes = SendableCounter()
        let varying = FunctionContext(now: "", random: { bytes.next() })
        let u1 = try SPARQLFunctions.call(.uuid, [], context: varying)
        let u2 = try SPARQLFunctions.call(.uuid, [], context: varying)
        #expect(u1 != u2)
        #expect(
            try SPARQLFunctions.call(
                .regex,
                [
                    F.call(.str, u1),
                    .string("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"),
                ], context: F.context) == .boolean(true))
    }

    @Test func sameTerm() throws {
        #expect(try F.call(.sameTerm, F.integer("1"), F.integer("1")) == .boolean(true))
        #expect(try F.call(.sameTerm, F.integer("1"), F.integer("01")) == .boolean(false))
        #expect(try F.call(.sameTerm, .string("a"), F.typed("a", XSD.string)) == .boolean(true))
        #expect(try F.call(.sameTerm, F.tagged("a", "EN"), F.tagged("a", "en")) == .boolean(true))
        #expect(try F.call(.sameTerm, .string("\u{E9}"), .string("e\u{301}")) == .boolean(false))
        #expect(try F.call(.sameTerm, .blank("a"), .iri("a")) == .boolean(false))
        #expect(try F.call(.sameTerm, F.unknown("x"), F.unknown("x")) == .boolean(true))
    }

    /// W3C expr-builtin langMatches-1…4, de-de and RFC 4647 §3.3.1.
    @Test(arguments: [
        ("fr", "FR", true), ("fr-BE", "fr", true), ("fr-be", "FR-BE", true), ("fr", "fr-BE", false),
        ("fra", "fr", false),
        ("en", "*", true), ("", "*", false), ("de-DE-1996", "de-de", true), ("de-Deva", "de-de", false),
        ("", "en", false),
        ("en", "", false),
    ])
    func langMatches(tag: String, range: String, expected: Bool) throws {
        #expect(try F.call(.langMatches, .string(tag), .string(range)) == .boolean(expected))
    }

    @Test func arityAndKeywords() {
        #expect(F.fails(.str))
        #expect(F.fails(.str, .string("a"), .string("b")))
        #expect(F.fails(.now, .string("a")))
        #expect(F.fails(.replace, .string("a"), .string("a")))
        #expect(BuiltinFunction.concat.arity.contains(17))
        #expect(BuiltinFunction.substr.arity == 2...3)
        #expect(BuiltinFunction(keyword: "encode_for_uri") == .encodeForURI)
        #expect(BuiltinFunction(keyword: "URI") == .iri)
        #expect(BuiltinFunction(keyword: "isURI") == .isIRI)
        #expect(BuiltinFunction(keyword: "LangMatches") == .langMatches)
        #expect(BuiltinFunction(keyword: "STRSTARTS") == .strStarts)
        #expect(BuiltinFunction(keyword: "encodeForURI") == nil)
        #expect(BuiltinFunction(keyword: "BOUND") == nil)
    }
}

/// A thread-safe counter producing distinct values in [0, 1) for the injected random source.
final class SendableCounter: Sendable {
    private let state = Mutex(0)

    func next() -> Double {
        self.state.withLock { value in
            value += 1
            return Double(value % 251) / 251
        }
    }
}
