extension QuadStore {
    /// Batches at least this large go through the sorted batch paths of the indexes.
    static let batchThreshold = 64

    /// Adds a quad (a no-op if present).
    public mutating func insert(_ quad: Quad) {
        let q = self.encode(quad.triple, graph: self.graphID(quad.graph))
        if q.graph == .defaultGraph {
            guard self.defaultPartition.insert(q) else { return }
        } else {
            guard self.graphIndex.insert(KeyOrder.gspo.key(q)) else { return }
            _ = self.namedPartition.insert(q)
        }
        self.retain(q)
    }

    /// Adds triples to one graph.
    public mutating func insert(_ triples: some Sequence<Triple>, graph: GraphName = .defaultGraph) {
        self.insert(contentsOf: triples.lazy.map { Quad($0, graph: graph) })
    }

    /// Adds quads in one batch (duplicates are ignored): the fast path for loading data.
    ///
    /// The batch is encoded, sorted per index order and merged, so loading n quads into a store of m costs
    /// O(n log n + m) when n is large relative to m, and O(n (log m + 512)) otherwise.
    public mutating func insert(contentsOf quads: some Sequence<Quad>) {
        self.insert(streaming: { (add: (Quad) -> Void) in quads.forEach(add) })
    }

    /// Adds, as one batch, the quads `produce` hands to its `add` argument (duplicates are ignored).
    ///
    /// Each quad is encoded as it arrives, so a loader streaming a parser into this holds 16 bytes per pending quad
    /// instead of a `Quad` value. If `produce` throws, no quad is added (terms it introduced stay in the
    /// dictionary unused).
    public mutating func insert<E: Error>(streaming produce: (_ add: (Quad) -> Void) throws(E) -> Void) throws(E) {
        var defaultKeys: [IndexKey] = []
        var namedKeys: [IndexKey] = []
        try produce { quad in
            let q = self.encode(quad.triple, graph: self.graphID(quad.graph))
            if q.graph == .defaultGraph {
                defaultKeys.append(KeyOrder.spog.key(q))
            } else {
                namedKeys.append(KeyOrder.gspo.key(q))
            }
        }
        if !defaultKeys.isEmpty {
            Self.sortUnique(&defaultKeys)
            let added = self.defaultPartition.spog.insert(sortedUnique: defaultKeys)
            defaultKeys = []
            self.defaultPartition.posg.insert(added: added, from: .spog, as: .posg)
            self.defaultPartition.ospg.insert(added: added, from: .spog, as: .ospg)
            for key in added { self.retain(KeyOrder.spog.quad(key)) }
        }
        if !namedKeys.isEmpty {
            Self.sortUnique(&namedKeys)
            let added = self.graphIndex.insert(sortedUnique: namedKeys)
            namedKeys = []
            self.namedPartition.spog.insert(added: added, from: .gspo, as: .spog)
            self.namedPartition.posg.insert(added: added, from: .gspo, as: .posg)
            self.namedPartition.ospg.insert(added: added, from: .gspo, as: .ospg)
            for key in added { self.retain(KeyOrder.gspo.quad(key)) }
        }
    }

    /// Removes a quad; returns false if it was absent.
    @discardableResult
    public mutating func remove(_ quad: Quad) -> Bool {
        guard let s = self.dictionary.lookup(quad.triple.subject),
            let p = self.dictionary.lookup(quad.triple.predicate),
            let o = self.dictionary.lookup(quad.triple.object)
        else { return false }
        var g: UInt32 = 0
        if case .named(let name) = quad.graph {
            guard let id = self.dictionary.lookup(name) else { return false }
            g = id
        }
        let q = EncodedQuad(
            subject: TermID(raw: s), predicate: TermID(raw: p), object: TermID(raw: o), graph: TermID(raw: g))
        if g == 0 {
            guard self.defaultPartition.remove(q) else { return false }
        } else {
            guard self.graphIndex.remove(KeyOrder.gspo.key(q)) else { return false }
            _ = self.namedPartition.remove(q)
        }
        self.release(q)
        return true
    }

    /// Replaces every triple of a named graph with `triples` (an empty array removes the graph).
    ///
    /// The old and new contents are diffed and only the difference touches the indexes, so the cost is
    /// O((old + new) log) in the graph's size, independent of the store's size. Being one mutation of a value, it is
    /// atomic for the holder of the store.
    public mutating func replaceGraph(_ graph: Term, with triples: [Triple]) {
        let known = self.dictionary.lookup(graph)
        if known == nil && triples.isEmpty { return }
        let g = known ?? self.dictionary.intern(graph)
        var old: [IndexKey] = []
        _ = self.graphIndex.forEach(self.graphIndex.positions(of: IndexKey.range(bound: 1, g))) {
            old.append($0)
            return true
        }
        let new = Self.sortedUnique(triples.map { KeyOrder.gspo.key(self.encode($0, graph: g)) })
        var added: [EncodedQuad] = []
        var removed: [EncodedQuad] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if j == new.count || (i < old.count && old[i] < new[j]) {
                removed.append(KeyOrder.gspo.quad(old[i]))
                i += 1
            } else if i == old.count || new[j] < old[i] {
                added.append(KeyOrder.gspo.quad(new[j]))
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
        // Add before removing so terms shared by both sides keep a positive count.
        self.applyNamed(added: added, removed: removed)
    }

    /// Removes a named graph.
    public mutating func removeGraph(_ graph: Term) { self.replaceGraph(graph, with: []) }

    /// Adds quads of named graphs known to be absent and removes quads known to be present.
    private mutating func applyNamed(added: [EncodedQuad], removed: [EncodedQuad]) {
        if added.count >= Self.batchThreshold {
            _ = self.graphIndex.insert(sortedUnique: added.map { KeyOrder.gspo.key($0) }.sorted())
            self.namedPartition.insert(absent: added)
        } else {
            for q in added {
                self.graphIndex.insert(KeyOrder.gspo.key(q))
                _ = self.namedPartition.insert(q)
            }
        }
        for q in added { self.retain(q) }
        if removed.count >= Self.batchThreshold {
            self.graphIndex.remove(sortedUnique: removed.map { KeyOrder.gspo.key($0) }.sorted())
            self.namedPartition.remove(present: removed)
        } else {
            for q in removed {
                self.graphIndex.remove(KeyOrder.gspo.key(q))
                _ = self.namedPartition.remove(q)
            }
        }
        for q in removed { self.release(q) }
    }

    private mutating func graphID(_ graph: GraphName) -> UInt32 {
        switch graph {
        case .defaultGraph: 0
        case .named(let name): self.dictionary.intern(name)
        }
    }

    private mutating func encode(_ triple: Triple, graph: UInt32) -> EncodedQuad {
        EncodedQuad(
            subject: TermID(raw: self.dictionary.intern(triple.subject)),
            predicate: TermID(raw: self.dictionary.intern(triple.predicate)),
            object: TermID(raw: self.dictionary.intern(triple.object)), graph: TermID(raw: graph))
    }

    private mutating func retain(_ q: EncodedQuad) {
        self.dictionary.retain(q.subject.raw)
        self.dictionary.retain(q.predicate.raw)
        self.dictionary.retain(q.object.raw)
        self.dictionary.retain(q.graph.raw)
    }

    private mutating func release(_ q: EncodedQuad) {
        self.dictionary.release(q.subject.raw)
        self.dictionary.release(q.predicate.raw)
        self.dictionary.release(q.object.raw)
        self.dictionary.release(q.graph.raw)
    }

    private static func sortedUnique(_ keys: [IndexKey]) -> [IndexKey] {
        var keys = keys
        Self.sortUnique(&keys)
        return keys
    }

    /// Sorts keys in place and removes duplicates.
    private static func sortUnique(_ keys: inout [IndexKey]) {
        keys.sort()
        var out = 0
        for i in keys.indices where i == 0 || keys[i] != keys[out - 1] {
            keys[out] = keys[i]
            out += 1
        }
        keys.removeSubrange(out...)
    }
}

extension SortedKeyIndex {
    /// Inserts keys known to be absent, given in another order's keys (re-keyed and sorted here).
    mutating func insert(added: [IndexKey], from source: KeyOrder, as target: KeyOrder) {
        var keys = added.map { target.key(source.quad($0)) }
        keys.sort()
        _ = self.insert(sortedUnique: keys)
    }
}
