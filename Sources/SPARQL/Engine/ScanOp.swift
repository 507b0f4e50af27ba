import RDF

/// A triple pattern matched against the store's indexes with the row's bound slots as constants: an index
/// nested-loop join step (SPARQL 1.1 §18.5 Join of a basic graph pattern, §18.3.1 BGP matching).
///
/// When the default graph is the union of several graphs (the union-default-graph option or several FROM graphs)
/// the default graph is their RDF merge, so a triple found in more than one graph is reported once.
final class ScanOp: Op {
    /// The subject.
    let subject: PatternPosition
    /// The predicate.
    let predicate: PatternPosition
    /// The object.
    let object: PatternPosition
    /// The graph read.
    let graph: GraphSource

    /// A triple pattern.
    init(_ subject: PatternPosition, _ predicate: PatternPosition, _ object: PatternPosition, graph: GraphSource) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
        self.graph = graph
    }

    /// Resolves a position: its value if known, or the slot to bind.
    @inline(__always) private static func resolve(_ p: PatternPosition, _ row: Row) -> (UInt32?, Int) {
        switch p {
        case .constant(let c): return (c, -1)
        case .slot(let i):
            let v = row[i]
            return v == IDSpace.unbound ? (nil, i) : (v, -1)
        }
    }

    override func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
        let (s, bs) = Self.resolve(self.subject, row)
        let (p, bp) = Self.resolve(self.predicate, row)
        let (o, bo) = Self.resolve(self.object, row)
        // Terms the store has never seen cannot match.
        if let s, s >= IDSpace.extensionBase { return true }
        if let p, p >= IDSpace.extensionBase { return true }
        if let o, o >= IDSpace.extensionBase { return true }
        let scan = Scan(
            s: s.map { TermID(raw: $0) }, p: p.map { TermID(raw: $0) }, o: o.map { TermID(raw: $0) }, bs: bs, bp: bp,
            bo: bo)
        switch self.graph {
        case .dataset:
            switch ctx.defaultGraph {
            case .selector(.union):
                return scan.runMerged(row, ctx, sink)
            case .selector(let selector):
                var dedup = Dedup(enabled: false)
                return scan.run(row, ctx, selector, bindGraph: -1, &dedup, sink)
            case .graphs(let graphs):
                var dedup = Dedup(enabled: graphs.count > 1)
                for g in graphs where !scan.run(row, ctx, .named(TermID(raw: g)), bindGraph: -1, &dedup, sink) {
                    return false
                }
                return true
            }
        case .constant(let g):
            var dedup = Dedup(enabled: false)
            return scan.run(row, ctx, .named(TermID(raw: g)), bindGraph: -1, &dedup, sink)
        case .slot(let h):
            var dedup = Dedup(enabled: false)
            let g = row[h]
            if g != IDSpace.unbound {
                if g >= IDSpace.extensionBase { return true }
                return scan.run(row, ctx, .named(TermID(raw: g)), bindGraph: -1, &dedup, sink)
            }
            if let named = ctx.namedGraphs {
                defer { row[h] = IDSpace.unbound }
                for g in named {
                    row[h] = g
                    if !scan.run(row, ctx, .named(TermID(raw: g)), bindGraph: -1, &dedup, sink) { return false }
                }
                return true
            }
            return scan.run(row, ctx, .anyNamed, bindGraph: h, &dedup, sink)
        }
    }

    /// Duplicate elimination across graphs, allocated only once a second match arrives.
    struct Dedup {
        let enabled: Bool
        var first: UInt64?
        var seen: PairSet?
        var seenTriples: Set<SIMD3<UInt32>>?

        init(enabled: Bool) { self.enabled = enabled }

        /// Whether this key is new.
        mutating func insert(_ key: UInt64) -> Bool {
            guard let f = self.first else {
                self.first = key
                return true
            }
            if self.seen == nil {
                self.seen = PairSet()
                _ = self.seen!.insert(f)
            }
            return self.seen!.insert(key)
        }

        mutating func insert(triple: SIMD3<UInt32>) -> Bool {
            if self.seenTriples == nil { self.seenTriples = [] }
            if self.first == nil { self.first = 0 }
            return self.seenTriples!.insert(triple).inserted
        }

        func contains(_ key: UInt64) -> Bool {
            if let seen = self.seen { return seen.contains(key) }
            return self.first == key
        }

        func contains(triple: SIMD3<UInt32>) -> Bool { self.seenTriples?.contains(triple) ?? false }
    }

    /// The resolved pattern of one `run`.
    private struct Scan {
        /// The RDF merge of the default graph and every named graph (the union-default-graph option): the default
        /// graph first, then the named graphs, where the store's index order (graph last) puts the copies of a triple
        /// in several graphs next to each other, so each is reported once without hashing; only triples also in the
        /// default graph are remembered.
        func runMerged(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
            var dedup = Dedup(enabled: true)
            if ctx.defaultGraphIsEmpty == false {
                var plain = Dedup(enabled: false)
                var seenDefault = false
                let more = self.run(row, ctx, .defaultGraph, bindGraph: -1, &plain, record: &dedup) { r in
                    seenDefault = true
                    return sink(r)
                }
                if !more { return false }
                if !seenDefault { dedup = Dedup(enabled: true) }
            }
            return self.runNamedMerged(row, ctx, checkDefault: dedup.first != nil, &dedup, sink)
        }

        private func key(_ q: EncodedQuad) -> UInt64 {
            var key: UInt64 = 0
            if self.bs >= 0 { key = UInt64(q.subject.raw) }
            if self.bp >= 0 { key = (key << 32) | UInt64(q.predicate.raw) }
            if self.bo >= 0 { key = (key << 32) | UInt64(q.object.raw) }
            return key
        }

        private var varying: Int { (self.bs >= 0 ? 1 : 0) + (self.bp >= 0 ? 1 : 0) + (self.bo >= 0 ? 1 : 0) }

        /// The default graph's part: emits and records the keys of what it emitted.
        private func run(
            _ row: Row, _ ctx: ExecutionContext, _ selector: GraphSelector, bindGraph: Int, _ dedup: inout Dedup,
            record: inout Dedup, _ sink: (Row) -> Bool
        ) -> Bool {
            let three = self.varying == 3
            return self.run(row, ctx, selector, bindGraph: bindGraph, &dedup) { r in
                if three {
                    var q = SIMD3<UInt32>(0, 0, 0)
                    q[0] = self.bs >= 0 ? r[self.bs] : 0
                    q[1] = self.bp >= 0 ? r[self.bp] : 0
                    q[2] = self.bo >= 0 ? r[self.bo] : 0
                    _ = record.insert(triple: q)
                } else {
                    var key: UInt64 = 0
                    if self.bs >= 0 { key = UInt64(r[self.bs]) }
                    if self.bp >= 0 { key = (key << 32) | UInt64(r[self.bp]) }
                    if self.bo >= 0 { key = (key << 32) | UInt64(r[self.bo]) }
                    _ = record.insert(key)
                }
                return sink(r)
            }
        }

        /// The named graphs' part: skips a triple equal to the previous one and, if the default graph contributed,
        /// triples it already reported.
        private func runNamedMerged(
            _ row: Row, _ ctx: ExecutionContext, checkDefault: Bool, _ fromDefault: inout Dedup,
            _ sink: (Row) -> Bool
        ) -> Bool {
            let bs = self.bs
            let bp = self.bp
            let bo = self.bo
            let sameSP = bs >= 0 && bs == bp
            let sameSO = bs >= 0 && bs == bo
            let samePO = bp >= 0 && bp == bo
            let three = self.varying == 3
            var previous: SIMD3<UInt32>?
            var stopped = false
            ctx.store.match(subject: self.s, predicate: self.p, object: self.o, in: .anyNamed) { q in
                if !ctx.tick() {
                    stopped = true
                    return false
                }
                let triple = SIMD3(q.subject.raw, q.predicate.raw, q.object.raw)
                if triple == previous { return true }
                previous = triple
                if sameSP && q.subject != q.predicate { return true }
                if sameSO && q.subject != q.object { return true }
                if samePO && q.predicate != q.object { return true }
                if checkDefault {
                    if three {
                        if fromDefault.contains(triple: triple) { return true }
                    } else if fromDefault.contains(self.key(q)) {
                        return true
                    }
                }
                if bs >= 0 { row[bs] = q.subject.raw }
                if bp >= 0 { row[bp] = q.predicate.raw }
                if bo >= 0 { row[bo] = q.object.raw }
                let more = sink(row)
                if bs >= 0 { row[bs] = IDSpace.unbound }
                if bp >= 0 { row[bp] = IDSpace.unbound }
                if bo >= 0 { row[bo] = IDSpace.unbound }
                if !more {
                    stopped = true
                    return false
                }
                return true
            }
            return !stopped
        }

        let s: TermID?
        let p: TermID?
        let o: TermID?
        let bs: Int
        let bp: Int
        let bo: Int

        func run(
            _ row: Row, _ ctx: ExecutionContext, _ selector: GraphSelector, bindGraph bg: Int, _ dedup: inout Dedup,
            _ sink: (Row) -> Bool
        ) -> Bool {
            let bs = self.bs
            let bp = self.bp
            let bo = self.bo
            let sameSP = bs >= 0 && bs == bp
            let sameSO = bs >= 0 && bs == bo
            let samePO = bp >= 0 && bp == bo
            let varying = (bs >= 0 ? 1 : 0) + (bp >= 0 ? 1 : 0) + (bo >= 0 ? 1 : 0)
            var stopped = false
            ctx.store.match(subject: self.s, predicate: self.p, object: self.o, in: selector) { q in
                if !ctx.tick() {
                    stopped = true
                    return false
                }
                if sameSP && q.subject != q.predicate { return true }
                if sameSO && q.subject != q.object { return true }
                if samePO && q.predicate != q.object { return true }
                if dedup.enabled {
                    if varying == 3 {
                        if !dedup.insert(triple: SIMD3(q.subject.raw, q.predicate.raw, q.object.raw)) { return true }
                    } else {
                        var key: UInt64 = 0
                        if bs >= 0 { key = UInt64(q.subject.raw) }
                        if bp >= 0 { key = (key << 32) | UInt64(q.predicate.raw) }
                        if bo >= 0 { key = (key << 32) | UInt64(q.object.raw) }
                        if !dedup.insert(key) { return true }
                    }
                }
                if bs >= 0 { row[bs] = q.subject.raw }
                if bp >= 0 { row[bp] = q.predicate.raw }
                if bo >= 0 { row[bo] = q.object.raw }
                if bg >= 0 { row[bg] = q.graph.raw }
                let more = sink(row)
                if bs >= 0 { row[bs] = IDSpace.unbound }
                if bp >= 0 { row[bp] = IDSpace.unbound }
                if bo >= 0 { row[bo] = IDSpace.unbound }
                if bg >= 0 { row[bg] = IDSpace.unbound }
                if !more {
                    stopped = true
                    return false
                }
                return true
            }
            return !stopped
        }
    }
}
