import RDF

/// A string literal argument (SPARQL 1.1 §17.4.3.1.1): a simple literal / `xsd:string` (no language) or a
/// language-tagged string.
struct StringArgument {
    /// The lexical form.
    var lexical: String
    /// The language tag, nil for a simple literal / `xsd:string`.
    var language: String?

    /// The result literal with this argument's language tag (if any).
    func term(_ lexical: String) -> Term {
        SPARQLFunctions.stringTerm(lexical, language: self.language)
    }
}

extension SPARQLFunctions {
    /// A string literal argument; anything else is a type error.
    static func stringArgument(_ term: Term, of function: String) throws(ExpressionError) -> StringArgument {
        if case .literal(let literal) = term {
            if literal.datatype == XSD.string { return StringArgument(lexical: literal.lexical, language: nil) }
            if let language = literal.language, literal.datatype == RDFVocabulary.langString {
                return StringArgument(lexical: literal.lexical, language: language)
            }
        }
        throw ExpressionError("\(function) expects a string literal")
    }

    /// A simple literal or `xsd:string` argument (no language tag); anything else is a type error.
    static func simpleString(_ term: Term, of function: String) throws(ExpressionError) -> String {
        if case .literal(let literal) = term, literal.datatype == XSD.string { return literal.lexical }
        throw ExpressionError("\(function) expects a simple literal")
    }

    /// Argument compatibility (SPARQL 1.1 §17.4.3.1.1): both without language tag, both with the same tag, or the
    /// first tagged and the second not.
    static func checkCompatible(_ lhs: StringArgument, _ rhs: StringArgument, _ function: String)
        throws(ExpressionError)
    {
        guard rhs.language == nil || rhs.language == lhs.language else {
            throw ExpressionError("\(function): incompatible language tags")
        }
    }

    /// A simple literal, or a language-tagged string when `language` is given.
    static func stringTerm(_ lexical: String, language: String?) -> Term {
        if let language { return .literal(Literal(lexical, language: language)) }
        return .string(lexical)
    }

    /// `STRLEN` (§17.4.3.2): the number of code points.
    static func strlen(_ argument: Term) throws(ExpressionError) -> Term {
        .integer(try self.stringArgument(argument, of: "STRLEN").lexical.unicodeScalars.count)
    }

    /// `SUBSTR` (§17.4.3.3, XPath `fn:substring`): code points at 1-based positions p with
    /// round(start) ≤ p < round(start) + round(length), keeping the language tag.
    static func substr(_ arguments: [Term]) throws(ExpressionError) -> Term {
        let source = try self.stringArgument(arguments[0], of: "SUBSTR")
        let first = XSDNumeric.roundHalfUp(try self.numericArgument(arguments[1], of: "SUBSTR").doubleValue)
        var end = Double.infinity
        if arguments.count > 2 {
            end = first + XSDNumeric.roundHalfUp(try self.numericArgument(arguments[2], of: "SUBSTR").doubleValue)
        }
        var result = String.UnicodeScalarView()
        var position = 1.0
        for scalar in source.lexical.unicodeScalars {
            if !(position < end) { break }
            if position >= first { result.append(scalar) }
            position += 1
        }
        return source.term(String(result))
    }

    /// `UCASE` / `LCASE` (§17.4.3.4–5, XPath `fn:upper-case` / `fn:lower-case`), keeping the language tag.
    static func changeCase(_ argument: Term, upper: Bool) throws(ExpressionError) -> Term {
        let source = try self.stringArgument(argument, of: upper ? "UCASE" : "LCASE")
        return source.term(upper ? source.lexical.uppercased() : source.lexical.lowercased())
    }

    /// `STRSTARTS`, `STRENDS`, `CONTAINS` (§17.4.3.6–8) by code points.
    static func stringTest(_ function: BuiltinFunction, _ arguments: [Term]) throws(ExpressionError) -> Term {
        let name = function.rawValue.uppercased()
        let haystack = try self.stringArgument(arguments[0], of: name)
        let needle = try self.stringArgument(arguments[1], of: name)
        try self.checkCompatible(haystack, needle, name)
        let h = haystack.lexical.utf8
        let n = needle.lexical.utf8
        switch function {
        case .strStarts: return .boolean(h.starts(with: n))
        case .strEnds: return .boolean(h.count >= n.count && h.dropFirst(h.count - n.count).elementsEqual(n))
        default: return .boolean(ByteSearch.firstOffset(of: needle.lexical, in: haystack.lexical) != nil)
        }
    }

    /// `STRBEFORE` / `STRAFTER` (§17.4.3.9–10): the part before / after the first occurrence, with the first
    /// argument's language tag; an empty simple literal when there is no occurrence.
    static func strBeforeAfter(_ arguments: [Term], after: Bool) throws(ExpressionError) -> Term {
        let name = after ? "STRAFTER" : "STRBEFORE"
        let source = try self.stringArgument(arguments[0], of: name)
        let needle = try self.stringArgument(arguments[1], of: name)
        try self.checkCompatible(source, needle, name)
        guard let offset = ByteSearch.firstOffset(of: needle.lexical, in: source.lexical) else { return .string("") }
        let bytes = source.lexical.utf8
        let part =
            after
            ? bytes.dropFirst(offset + needle.lexical.utf8.count)
            : bytes.prefix(offset)
        return source.term(String(decoding: part, as: UTF8.self))
    }

    /// `ENCODE_FOR_URI` (§17.4.3.11, XPath `fn:encode-for-uri`): every byte of the UTF-8 form except the RFC 3986
    /// unreserved characters becomes `%XX` (upper-case hex); the result is a simple literal.
    static func encodeForURI(_ argument: Term) throws(ExpressionError) -> Term {
        let source = try self.stringArgument(argument, of: "ENCODE_FOR_URI")
        var result = String.UnicodeScalarView()
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        for byte in source.lexical.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E:
                result.append(Unicode.Scalar(byte))
            default:
                result.append("%")
                result.append(hex[Int(byte >> 4)])
                result.append(hex[Int(byte & 0x0F)])
            }
        }
        return .string(String(result))
    }

    /// `CONCAT` (§17.4.3.12): a language-tagged result when every argument has the same tag, else simple.
    static func concat(_ arguments: [Term]) throws(ExpressionError) -> Term {
        var result = ""
        var language: String?? = .none
        for argument in arguments {
            let part = try self.stringArgument(argument, of: "CONCAT")
            result += part.lexical
            switch language {
            case .none: language = .some(part.language)
            case .some(let common) where common != part.language: language = .some(nil)
            default: break
            }
        }
        return self.stringTerm(result, language: language ?? nil)
    }

    /// A numeric argument; non-numeric or ill-typed literals are type errors.
    static func numericArgument(_ term: Term, of function: String) throws(ExpressionError) -> XSDNumeric {
        if case .literal(let literal) = term, let value = XSDNumeric.parse(literal) { return value }
        throw ExpressionError("\(function) expects a numeric argument")
    }
}

/// Substring search on UTF-8 bytes: a match of valid UTF-8 in valid UTF-8 always starts and ends on code point
/// boundaries, so byte offsets give code point semantics without Unicode normalization.
enum ByteSearch {
    /// The byte offset of the first occurrence of `needle` in `haystack`, or nil.
    static func firstOffset(of needle: String, in haystack: String) -> Int? {
        var haystack = haystack
        var needle = needle
        haystack.makeContiguousUTF8()
        needle.makeContiguousUTF8()
        return haystack.utf8.withContiguousStorageIfAvailable { hay -> Int? in
            needle.utf8.withContiguousStorageIfAvailable { pin -> Int? in self.search(pin, in: hay) } ?? nil
        } ?? nil
    }

    private static func search(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = needle.count
        guard count > 0 else { return 0 }
        guard haystack.count >= count else { return nil }
        let first = needle[0]
        var start = 0
        let last = haystack.count - count
        while start <= last {
            if haystack[start] == first {
                var matched = 1
                while matched < count && haystack[start + matched] == needle[matched] { matched += 1 }
                if matched == count { return start }
            }
            start += 1
        }
        return nil
    }
}
