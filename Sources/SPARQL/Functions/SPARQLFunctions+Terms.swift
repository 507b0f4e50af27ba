import RDF

extension SPARQLFunctions {
    /// `isIRI`/`isURI`, `isBlank`, `isLiteral`, `isNumeric` (SPARQL 1.1 §17.4.2.1–4); isNumeric requires a
    /// numeric datatype and a valid lexical form (including the range of derived integer types).
    static func termTest(_ function: BuiltinFunction, _ term: Term) -> Term {
        switch (function, term) {
        case (.isIRI, .iri), (.isBlank, .blank), (.isLiteral, .literal): return .boolean(true)
        case (.isNumeric, .literal(let literal)): return .boolean(XSDNumeric.parse(literal) != nil)
        default: return .boolean(false)
        }
    }

    /// `STR` (§17.4.2.5): the lexical form of a literal or the string of an IRI, as a simple literal.
    static func str(_ term: Term) throws(ExpressionError) -> Term {
        switch term {
        case .iri(let iri): return .string(iri)
        case .literal(let literal): return .string(literal.lexical)
        case .blank: throw ExpressionError("STR of a blank node")
        }
    }

    /// `LANG` (§17.4.2.6): the language tag of a literal, "" when it has none.
    static func lang(_ term: Term) throws(ExpressionError) -> Term {
        guard case .literal(let literal) = term else { throw ExpressionError("LANG of a non-literal") }
        return .string(literal.language ?? "")
    }

    /// `DATATYPE` (§17.4.2.7, RDF 1.1): `xsd:string` for simple literals, `rdf:langString` for tagged ones.
    static func datatype(_ term: Term) throws(ExpressionError) -> Term {
        guard case .literal(let literal) = term else { throw ExpressionError("DATATYPE of a non-literal") }
        return .iri(literal.datatype)
    }

    /// `IRI`/`URI` (§17.4.2.8): an IRI unchanged, or a simple literal / `xsd:string` as an IRI. Resolution against
    /// the base IRI is the engine's; characters not allowed in IRIs (RFC 3987, Turtle IRIREF) are errors.
    static func iri(_ term: Term) throws(ExpressionError) -> Term {
        if case .iri = term { return term }
        let text = try self.simpleString(term, of: "IRI")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{00}"..."\u{20}", "<", ">", "\"", "{", "}", "|", "^", "`", "\\":
                throw ExpressionError("IRI: character not allowed in an IRI")
            default: continue
            }
        }
        return .iri(text)
    }

    /// `BNODE` (§17.4.2.9): a fresh blank node, or — with a simple literal argument — a node whose label is a
    /// function of the string, so equal strings give the same node. Scoping the latter to one solution (distinct
    /// nodes for distinct solutions) is the engine's: it must rename such labels per solution.
    static func bnode(_ arguments: [Term], _ context: FunctionContext) throws(ExpressionError) -> Term {
        guard let argument = arguments.first else {
            return .blank("r" + self.randomHex(bytes: 12, context))
        }
        let text = try self.simpleString(argument, of: "BNODE")
        // FNV-1a over the UTF-8 bytes, twice with different offsets, for a 128-bit label.
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x6c62_272e_07bb_0142
        for byte in text.utf8 {
            first = (first ^ UInt64(byte)) &* 0x100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return .blank("s" + self.hex(first) + self.hex(second))
    }

    /// `STRDT` (§17.4.2.10): a simple literal's lexical form with the given datatype IRI.
    static func strdt(_ lexical: Term, _ datatype: Term) throws(ExpressionError) -> Term {
        let text = try self.simpleString(lexical, of: "STRDT")
        guard case .iri(let iri) = datatype, iri != RDFVocabulary.langString else {
            throw ExpressionError("STRDT expects a datatype IRI")
        }
        return .literal(Literal(text, datatype: iri))
    }

    /// `STRLANG` (§17.4.2.11): a simple literal's lexical form with a (well-formed BCP 47) language tag.
    static func strlang(_ lexical: Term, _ language: Term) throws(ExpressionError) -> Term {
        let text = try self.simpleString(lexical, of: "STRLANG")
        let tag = try self.simpleString(language, of: "STRLANG")
        guard self.isWellFormedLanguageTag(tag) else { throw ExpressionError("STRLANG: malformed language tag") }
        return .literal(Literal(text, language: tag))
    }

    /// `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*` (SPARQL 1.1 §19.8 LANGTAG, RFC 5646 syntax).
    static func isWellFormedLanguageTag(_ tag: String) -> Bool {
        var length = 0
        var firstSubtag = true
        for byte in tag.utf8 {
            switch byte {
            case 0x2D:
                guard length > 0 else { return false }
                firstSubtag = false
                length = 0
            case 0x41...0x5A, 0x61...0x7A:
                length += 1
            case 0x30...0x39 where !firstSubtag:
                length += 1
            default:
                return false
            }
            if length > 8 { return false }
        }
        return length > 0
    }

    /// `UUID` (§17.4.2.12) and `STRUUID` (§17.4.2.13): a version 4 (random) UUID (RFC 9562 §5.4), as a
    /// `urn:uuid:` IRI or as a simple literal.
    static func uuid(iri: Bool, _ context: FunctionContext) -> Term {
        var bytes = (0..<16).map { _ in self.randomByte(context) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        var text = ""
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text += "-" }
            text += self.hex(byte)
        }
        return iri ? .iri("urn:uuid:" + text) : .string(text)
    }

    /// `langMatches` (§17.4.3.14): RFC 4647 §3.3.1 basic filtering, case-insensitive; `*` matches any
    /// non-empty tag.
    static func langMatches(_ tag: Term, _ range: Term) throws(ExpressionError) -> Term {
        let language = try self.simpleString(tag, of: "LANGMATCHES").lowercased()
        let pattern = try self.simpleString(range, of: "LANGMATCHES").lowercased()
        if pattern == "*" { return .boolean(!language.isEmpty) }
        guard !pattern.isEmpty, language.utf8.starts(with: pattern.utf8) else { return .boolean(false) }
        let rest = language.utf8.dropFirst(pattern.utf8.count)
        return .boolean(rest.isEmpty || rest.first == 0x2D)
    }

    private static func randomByte(_ context: FunctionContext) -> UInt8 {
        UInt8(clamping: Int(context.random() * 256))
    }

    private static func randomHex(bytes count: Int, _ context: FunctionContext) -> String {
        (0..<count).map { _ in self.hex(self.randomByte(context)) }.joined()
    }

    /// Lower-case hexadecimal with leading zeros, two digits per byte.
    static func hex<T: FixedWidthInteger & UnsignedInteger>(_ value: T) -> String {
        let digits = Array("0123456789abcdef".unicodeScalars)
        var scalars = String.UnicodeScalarView()
        var shift = T.bitWidth - 4
        while shift >= 0 {
            scalars.append(digits[Int((value >> T(shift)) & 0x0F)])
            shift -= 4
        }
        return String(scalars)
    }
}
