/// The dictionary encoding of a `QuadStore`: terms ⇄ 32-bit identifiers, with a reference count per term.
///
/// Terms live in a chunked array indexed by identifier; lookup goes through an open-addressing hash table of
/// identifiers (linear probing, backward-shift deletion) keyed by a cached 32-bit hash, so each term costs its `Term`
/// value, 8 bytes of hash and count, and about 8 bytes of table. A term whose count drops to zero (no quad mentions
/// it any more) is removed and its identifier reused; `pin` exempts a term (identifiers handed out by
/// `QuadStore.intern` stay valid for the life of the store). Identifier 0 is the default graph.
struct TermDictionary: Sendable {
    /// The reference count of a term that is never collected.
    static let pinned = UInt32.max
    /// The reference count marking a free identifier.
    static let free = UInt32.max - 1
    private static let placeholder = Term.blank("")

    private var terms = ChunkedArray<Term>(chunkShift: 10)
    private var hashes = ChunkedArray<UInt32>(chunkShift: 12)
    private var references = ChunkedArray<UInt32>(chunkShift: 12)
    /// Hash slots holding identifiers; 0 marks an empty slot.
    private var table = ChunkedArray<UInt32>(repeating: 0, count: 1024, chunkShift: 16)
    private var tableMask = 1023
    private var freeIDs: [UInt32] = []
    /// The number of live terms, the default graph excluded.
    private(set) var liveCount = 0

    /// A dictionary holding only the default graph (identifier 0).
    init() {
        self.terms.append(.iri("urn:x-intercloud:default-graph"))
        self.hashes.append(0)
        self.references.append(Self.pinned)
    }

    /// The term behind an identifier (a placeholder blank node for a collected identifier).
    @inline(__always)
    subscript(id: UInt32) -> Term { self.terms[Int(id)] }

    @inline(__always)
    /// The 32-bit hash a term is filed under (seeded per process).
    static func hash(_ term: Term) -> UInt32 { UInt32(truncatingIfNeeded: term.hashValue) }

    /// The identifier of a term, if present.
    func lookup(_ term: Term) -> UInt32? { self.lookup(term, hash: Self.hash(term)) }

    private func lookup(_ term: Term, hash: UInt32) -> UInt32? {
        var slot = Int(hash) & self.tableMask
        while true {
            let id = self.table[slot]
            if id == 0 { return nil }
            if self.hashes[Int(id)] == hash && self.terms[Int(id)] == term { return id }
            slot = (slot + 1) & self.tableMask
        }
    }

    /// The identifier of a term, adding it (with reference count 0) if new.
    mutating func intern(_ term: Term) -> UInt32 {
        let hash = Self.hash(term)
        if let id = self.lookup(term, hash: hash) { return id }
        let id: UInt32
        if let reused = self.freeIDs.popLast() {
            id = reused
            self.terms[Int(id)] = term
            self.hashes[Int(id)] = hash
            self.references[Int(id)] = 0
        } else {
            // The SPARQL engine reserves identifiers from 2^31 for terms it computes.
            precondition(self.terms.count < 1 << 31, "QuadStore: more than 2^31 terms")
            id = UInt32(self.terms.count)
            self.terms.append(term)
            self.hashes.append(hash)
            self.references.append(0)
        }
        self.liveCount += 1
        if self.liveCount * 2 > self.tableMask + 1 {
            self.rehash(slots: (self.tableMask + 1) * 2)
        } else {
            self.place(id, hash: hash)
        }
        return id
    }

    /// Makes a term permanent.
    mutating func pin(_ id: UInt32) { self.references[Int(id)] = Self.pinned }

    /// Counts one more use of a term.
    @inline(__always)
    mutating func retain(_ id: UInt32) {
        let r = self.references[Int(id)]
        if r < Self.free { self.references[Int(id)] = r + 1 }
    }

    /// Counts one use less of a term, collecting it when unused.
    @inline(__always)
    mutating func release(_ id: UInt32) {
        let r = self.references[Int(id)]
        if r >= Self.free { return }
        if r <= 1 { self.collect(id) } else { self.references[Int(id)] = r - 1 }
    }

    /// Removes a term with no remaining uses (and not pinned) so its identifier can be reused.
    mutating func collectIfUnused(_ id: UInt32) {
        if self.references[Int(id)] == 0 { self.collect(id) }
    }

    private mutating func place(_ id: UInt32, hash: UInt32) {
        var slot = Int(hash) & self.tableMask
        while self.table[slot] != 0 { slot = (slot + 1) & self.tableMask }
        self.table[slot] = id
    }

    private mutating func rehash(slots: Int) {
        self.table = ChunkedArray<UInt32>(repeating: 0, count: slots, chunkShift: 16)
        self.tableMask = slots - 1
        for id in 1..<self.terms.count where self.references[id] != Self.free {
            self.place(UInt32(id), hash: self.hashes[id])
        }
    }

    private mutating func collect(_ id: UInt32) {
        var slot = Int(self.hashes[Int(id)]) & self.tableMask
        while self.table[slot] != id { slot = (slot + 1) & self.tableMask }
        // Backward-shift deletion keeps every probe chain unbroken without tombstones.
        var hole = slot
        var next = slot
        while true {
            next = (next + 1) & self.tableMask
            let moving = self.table[next]
            if moving == 0 { break }
            let home = Int(self.hashes[Int(moving)]) & self.tableMask
            let stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
            if stays { continue }
            self.table[hole] = moving
            hole = next
        }
        self.table[hole] = 0
        self.terms[Int(id)] = Self.placeholder
        self.references[Int(id)] = Self.free
        self.freeIDs.append(id)
        self.liveCount -= 1
    }
}
