/// One key range of one index, covering (a superset of) the matches of a pattern.
struct ScanPlan: Sendable {
    /// Which partition: the default graph, or the named graphs (where `.gspo` means `graphIndex`).
    var named: Bool
    /// The index order scanned.
    var order: KeyOrder
    /// The key range scanned.
    var range: ClosedRange<IndexKey>
    /// Whether every key in the range matches (no filtering needed for counting).
    var exact: Bool
}

extension QuadStore {
    /// Filtered ranges at most this long are counted exactly by `estimatedCount`.
    static let exactCountLimit = 1024

    /// Calls `body` for each quad matching the pattern (nil = wildcard); stops when `body` returns false.
    ///
    /// Quads come in the order of the index used (sorted by the bound positions' neighbours), once per graph.
    public func match(
        subject: TermID?, predicate: TermID?, object: TermID?, in graphs: GraphSelector,
        _ body: (EncodedQuad) throws -> Bool
    ) rethrows {
        let filter = QuadFilter(subject: subject, predicate: predicate, object: object, graph: graphs)
        for plan in self.plans(subject?.raw, predicate?.raw, object?.raw, graphs) {
            let more = try self.withIndex(plan) { index, order in
                try index.forEach(index.positions(of: plan.range)) { key in
                    let q = order.quad(key)
                    return filter.accepts(q) ? try body(q) : true
                }
            }
            if !more { return }
        }
    }

    /// Like `match`, but reports each distinct triple once even when it is in several of the selected graphs (the
    /// RDF merge of SPARQL 1.1 §13.1 for a default graph made of all graphs); the quad passed carries one of the
    /// triple's graphs.
    ///
    /// Cheap: every index ends with the graph component, so copies of a triple in several graphs are adjacent; only
    /// `.union` with a non-empty default graph costs one extra lookup per named-graph match.
    public func matchDistinctTriples(
        subject: TermID?, predicate: TermID?, object: TermID?, in graphs: GraphSelector,
        _ body: (EncodedQuad) throws -> Bool
    ) rethrows {
        let filter = QuadFilter(subject: subject, predicate: predicate, object: object, graph: graphs)
        var defaultScanned = false
        for plan in self.plans(subject?.raw, predicate?.raw, object?.raw, graphs) {
            let checkDefault = plan.named && defaultScanned
            var last = EncodedQuad(
                subject: TermID(raw: 0), predicate: TermID(raw: 0), object: TermID(raw: 0), graph: .defaultGraph)
            var first = true
            let more = try self.withIndex(plan) { index, order in
                try index.forEach(index.positions(of: plan.range)) { key in
                    let q = order.quad(key)
                    guard filter.accepts(q) else { return true }
                    if !first && q.subject == last.subject && q.predicate == last.predicate && q.object == last.object {
                        return true
                    }
                    first = false
                    last = q
                    if checkDefault
                        && self.defaultPartition.spog.contains(
                            IndexKey(q.subject.raw, q.predicate.raw, q.object.raw, 0))
                    {
                        return true
                    }
                    return try body(q)
                }
            }
            if !more { return }
            if !plan.named { defaultScanned = true }
        }
    }

    /// An estimate (exact or an upper bound) of how many quads match, for join ordering.
    ///
    /// Exact except for `.named(g)` patterns whose bound terms are not a GSPO prefix and whose candidate range
    /// exceeds `exactCountLimit` keys (then the candidate range size, an upper bound). O(log n) plus a sum over the
    /// chunk sizes the range spans.
    public func estimatedCount(subject: TermID?, predicate: TermID?, object: TermID?, in graphs: GraphSelector) -> Int {
        var total = 0
        for plan in self.plans(subject?.raw, predicate?.raw, object?.raw, graphs) {
            let n = self.withIndex(plan) { index, _ in index.count(in: plan.range) }
            if plan.exact || n > Self.exactCountLimit {
                total += n
            } else {
                total += self.exactCount(plan, subject: subject, predicate: predicate, object: object, graphs)
            }
        }
        return total
    }

    /// The exact number of matching quads (scans the filtered ranges that `estimatedCount` only bounds).
    public func matchCount(subject: TermID?, predicate: TermID?, object: TermID?, in graphs: GraphSelector) -> Int {
        var total = 0
        for plan in self.plans(subject?.raw, predicate?.raw, object?.raw, graphs) {
            if plan.exact {
                total += self.withIndex(plan) { index, _ in index.count(in: plan.range) }
            } else {
                total += self.exactCount(plan, subject: subject, predicate: predicate, object: object, graphs)
            }
        }
        return total
    }

    /// Whether at least one quad matches.
    public func contains(subject: TermID?, predicate: TermID?, object: TermID?, in graphs: GraphSelector) -> Bool {
        var found = false
        self.match(subject: subject, predicate: predicate, object: object, in: graphs) { _ in
            found = true
            return false
        }
        return found
    }

    private func exactCount(
        _ plan: ScanPlan, subject: TermID?, predicate: TermID?, object: TermID?, _ graphs: GraphSelector
    ) -> Int {
        let filter = QuadFilter(subject: subject, predicate: predicate, object: object, graph: graphs)
        var n = 0
        self.withIndex(plan) { index, order in
            _ = index.forEach(index.positions(of: plan.range)) { key in
                if filter.accepts(order.quad(key)) { n += 1 }
                return true
            }
        }
        return n
    }

    /// Runs `body` on the index a plan scans, without copying it.
    @inline(__always)
    func withIndex<R>(_ plan: ScanPlan, _ body: (borrowing SortedKeyIndex, KeyOrder) throws -> R) rethrows -> R {
        switch (plan.named, plan.order) {
        case (false, .spog): return try body(self.defaultPartition.spog, .spog)
        case (false, .posg): return try body(self.defaultPartition.posg, .posg)
        case (false, .ospg): return try body(self.defaultPartition.ospg, .ospg)
        case (true, .spog): return try body(self.namedPartition.spog, .spog)
        case (true, .posg): return try body(self.namedPartition.posg, .posg)
        case (true, .ospg): return try body(self.namedPartition.ospg, .ospg)
        case (_, .gspo): return try body(self.graphIndex, .gspo)
        }
    }

    /// The ranges to scan for a pattern: one per partition the selector covers.
    func plans(_ s: UInt32?, _ p: UInt32?, _ o: UInt32?, _ graphs: GraphSelector) -> ScanPlans {
        switch graphs {
        case .defaultGraph, .named(.defaultGraph):
            return ScanPlans(Self.partitionPlan(s, p, o, named: false, graph: 0))
        case .anyNamed:
            return ScanPlans(Self.partitionPlan(s, p, o, named: true, graph: nil))
        case .union:
            let named = Self.partitionPlan(s, p, o, named: true, graph: nil)
            if self.defaultPartition.count == 0 { return ScanPlans(named) }
            return ScanPlans(Self.partitionPlan(s, p, o, named: false, graph: 0), named)
        case .named(let g):
            return ScanPlans(self.graphPlan(s, p, o, graph: g.raw))
        }
    }

    /// The range of a partition's index for a pattern; `graph` (if given) is a further filter.
    static func partitionPlan(_ s: UInt32?, _ p: UInt32?, _ o: UInt32?, named: Bool, graph: UInt32?) -> ScanPlan {
        let g = graph ?? 0
        let exactIfGraphFree = named ? graph == nil : true
        switch (s, p, o) {
        case (let s?, let p?, let o?):
            let bound = graph == nil ? 3 : 4
            return ScanPlan(
                named: named, order: .spog, range: IndexKey.range(bound: bound, s, p, o, g), exact: true)
        case (let s?, let p?, nil):
            return ScanPlan(
                named: named, order: .spog, range: IndexKey.range(bound: 2, s, p), exact: exactIfGraphFree)
        case (let s?, nil, let o?):
            return ScanPlan(
                named: named, order: .ospg, range: IndexKey.range(bound: 2, o, s), exact: exactIfGraphFree)
        case (let s?, nil, nil):
            return ScanPlan(named: named, order: .spog, range: IndexKey.range(bound: 1, s), exact: exactIfGraphFree)
        case (nil, let p?, let o?):
            return ScanPlan(
                named: named, order: .posg, range: IndexKey.range(bound: 2, p, o), exact: exactIfGraphFree)
        case (nil, let p?, nil):
            return ScanPlan(named: named, order: .posg, range: IndexKey.range(bound: 1, p), exact: exactIfGraphFree)
        case (nil, nil, let o?):
            return ScanPlan(named: named, order: .ospg, range: IndexKey.range(bound: 1, o), exact: exactIfGraphFree)
        case (nil, nil, nil):
            return ScanPlan(named: named, order: .spog, range: IndexKey.range(bound: 0, 0), exact: exactIfGraphFree)
        }
    }

    /// The cheaper of the GSPO range and the named partition's range for a pattern in one named graph.
    func graphPlan(_ s: UInt32?, _ p: UInt32?, _ o: UInt32?, graph g: UInt32) -> ScanPlan {
        var bound = 1
        var components: (UInt32, UInt32, UInt32) = (0, 0, 0)
        if let s {
            components.0 = s
            bound = 2
            if let p {
                components.1 = p
                bound = 3
                if let o {
                    components.2 = o
                    bound = 4
                }
            }
        }
        let boundCount = (s == nil ? 0 : 1) + (p == nil ? 0 : 1) + (o == nil ? 0 : 1)
        let byGraph = ScanPlan(
            named: true, order: .gspo,
            range: IndexKey.range(bound: bound, g, components.0, components.1, components.2),
            exact: bound == boundCount + 1)
        if byGraph.exact || bound >= 3 { return byGraph }
        let byTerms = Self.partitionPlan(s, p, o, named: true, graph: g)
        let graphSize = self.graphIndex.count(in: byGraph.range)
        let termSize = self.withIndex(byTerms) { index, _ in index.count(in: byTerms.range) }
        return termSize < graphSize ? byTerms : byGraph
    }
}

/// One or two scan plans, iterable without allocating.
struct ScanPlans: Sequence, IteratorProtocol {
    private var first: ScanPlan?
    private var second: ScanPlan?

    /// One plan, or two scanned in order.
    init(_ first: ScanPlan, _ second: ScanPlan? = nil) {
        self.first = first
        self.second = second
    }

    /// The next plan.
    mutating func next() -> ScanPlan? {
        if let plan = self.first {
            self.first = nil
            return plan
        }
        defer { self.second = nil }
        return self.second
    }
}

/// The bound positions of a pattern, checked against each scanned quad.
struct QuadFilter {
    /// The bound subject (if `mask & 1`).
    let subject: UInt32
    /// The bound predicate (if `mask & 2`).
    let predicate: UInt32
    /// The bound object (if `mask & 4`).
    let object: UInt32
    /// The bound graph (if `mask & 8`).
    let graph: UInt32
    /// Bit 0–3: subject, predicate, object, graph bound.
    let mask: UInt8

    /// The filter of a pattern; only `.named(g)` binds the graph.
    init(subject: TermID?, predicate: TermID?, object: TermID?, graph: GraphSelector) {
        var mask: UInt8 = 0
        self.subject = subject?.raw ?? 0
        self.predicate = predicate?.raw ?? 0
        self.object = object?.raw ?? 0
        if subject != nil { mask |= 1 }
        if predicate != nil { mask |= 2 }
        if object != nil { mask |= 4 }
        if case .named(let g) = graph {
            self.graph = g.raw
            mask |= 8
        } else {
            self.graph = 0
        }
        self.mask = mask
    }

    @inline(__always)
    /// Whether a quad matches every bound position.
    func accepts(_ q: EncodedQuad) -> Bool {
        if self.mask & 1 != 0 && q.subject.raw != self.subject { return false }
        if self.mask & 2 != 0 && q.predicate.raw != self.predicate { return false }
        if self.mask & 4 != 0 && q.object.raw != self.object { return false }
        if self.mask & 8 != 0 && q.graph.raw != self.graph { return false }
        return true
    }
}
