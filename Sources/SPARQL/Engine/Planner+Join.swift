import RDF

extension Planner {
    /// Appends join items in a greedy selectivity order (§18.5 Join is commutative and associative): at each step
    /// the cheapest item connected to the variables bound so far, using store statistics and sampled fan-outs.
    func appendJoin(
        _ items: [Algebra], hints: [Expression], to b: inout PipelineBuilder, _ env: PlanEnvironment
    ) throws(SPARQLError) {
        let list = items.filter { $0 != .identity }
        // Variables as bits (the search below runs O(n³) estimates; sets of strings would dominate small queries).
        var names: [String] = []
        var bit: [String: Int] = [:]
        func mask(_ vars: Set<String>) -> UInt64 {
            var m: UInt64 = 0
            for v in vars {
                if bit[v] == nil, names.count < 64 {
                    bit[v] = names.count
                    names.append(v)
                }
                if let i = bit[v] { m |= 1 << UInt64(i) }
            }
            return m
        }
        let maybeMasks = list.map { mask($0.maybeBound) }
        let certainMasks = list.map { mask($0.certainlyBound) }
        let relevant = list.reduce(into: b.maybe) { $0.formUnion($1.maybeBound) }
        let hints = hints.map { ($0, mask($0.variables.intersection(relevant)), Self.selectivity($0)) }
        var boundMask = mask(b.certain)
        func boundNames(_ m: UInt64) -> Set<String> {
            var set = Set<String>()
            for (i, n) in names.enumerated() where m & (1 << UInt64(i)) != 0 { set.insert(n) }
            return set.union(b.certain)
        }
        var memo: [EstimateKey: Double] = [:]
        /// Estimated rows per incoming row of item `i` with `bound` bound, times the filters it makes applicable.
        func estimate(_ i: Int, _ bound: UInt64) -> Double {
            let key = EstimateKey(item: i, bound: bound & maybeMasks[i], filters: bound)
            if let cached = memo[key] { return cached }
            var cost = self.cost(list[i], bound: boundNames(bound & maybeMasks[i]), env)
            let after = bound | certainMasks[i]
            for (hint, need, guess) in hints where need & bound != need && need & after == need {
                cost *= self.selectivity(of: hint, on: list[i], env) ?? guess
            }
            memo[key] = cost
            return cost
        }
        var remaining = Array(list.indices)
        while !remaining.isEmpty {
            var best = 0
            var bestCost = Double.infinity
            var bestConnected = false
            for (k, i) in remaining.enumerated() where self.options.reorderJoins || k == 0 {
                let vars = maybeMasks[i]
                let connected = boundMask == 0 || vars == 0 || vars & boundMask != 0
                if bestConnected && !connected { continue }
                var cost = estimate(i, boundMask)
                if self.options.reorderJoins && remaining.count > 2 {
                    // One step of lookahead on the sum of intermediate results: rows after this item plus rows after
                    // the cheapest item it connects next.
                    let newlyBound = certainMasks[i] & ~boundMask
                    let after = boundMask | certainMasks[i]
                    var follow = Double.infinity
                    for j in remaining where j != i && maybeMasks[j] & newlyBound != 0 {
                        follow = min(follow, estimate(j, after))
                    }
                    if follow.isFinite { cost *= 1 + follow }
                }
                if (connected && !bestConnected) || cost < bestCost {
                    best = k
                    bestCost = cost
                    bestConnected = connected
                }
            }
            let chosen = remaining.remove(at: best)
            try self.appendItem(list[chosen], to: &b, env)
            boundMask = mask(b.certain)
        }
    }

    /// The exact share of a triple pattern's matches that an equality or IN filter on its object keeps, from the
    /// store's counts; nil when the filter has another shape.
    func selectivity(of hint: Expression, on item: Algebra, _ env: PlanEnvironment) -> Double? {
        guard case .bgp(let triples) = item, triples.count == 1, case .variable(let v) = triples[0].object,
            case .term(let predicate) = triples[0].predicate
        else { return nil }
        var constants: [Term] = []
        switch hint {
        case .compare(.equal, .variable(v), .constant(let c)), .compare(.equal, .constant(let c), .variable(v)):
            constants = [c]
        case .inList(.variable(v), let list, negated: false):
            for e in list {
                guard case .constant(let c) = e else { return nil }
                constants.append(c)
            }
        default: return nil
        }
        let key = SelectivityKey(predicate: predicate, values: constants, selector: self.estimationSelector(env))
        if let cached = self.selectivityCache[key] { return cached }
        let store = self.ctx.store
        guard let p = store.id(of: predicate) else { return nil }
        let total = store.estimatedCount(subject: nil, predicate: p, object: nil, in: key.selector)
        guard total > 0 else { return nil }
        var kept = 0
        for c in Set(constants) {
            if let o = store.id(of: c) {
                kept += store.estimatedCount(subject: nil, predicate: p, object: o, in: key.selector)
            }
        }
        let share = max(Double(kept) / Double(total), 0.001)
        self.selectivityCache[key] = share
        return share
    }

    /// Appends one join item, correlated when that is equivalent to joining, else through a materialised table.
    func appendItem(_ item: Algebra, to b: inout PipelineBuilder, _ env: PlanEnvironment) throws(SPARQLError) {
        switch item {
        case .bgp(let triples) where triples.count == 1:
            let t = triples[0]
            let op = ScanOp(
                self.position(t.subject, env), self.position(t.predicate, env), self.position(t.object, env),
                graph: env.graph)
            b.add(op, certain: Set(t.variables))
        case .bgp(let triples) where triples.isEmpty:
            return
        case .path(let s, let path, let o):
            let op = PathOp(self.position(s, env), self.compile(path), self.position(o, env), graph: env.graph)
            b.add(op, certain: item.certainlyBound)
        case .values(let table):
            let slots = table.variables.map { self.slot($0, env) }
            var flat: [UInt32] = []
            for row in table.rows {
                for v in row { flat.append(v.map { self.ctx.intern($0) } ?? IDSpace.unbound) }
            }
            b.add(
                ValuesOp(slots: slots, table: flat, rowCount: table.rows.count), certain: item.certainlyBound,
                maybe: item.maybeBound)
        case .service:
            throw SPARQLError(.unsupported, "SERVICE is not supported")
        case .graph(let name, let inner) where self.correlates(item, outer: b.maybe, env):
            try self.appendGraph(name, inner, to: &b, env)
        case .union(let branches) where self.correlates(item, outer: b.maybe, env):
            var ops: [Op] = []
            for branch in branches {
                var inner = PipelineBuilder(certain: b.certain, maybe: b.maybe)
                try self.append(branch, to: &inner, env)
                ops.append(inner.op)
            }
            b.add(UnionOp(ops), certain: item.certainlyBound, maybe: item.maybeBound)
        default:
            if !Self.isSubquery(item) && self.correlates(item, outer: b.maybe, env) {
                try self.append(item, to: &b, env)
            } else {
                let source = try self.materialize(item, joinedWith: b, env)
                b.add(TableJoinOp(source), certain: item.certainlyBound, maybe: item.maybeBound)
            }
        }
    }

    private func appendGraph(
        _ name: VarOrTerm, _ inner: Algebra, to b: inout PipelineBuilder, _ env: PlanEnvironment
    ) throws(SPARQLError) {
        switch name {
        case .term(let term):
            guard let id = self.ctx.store.id(of: term), self.isNamedGraph(id.raw) else {
                b.add(EmptyOp())
                return
            }
            var e = env
            e.graph = .constant(id.raw)
            try self.append(inner, to: &b, e)
        case .variable(let v):
            let h = self.newSlot()
            var e = env
            e.graph = .slot(h)
            e.contextSlots.append(h)
            var child = PipelineBuilder(certain: b.certain, maybe: b.maybe)
            try self.append(inner, to: &child, e)
            let op = child.op
            let graphOp = GraphOp(
                hidden: h, variable: self.slot(v, env), child: op, childBindsGraph: Self.bindsGraph(op, h))
            b.add(graphOp, certain: inner.certainlyBound.union([v]), maybe: inner.maybeBound)
        }
    }

    private func isNamedGraph(_ g: UInt32) -> Bool {
        if let named = self.ctx.namedGraphs { return named.contains(g) }
        return self.ctx.store.estimatedCount(subject: nil, predicate: nil, object: nil, in: .named(TermID(raw: g))) > 0
    }

    /// Whether every row `op` produces has the hidden graph slot bound by its first pattern.
    static func bindsGraph(_ op: Op, _ h: Int) -> Bool {
        if let s = op as? ScanOp, case .slot(let x) = s.graph { return x == h }
        if let p = op as? PathOp, case .slot(let x) = p.graph { return x == h }
        if let p = op as? PipelineOp, let first = p.steps.first { return Self.bindsGraph(first, h) }
        if let u = op as? UnionOp { return !u.branches.isEmpty && u.branches.allSatisfy { Self.bindsGraph($0, h) } }
        return false
    }

    /// A pattern position: the variable's slot or the term's identifier.
    func position(_ t: VarOrTerm, _ env: PlanEnvironment) -> PatternPosition {
        switch t {
        case .variable(let v): return .slot(self.slot(v, env))
        case .term(let term): return .constant(self.ctx.intern(term))
        }
    }

    // MARK: Cost estimates

    /// A guess of the fraction of solutions a filter keeps, to prefer join orders that can apply it early.
    static func selectivity(_ e: Expression) -> Double {
        switch e {
        case .and(let a, let b): return Self.selectivity(a) * Self.selectivity(b)
        case .or(let a, let b): return min(1, Self.selectivity(a) + Self.selectivity(b))
        case .not(let a): return 1 - Self.selectivity(a) / 2
        case .compare(.equal, _, _), .builtin(.sameTerm, _): return 0.05
        case .compare(.notEqual, _, _): return 0.9
        case .compare: return 0.4
        case .inList(_, let list, let negated): return negated ? 0.9 : min(1, 0.05 * Double(max(list.count, 1)))
        case .builtin(.regex, _), .builtin(.contains, _), .builtin(.strStarts, _), .builtin(.strEnds, _),
            .builtin(.langMatches, _):
            return 0.15
        case .exists(_, let negated): return negated ? 0.7 : 0.3
        default: return 0.5
        }
    }

    /// The store selector that statistics are taken from for `env`'s graph.
    func estimationSelector(_ env: PlanEnvironment) -> GraphSelector {
        switch env.graph {
        case .dataset:
            switch self.ctx.defaultGraph {
            case .selector(let s): return s
            case .graphs(let list): return list.count == 1 ? .named(TermID(raw: list[0])) : .union
            }
        case .constant(let g): return .named(TermID(raw: g))
        case .slot: return .anyNamed
        }
    }

    /// Estimated rows produced per incoming row.
    func cost(_ item: Algebra, bound: Set<String>, _ env: PlanEnvironment) -> Double {
        switch item {
        case .bgp(let triples):
            if triples.count == 1 { return self.tripleCost(triples[0], bound: bound, env) }
            return triples.map { self.tripleCost($0, bound: bound, env) }.min() ?? 1
        case .path(let s, let path, let o):
            let fixedS = s.variable.map { bound.contains($0) } ?? true
            let fixedO = o.variable.map { bound.contains($0) } ?? true
            if fixedS && fixedO { return 1 }
            if case .term(let t) = s, !fixedO { return self.pathCount(from: t, path, forward: true, env) }
            if case .term(let t) = o, !fixedS { return self.pathCount(from: t, path, forward: false, env) }
            return fixedS || fixedO ? 20 : 1_000_000
        case .values(let t):
            return Double(t.rows.count)
        case .union(let branches):
            return branches.reduce(0) { $0 + self.cost($1, bound: bound, env) }
        case .join(let items):
            return items.map { self.cost($0, bound: bound, env) }.min() ?? 1
        case .filter(_, let inner), .graph(_, let inner), .leftJoin(let inner, _, _), .minus(let inner, _),
            .extend(let inner, _, _):
            return self.cost(inner, bound: bound, env)
        default:
            return 1000
        }
    }

    private func pathCount(from term: Term, _ path: PropertyPath, forward: Bool, _ env: PlanEnvironment) -> Double {
        guard let id = self.ctx.store.id(of: term) else { return 1 }
        let compiled = self.compile(path)
        let selector = self.estimationSelector(env)
        let evaluator = PathEvaluator(ctx: self.ctx, graph: .selector(selector, merged: selector == .union))
        var n = 0
        _ = evaluator.pairs(compiled, from: forward ? id.raw : nil, to: forward ? nil : id.raw) { _, _ in
            n += 1
            return n < 10_000
        }
        return Double(max(n, 1))
    }

    private func tripleCost(_ t: TriplePattern, bound: Set<String>, _ env: PlanEnvironment) -> Double {
        var mask = 0
        for (i, p) in [t.subject, t.predicate, t.object].enumerated() {
            if let v = p.variable, bound.contains(v) { mask |= 1 << i }
        }
        let key = TripleCostKey(pattern: t, bound: mask, selector: self.estimationSelector(env))
        if let cached = self.tripleCostCache[key] { return cached }
        let cost = self.computeTripleCost(t, bound: bound, env)
        self.tripleCostCache[key] = cost
        return cost
    }

    private func computeTripleCost(_ t: TriplePattern, bound: Set<String>, _ env: PlanEnvironment) -> Double {
        var constants: [TermID?] = [nil, nil, nil]
        var boundPositions: [Int] = []
        for (i, p) in [t.subject, t.predicate, t.object].enumerated() {
            switch p {
            case .term(let term):
                guard let id = self.ctx.store.id(of: term) else { return 0 }
                constants[i] = id
            case .variable(let v):
                if bound.contains(v) { boundPositions.append(i) }
            }
        }
        let selector = self.estimationSelector(env)
        let store = self.ctx.store
        let base = Double(
            store.estimatedCount(subject: constants[0], predicate: constants[1], object: constants[2], in: selector))
        if boundPositions.isEmpty || base == 0 { return base }
        let key = SampleKey(
            s: constants[0]?.raw ?? .max, p: constants[1]?.raw ?? .max, o: constants[2]?.raw ?? .max,
            bound: boundPositions.reduce(0) { $0 | (1 << $1) }, selector: selector)
        if let cached = self.sampleCache[key] { return cached }
        // Fan-out per bound value, sampled with only the predicate fixed (sampling with a constant object would see
        // the index's first values only), then scaled by the share of the predicate's triples that have the other
        // constants (independence assumption).
        let total = Double(store.estimatedCount(subject: nil, predicate: constants[1], object: nil, in: selector))
        var samples: [EncodedQuad] = []
        store.match(subject: nil, predicate: constants[1], object: nil, in: selector) { q in
            samples.append(q)
            return samples.count < 8
        }
        func average(_ fix: (EncodedQuad) -> (TermID?, TermID?, TermID?)) -> Double {
            var sum = 0.0
            for q in samples {
                let (s, p, o) = fix(q)
                sum += Double(store.estimatedCount(subject: s, predicate: p, object: o, in: selector))
            }
            return samples.isEmpty ? 0 : sum / Double(samples.count)
        }
        let p = constants[1]
        let subjectBound = boundPositions.contains(0)
        let objectBound = boundPositions.contains(2)
        var fanout: Double
        if subjectBound && objectBound {
            // Probability that a given (subject, object) pair is linked.
            let perSubject = average { (q: EncodedQuad) in
                (q.subject, p ?? (boundPositions.contains(1) ? q.predicate : nil), nil)
            }
            let perObject = average { (q: EncodedQuad) in
                (nil, p ?? (boundPositions.contains(1) ? q.predicate : nil), q.object)
            }
            fanout = perSubject * perObject / max(total, 1)
        } else if subjectBound {
            fanout = average { (q: EncodedQuad) in
                (q.subject, p ?? (boundPositions.contains(1) ? q.predicate : nil), nil)
            }
        } else if objectBound {
            fanout = average { (q: EncodedQuad) in
                (nil, p ?? (boundPositions.contains(1) ? q.predicate : nil), q.object)
            }
        } else {
            fanout = average { (q: EncodedQuad) in (nil, q.predicate, nil) }
        }
        // The other constants' share.
        let unboundConstants = (0..<3).contains { constants[$0] != nil && $0 != 1 && !boundPositions.contains($0) }
        if unboundConstants && total > 0 { fanout *= base / total }
        fanout = max(fanout, 0.001)
        self.sampleCache[key] = fanout
        return fanout
    }
}

/// The sampling cache key of a triple pattern's fan-out estimate.
struct SampleKey: Hashable {
    /// Subject constant (or max).
    var s: UInt32
    /// Predicate constant (or max).
    var p: UInt32
    /// Object constant (or max).
    var o: UInt32
    /// Bit mask of bound positions.
    var bound: Int
    /// The graph.
    var selector: GraphSelector
}

/// The memo key of a triple pattern's cost: the pattern, which positions are bound, and the graph read.
struct TripleCostKey: Hashable {
    /// The pattern.
    var pattern: TriplePattern
    /// Bit mask of bound positions.
    var bound: Int
    /// The graph.
    var selector: GraphSelector
}

/// The memo key of an equality filter's selectivity on a predicate's objects.
struct SelectivityKey: Hashable {
    /// The predicate.
    var predicate: Term
    /// The values compared with.
    var values: [Term]
    /// The graph.
    var selector: GraphSelector
}

/// The memo key of a join item's estimate: which of its variables are bound and which filters apply.
struct EstimateKey: Hashable {
    /// The join item.
    var item: Int
    /// Its bound variables.
    var bound: UInt64
    /// All bound variables (which filters apply).
    var filters: UInt64
}
