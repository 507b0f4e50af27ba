/// RDF term equality compares code points (RDF 1.1 Concepts §3.2 and §3.3: IRIs and lexical forms are equal
/// "character by character"), not Swift's `String ==`, which treats canonically equivalent strings (precomposed
/// "é" and "e" + U+0301) as equal and would merge distinct terms in joins, DISTINCT and the dictionary.
extension Term {
    public static func == (lhs: Term, rhs: Term) -> Bool {
        switch (lhs, rhs) {
        case (.iri(let a), .iri(let b)), (.blank(let a), .blank(let b)): a.utf8.elementsEqual(b.utf8)
        case (.literal(let a), .literal(let b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .iri(let value):
            hasher.combine(0 as UInt8)
            hasher.combineCodePoints(value)
        case .blank(let value):
            hasher.combine(1 as UInt8)
            hasher.combineCodePoints(value)
        case .literal(let literal):
            hasher.combine(2 as UInt8)
            hasher.combine(literal)
        }
    }
}

extension Literal {
    public static func == (lhs: Literal, rhs: Literal) -> Bool {
        lhs.lexical.utf8.elementsEqual(rhs.lexical.utf8) && lhs.datatype.utf8.elementsEqual(rhs.datatype.utf8)
            && lhs.language == rhs.language
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combineCodePoints(self.lexical)
        hasher.combineCodePoints(self.datatype)
        hasher.combine(self.language)
    }
}

extension Hasher {
    /// Feeds a string's UTF-8 bytes, so that hashing agrees with code-point equality.
    mutating func combineCodePoints(_ value: String) {
        var copy = value
        copy.withUTF8 { self.combine(bytes: UnsafeRawBufferPointer($0)) }
        self.combine(value.utf8.count)
    }
}
