import RDF

/// A literal mapped into the value space of the datatypes the operators know (SPARQL 1.1 §17.1, §17.3): the
/// XSD numerics, strings, language-tagged strings, booleans, dateTimes and dates. Literals of other datatypes,
/// and ill-typed literals of known datatypes, have no known value and compare only by RDF term identity.
enum LiteralValue: Sendable {
    /// A valid numeric literal.
    case numeric(XSDNumeric)
    /// A simple literal or `xsd:string` (identical in RDF 1.1).
    case string(String)
    /// A language-tagged string (the tag is lower case).
    case langString(String, language: String)
    /// A valid `xsd:boolean`.
    case boolean(Bool)
    /// A valid `xsd:dateTime`.
    case dateTime(XSDDateTime)
    /// A valid `xsd:date` (the start of the day).
    case date(XSDDateTime)
    /// A literal of a known datatype whose lexical form is not in its lexical space (e.g. `"abc"^^xsd:integer`).
    case illTyped(Kind)
    /// A literal of a datatype the operators do not know.
    case unknown

    /// The known datatypes, for ill-typed literals.
    enum Kind: Sendable { case numeric, boolean, dateTime, date }

    /// Classifies a literal by its datatype and parses its lexical form.
    init(_ literal: Literal) {
        switch DatatypeClass(literal.datatype) {
        case .string:
            self = .string(literal.lexical)
        case .numeric(let type):
            self = XSDNumeric.parse(literal.lexical, as: type).map { .numeric($0) } ?? .illTyped(.numeric)
        case .langString:
            self = .langString(literal.lexical, language: literal.language ?? "")
        case .boolean:
            self = LiteralValue.parseBoolean(literal.lexical).map { .boolean($0) } ?? .illTyped(.boolean)
        case .dateTime:
            self = XSDDateTime.parseDateTime(literal.lexical).map { .dateTime($0) } ?? .illTyped(.dateTime)
        case .date:
            self = XSDDateTime.parseDate(literal.lexical).map { .date($0) } ?? .illTyped(.date)
        case .other:
            self = .unknown
        }
    }

    /// `xsd:boolean` lexical space: `true`, `false`, `1`, `0` (XSD 1.1 Part 2 §3.3.2.1).
    static func parseBoolean(_ lexical: String) -> Bool? {
        switch lexical {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }

    /// Whether the value is in a value space the operators know (everything but ill-typed and unknown).
    var isKnown: Bool {
        switch self {
        case .illTyped, .unknown: false
        default: true
        }
    }
}

/// Code point comparison of strings (XPath 2.0 F&O §7.3.1 Unicode codepoint collation). Swift's `String`
/// comparison uses canonical equivalence, which SPARQL does not; UTF-8 byte order equals code point order.
enum CodepointOrder {
    /// Negative, zero or positive as `lhs` sorts before, equal to or after `rhs` by code points.
    static func compare(_ lhs: String, _ rhs: String) -> Int {
        let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in self.compare(left, right) }
        }
        if let fast, let result = fast { return result }
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let a?, let b?): if a != b { return a < b ? -1 : 1 }
            }
        }
    }

    private static func compare(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
        let count = min(left.count, right.count)
        var index = 0
        while index < count {
            let a = left[index]
            let b = right[index]
            if a != b { return a < b ? -1 : 1 }
            index += 1
        }
        return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
    }

    /// Code point equality (no Unicode normalization).
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && self.compare(lhs, rhs) == 0
    }
}
