/// A 128-bit index entry: four 32-bit term identifiers compared lexicographically, component 0 most significant.
///
/// Each `SortedKeyIndex` stores the quads of a dataset in one component order (`KeyOrder`), so that every triple
/// pattern with bound terms is a contiguous key range of some index (the classic SPO/POS/OSP scheme of RDF stores).
struct IndexKey: Hashable, Comparable, Sendable {
    /// Components 0 and 1.
    var high: UInt64
    /// Components 2 and 3.
    var low: UInt64

    /// A key from its two halves.
    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A key from its four components, most significant first.
    init(_ c0: UInt32, _ c1: UInt32, _ c2: UInt32, _ c3: UInt32) {
        self.high = UInt64(c0) << 32 | UInt64(c1)
        self.low = UInt64(c2) << 32 | UInt64(c3)
    }

    /// Component 0 (most significant).
    var c0: UInt32 { UInt32(truncatingIfNeeded: self.high >> 32) }
    /// Component 1.
    var c1: UInt32 { UInt32(truncatingIfNeeded: self.high) }
    /// Component 2.
    var c2: UInt32 { UInt32(truncatingIfNeeded: self.low >> 32) }
    /// Component 3 (least significant).
    var c3: UInt32 { UInt32(truncatingIfNeeded: self.low) }

    /// Lexicographic order of the components.
    static func < (lhs: IndexKey, rhs: IndexKey) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }

    /// The inclusive key range of every key whose first `bound` components are `c0, c1, c2, c3` (in that order).
    @inline(__always)
    static func range(bound: Int, _ c0: UInt32, _ c1: UInt32 = 0, _ c2: UInt32 = 0, _ c3: UInt32 = 0)
        -> ClosedRange<IndexKey>
    {
        let lower = IndexKey(
            bound > 0 ? c0 : 0, bound > 1 ? c1 : 0, bound > 2 ? c2 : 0, bound > 3 ? c3 : 0)
        let upper = IndexKey(
            bound > 0 ? c0 : .max, bound > 1 ? c1 : .max, bound > 2 ? c2 : .max, bound > 3 ? c3 : .max)
        return lower...upper
    }
}

/// The component order of an index: which quad position is stored in which key component.
enum KeyOrder: Sendable {
    /// subject, predicate, object, graph
    case spog
    /// predicate, object, subject, graph
    case posg
    /// object, subject, predicate, graph
    case ospg
    /// graph, subject, predicate, object
    case gspo

    /// The key of a quad in this order.
    @inline(__always)
    func key(_ q: EncodedQuad) -> IndexKey {
        switch self {
        case .spog: IndexKey(q.subject.raw, q.predicate.raw, q.object.raw, q.graph.raw)
        case .posg: IndexKey(q.predicate.raw, q.object.raw, q.subject.raw, q.graph.raw)
        case .ospg: IndexKey(q.object.raw, q.subject.raw, q.predicate.raw, q.graph.raw)
        case .gspo: IndexKey(q.graph.raw, q.subject.raw, q.predicate.raw, q.object.raw)
        }
    }

    /// The quad behind a key of this order.
    @inline(__always)
    func quad(_ k: IndexKey) -> EncodedQuad {
        switch self {
        case .spog: Self.make(s: k.c0, p: k.c1, o: k.c2, g: k.c3)
        case .posg: Self.make(s: k.c2, p: k.c0, o: k.c1, g: k.c3)
        case .ospg: Self.make(s: k.c1, p: k.c2, o: k.c0, g: k.c3)
        case .gspo: Self.make(s: k.c1, p: k.c2, o: k.c3, g: k.c0)
        }
    }

    @inline(__always)
    private static func make(s: UInt32, p: UInt32, o: UInt32, g: UInt32) -> EncodedQuad {
        EncodedQuad(
            subject: TermID(raw: s), predicate: TermID(raw: p), object: TermID(raw: o), graph: TermID(raw: g))
    }
}
