import RDF

/// A term prepared for the ORDER BY order (SPARQL 1.1 §15.1): its literal value is parsed once, so sorting n
/// solutions parses n values instead of 2·n·log n. `SPARQLFunctions.orderCompare` gives the same order.
public struct OrderKey: Comparable, Sendable {
    /// The parsed key lives in one immutable object so that sorting moves a single reference.
    private final class Storage: Sendable {
        /// 0 unbound, 1 blank node, 2 IRI, then literal groups: 3 numerics, 4 booleans, 5 dateTimes, 6 dates,
        /// 7 strings, 8 language-tagged strings, 9 others.
        let rank: UInt8
        let number: XSDNumeric?
        let instant: XSDDateTime?
        /// Blank node label, IRI or lexical form.
        let text: String
        let datatype: String
        let language: String

        init(rank: UInt8, number: XSDNumeric?, instant: XSDDateTime?, text: String, datatype: String, language: String)
        {
            self.rank = rank
            self.number = number
            self.instant = instant
            self.text = text
            self.datatype = datatype
            self.language = language
        }
    }

    private let storage: Storage

    /// The key of a term, or of an unbound variable.
    public init(_ term: Term?) {
        switch term {
        case nil:
            self.storage = Storage(rank: 0, number: nil, instant: nil, text: "", datatype: "", language: "")
        case .blank(let label)?:
            self.storage = Storage(rank: 1, number: nil, instant: nil, text: label, datatype: "", language: "")
        case .iri(let iri)?:
            self.storage = Storage(rank: 2, number: nil, instant: nil, text: iri, datatype: "", language: "")
        case .literal(let literal)?:
            var number: XSDNumeric?
            var instant: XSDDateTime?
            let rank: UInt8
            switch LiteralValue(literal) {
            case .numeric(let value): (rank, number) = (3, value)
            case .boolean(let value): (rank, number) = (4, .integer(value ? 1 : 0))
            case .dateTime(let value): (rank, instant) = (5, value)
            case .date(let value): (rank, instant) = (6, value)
            case .string: rank = 7
            case .langString: rank = 8
            case .illTyped, .unknown: rank = 9
            }
            self.storage = Storage(
                rank: rank, number: number, instant: instant, text: literal.lexical, datatype: literal.datatype,
                language: literal.language ?? "")
        }
    }

    /// Whether `lhs` sorts before `rhs` (SPARQL 1.1 §15.1).
    public static func < (lhs: OrderKey, rhs: OrderKey) -> Bool { lhs.compare(rhs) < 0 }

    /// Whether the two keys sort as equal (only for the same term).
    public static func == (lhs: OrderKey, rhs: OrderKey) -> Bool { lhs.compare(rhs) == 0 }

    /// Negative, zero or positive: unbound < blank nodes < IRIs < literals. Literals are grouped numerics,
    /// booleans, dateTimes, dates, strings, language-tagged strings, others; compared by value inside a group
    /// (NaN first among numerics; dateTimes without timezone as UTC); ties — and values without an order — are
    /// broken by lexical form, datatype and language by code point, so the order is total and deterministic.
    public func compare(_ other: OrderKey) -> Int {
        let lhs = self.storage
        let rhs = other.storage
        if lhs.rank != rhs.rank { return lhs.rank < rhs.rank ? -1 : 1 }
        if let a = lhs.number, let b = rhs.number {
            let order = XSDNumeric.compare(a, b) ?? ((OrderKey.isNaN(a) ? 0 : 1) - (OrderKey.isNaN(b) ? 0 : 1))
            if order != 0 { return order }
        } else if let a = lhs.instant, let b = rhs.instant {
            let order = XSDDateTime.totalOrder(a, b)
            if order != 0 { return order }
        }
        var order = CodepointOrder.compare(lhs.text, rhs.text)
        if order != 0 || lhs.rank < 3 { return order }
        order = CodepointOrder.compare(lhs.datatype, rhs.datatype)
        if order != 0 { return order }
        return CodepointOrder.compare(lhs.language, rhs.language)
    }

    private static func isNaN(_ value: XSDNumeric) -> Bool {
        switch value {
        case .float(let value): value.isNaN
        case .double(let value): value.isNaN
        default: false
        }
    }
}

extension SPARQLFunctions {
    /// The ORDER BY order of two terms (SPARQL 1.1 §15.1); see `OrderKey.compare`.
    static func totalOrder(_ lhs: Term?, _ rhs: Term?) -> Int {
        // Fast paths for the most common sort keys; they agree with OrderKey.compare.
        if case .literal(let a)? = lhs, case .literal(let b)? = rhs, a.datatype == b.datatype {
            if a.datatype == XSD.string { return CodepointOrder.compare(a.lexical, b.lexical) }
            if a.datatype == XSD.integer, let x = Int(a.lexical), let y = Int(b.lexical) {
                return x != y ? (x < y ? -1 : 1) : CodepointOrder.compare(a.lexical, b.lexical)
            }
        }
        return OrderKey(lhs).compare(OrderKey(rhs))
    }

    /// A precomputed ORDER BY key, for sorting many solutions (same order as `orderCompare`).
    public static func orderKey(_ term: Term?) -> OrderKey {
        OrderKey(term)
    }
}
