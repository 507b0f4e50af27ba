// DESIGN (RDF 1.1 Concepts §4 datasets; storage layout is ours)
//
// Terms are dictionary-encoded (`TermDictionary`): a `TermID` (UInt32) indexes a chunked `[Term]`; an open-addressing
// table of IDs keyed by a cached 32-bit hash answers `id(of:)`. Each term carries a reference count (one per quad
// position naming it); when a quad removal drops it to zero the term is deleted and its ID reused, so a server whose
// clouds keep republishing does not grow without bound. `intern(_:)` pins the term: IDs handed out by the public API
// never change meaning. Identifier 0 is the default graph (`TermID.defaultGraph`).
//
// Quads are 128-bit keys (four IDs) in sorted, chunked indexes (`SortedKeyIndex`: a two-level B+-tree of ≤512-key
// chunks). The default graph and the named graphs are kept apart, each with three orders:
//
//     defaultGraph: SPOG, POSG, OSPG            (G is always 0)
//     namedGraphs:  SPOG, POSG, OSPG            (every named graph together: `.anyNamed`)
//     graphIndex:   GSPO over the named graphs  (`.named(g)`, `replaceGraph`, `namedGraphs()`)
//
// so every pattern shape (any of S, P, O bound) is one contiguous key range: S, SP, SPO → SPOG; P, PO → POSG;
// O, OS → OSPG; nothing → SPOG. `.union` scans the default then the named partition (a triple in several graphs is
// reported once per graph). `.named(g)` uses GSPO when the bound terms form a prefix (G, GS, GSP, GSPO) and otherwise
// the smaller of the GSPO graph range and the named-partition range, filtered.
//
// Costs: `match` is O(log n) to position plus O(1) per key scanned; `estimatedCount` is exact for `.defaultGraph`,
// `.anyNamed` and `.union` (O(log n) plus a sum over the chunk sizes spanned, at most n/480 additions) and for
// `.named(g)` either exact or, for a large filtered range, an upper bound. Inserting or removing one quad touches four
// chunks: O(log n + 512). `replaceGraph` diffs the old and new triples of the graph and applies only the difference,
// so its cost depends on the graph's size, not the store's (the dictionary's hash table doubling is the one O(terms)
// step, amortised). Batches (`insert(contentsOf:)`, `insert(streaming:)`) large relative to the store are sorted and
// merged in one linear pass into fresh chunks. Memory: 16 bytes per quad per index at 94% (bulk) to ≥ 50% chunk fill,
// plus per term its `Term` value (56 bytes), its strings and ~16 bytes of hash, count and table.
//
// Measured (release, CPU time, 2 shared cores): 3.42M quads / 1.14M terms from benchmarks/sparql/gen_clouds.py
// (100k clouds) stream-load from N-Quads in ~3.7 s and take ~394 MB of heap; `replaceGraph` of a 25-triple cloud
// graph changing 2 triples ≈ 20 µs (worst seen ~0.1–0.25 ms); 100k `replaceGraph` calls from empty ≈ 4 s; `match`
// with the subject bound ≈ 0.2–0.3 µs; a full scan ≈ 4 ns per quad; `estimatedCount` ≈ 0.1–0.2 µs.
//
// API for the engine beyond `match`/`estimatedCount`: `matches(…)` (a lazy, closure-free sequence that is also a
// snapshot), `matchDistinctTriples(…)` (each triple once across graphs: the RDF merge a union default graph needs,
// cheap because copies of a triple in several graphs are adjacent in every order), `matchCount` (exact) and
// `contains`. Identifiers stay below 2^31.
//
// Value semantics: the state lives in one `Storage` object, so copying a store costs one retain; a write while a copy
// (a reader's snapshot) is alive copies that object, whose arrays are all chunked: O(n / 512) retains, about a
// millisecond at 3.4M quads, then only the chunks it touches. A mutating call is atomic for whoever holds the value.

/// An in-memory, dictionary-encoded, indexed RDF dataset (RDF 1.1 Concepts §4).
///
/// API CONTRACT (shared with the SPARQL engine; keep these signatures). See the design note at the top of this file.
public struct QuadStore: Sendable {
    /// The store's state behind one reference, so that copying a `QuadStore` (passing it around, capturing it,
    /// reading it from a class property) costs one retain; writes copy it first if it is shared (copy-on-write).
    final class Storage: @unchecked Sendable {  // mutated only while uniquely referenced
        var dictionary = TermDictionary()
        var defaultPartition = GraphPartition()
        var namedPartition = GraphPartition()
        var graphIndex = SortedKeyIndex()

        /// Empty storage.
        init() {}

        /// A copy sharing the (copy-on-write) arrays of `other`.
        init(copying other: Storage) {
            self.dictionary = other.dictionary
            self.defaultPartition = other.defaultPartition
            self.namedPartition = other.namedPartition
            self.graphIndex = other.graphIndex
        }
    }

    private var storage = Storage()

    /// An empty store.
    public init() {}

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&self.storage) { self.storage = Storage(copying: self.storage) }
    }

    /// The term dictionary (made unique before a write).
    var dictionary: TermDictionary {
        _read { yield self.storage.dictionary }
        _modify {
            self.makeUnique()
            yield &self.storage.dictionary
        }
    }

    /// The default graph's indexes (made unique before a write).
    var defaultPartition: GraphPartition {
        _read { yield self.storage.defaultPartition }
        _modify {
            self.makeUnique()
            yield &self.storage.defaultPartition
        }
    }

    /// The named graphs' indexes (made unique before a write).
    var namedPartition: GraphPartition {
        _read { yield self.storage.namedPartition }
        _modify {
            self.makeUnique()
            yield &self.storage.namedPartition
        }
    }

    /// The GSPO index of the named graphs (made unique before a write).
    var graphIndex: SortedKeyIndex {
        _read { yield self.storage.graphIndex }
        _modify {
            self.makeUnique()
            yield &self.storage.graphIndex
        }
    }

    /// The number of quads stored.
    public var count: Int { self.defaultPartition.count + self.namedPartition.count }

    /// The number of distinct terms in the dictionary (terms no longer used by any quad are collected).
    public var termCount: Int { self.dictionary.liveCount }

    /// The identifier of a term, if the store has seen it.
    public func id(of term: Term) -> TermID? { self.dictionary.lookup(term).map { TermID(raw: $0) } }

    /// The term behind an identifier this store issued.
    public func term(_ id: TermID) -> Term { self.dictionary[id.raw] }

    /// Interns a term, returning its identifier; the identifier stays valid (the term is never collected).
    public mutating func intern(_ term: Term) -> TermID {
        let id = self.dictionary.intern(term)
        self.dictionary.pin(id)
        return TermID(raw: id)
    }

    /// The names of the non-empty named graphs, in identifier order.
    public func namedGraphs() -> [TermID] {
        var graphs: [TermID] = []
        var position = self.graphIndex.lowerBound(IndexKey(high: 0, low: 0))
        while position.chunk < self.graphIndex.chunks.count {
            let g = self.graphIndex.chunks[position.chunk][position.offset].c0
            graphs.append(TermID(raw: g))
            if g == .max { break }
            position = self.graphIndex.lowerBound(IndexKey(g + 1, 0, 0, 0))
        }
        return graphs
    }

    /// The number of triples in one named graph (0 for an unknown graph).
    public func tripleCount(inGraph graph: TermID) -> Int {
        self.estimatedCount(subject: nil, predicate: nil, object: nil, in: .named(graph))
    }
}

/// The default graph or all named graphs together, in three sort orders.
struct GraphPartition: Sendable {
    /// Subject, predicate, object, graph order.
    var spog = SortedKeyIndex()
    /// Predicate, object, subject, graph order.
    var posg = SortedKeyIndex()
    /// Object, subject, predicate, graph order.
    var ospg = SortedKeyIndex()

    /// The number of quads.
    var count: Int { self.spog.count }

    /// Adds a quad to the three orders; false if present.
    mutating func insert(_ q: EncodedQuad) -> Bool {
        guard self.spog.insert(KeyOrder.spog.key(q)) else { return false }
        self.posg.insert(KeyOrder.posg.key(q))
        self.ospg.insert(KeyOrder.ospg.key(q))
        return true
    }

    /// Removes a quad from the three orders; false if absent.
    mutating func remove(_ q: EncodedQuad) -> Bool {
        guard self.spog.remove(KeyOrder.spog.key(q)) else { return false }
        self.posg.remove(KeyOrder.posg.key(q))
        self.ospg.remove(KeyOrder.ospg.key(q))
        return true
    }

    /// Adds quads known to be absent, as a batch per order.
    mutating func insert(absent quads: [EncodedQuad]) {
        _ = self.spog.insert(sortedUnique: quads.map { KeyOrder.spog.key($0) }.sorted())
        _ = self.posg.insert(sortedUnique: quads.map { KeyOrder.posg.key($0) }.sorted())
        _ = self.ospg.insert(sortedUnique: quads.map { KeyOrder.ospg.key($0) }.sorted())
    }

    /// Removes quads known to be present, as a batch per order.
    mutating func remove(present quads: [EncodedQuad]) {
        self.spog.remove(sortedUnique: quads.map { KeyOrder.spog.key($0) }.sorted())
        self.posg.remove(sortedUnique: quads.map { KeyOrder.posg.key($0) }.sorted())
        self.ospg.remove(sortedUnique: quads.map { KeyOrder.ospg.key($0) }.sorted())
    }
}
