import RDF

/// A property path compiled to store identifiers (SPARQL 1.1 §9, §18.2.2.4).
indirect enum CompiledPath {
    /// A link; nil when the IRI is not in the store (no edges).
    case link(UInt32?)
    case inverse(CompiledPath)
    case sequence(CompiledPath, CompiledPath)
    case alternative(CompiledPath, CompiledPath)
    case zeroOrMore(CompiledPath)
    case oneOrMore(CompiledPath)
    case zeroOrOne(CompiledPath)
    case negated(forward: Set<UInt32>, inverse: Set<UInt32>, hasForward: Bool, hasInverse: Bool)
}

/// The graph a path is evaluated in: one store selector, or the merge of FROM graphs.
enum PathGraph {
    case selector(GraphSelector, merged: Bool)
    case graphs([UInt32])
}

/// Evaluation of property path patterns (SPARQL 1.1 §18.4): links, sequences and alternatives keep duplicates,
/// `*`, `+` and `?` are evaluated with the ALP procedure (set semantics, cycles visited once).
struct PathEvaluator {
    /// The evaluation.
    let ctx: ExecutionContext
    /// The graph walked.
    let graph: PathGraph

    /// Calls `emit` for every (start, end) pair of `path` with the given ends fixed; false stops.
    func pairs(_ path: CompiledPath, from: UInt32?, to: UInt32?, _ emit: (UInt32, UInt32) -> Bool) -> Bool {
        switch path {
        case .link(let p):
            guard let p else { return true }
            return self.edges(s: from, p: p, o: to, excluding: nil) { q in emit(q.subject.raw, q.object.raw) }
        case .inverse(let inner):
            return self.pairs(inner, from: to, to: from) { a, b in emit(b, a) }
        case .sequence(let a, let b):
            if from != nil || to == nil {
                return self.pairs(a, from: from, to: nil) { x, m in
                    self.pairs(b, from: m, to: to) { _, y in emit(x, y) }
                }
            }
            return self.pairs(b, from: nil, to: to) { m, y in
                self.pairs(a, from: nil, to: m) { x, _ in emit(x, y) }
            }
        case .alternative(let a, let b):
            return self.pairs(a, from: from, to: to, emit) && self.pairs(b, from: from, to: to, emit)
        case .negated(let forward, let inverse, let hasForward, let hasInverse):
            if hasForward {
                let more = self.edges(s: from, p: nil, o: to, excluding: forward) { q in
                    emit(q.subject.raw, q.object.raw)
                }
                if !more { return false }
            }
            if hasInverse {
                return self.edges(s: to, p: nil, o: from, excluding: inverse) { q in emit(q.object.raw, q.subject.raw) }
            }
            return true
        case .zeroOrOne(let inner):
            return self.closure(inner, from: from, to: to, includeStart: true, oneStep: true, emit)
        case .zeroOrMore(let inner):
            return self.closure(inner, from: from, to: to, includeStart: true, oneStep: false, emit)
        case .oneOrMore(let inner):
            return self.closure(inner, from: from, to: to, includeStart: false, oneStep: false, emit)
        }
    }

    /// Quads of the graph matching the pattern, each triple once, optionally skipping some predicates.
    private func edges(
        s: UInt32?, p: UInt32?, o: UInt32?, excluding: Set<UInt32>?, _ body: (EncodedQuad) -> Bool
    ) -> Bool {
        if let s, s >= IDSpace.extensionBase { return true }
        if let o, o >= IDSpace.extensionBase { return true }
        var stopped = false
        var seen: Set<SIMD3<UInt32>>?
        var previous: SIMD3<UInt32>?
        func visit(_ selector: GraphSelector, merged: Bool) {
            if selector == .union && merged {
                // As in ScanOp: the default graph, then the named graphs whose copies of a triple are adjacent.
                if !self.ctx.defaultGraphIsEmpty { visit(.defaultGraph, merged: true) }
                if stopped { return }
                let checkDefault = seen != nil
                self.ctx.store.match(
                    subject: s.map { TermID(raw: $0) }, predicate: p.map { TermID(raw: $0) },
                    object: o.map { TermID(raw: $0) }, in: .anyNamed
                ) { q in
                    if !self.ctx.tick() {
                        stopped = true
                        return false
                    }
                    if let excluding, excluding.contains(q.predicate.raw) { return true }
                    let triple = SIMD3(q.subject.raw, q.predicate.raw, q.object.raw)
                    if triple == previous { return true }
                    previous = triple
                    if checkDefault && seen!.contains(triple) { return true }
                    if !body(q) {
                        stopped = true
                        return false
                    }
                    return true
                }
                return
            }
            self.ctx.store.match(
                subject: s.map { TermID(raw: $0) }, predicate: p.map { TermID(raw: $0) },
                object: o.map { TermID(raw: $0) }, in: selector
            ) { q in
                if !self.ctx.tick() {
                    stopped = true
                    return false
                }
                if let excluding, excluding.contains(q.predicate.raw) { return true }
                if merged {
                    if seen == nil { seen = [] }
                    if !seen!.insert(SIMD3(q.subject.raw, q.predicate.raw, q.object.raw)).inserted { return true }
                }
                if !body(q) {
                    stopped = true
                    return false
                }
                return true
            }
        }
        switch self.graph {
        case .selector(let selector, let merged): visit(selector, merged: merged)
        case .graphs(let list):
            for g in list where !stopped { visit(.named(TermID(raw: g)), merged: list.count > 1) }
        }
        return !stopped
    }

    /// Whether a term occurs as a subject or object in the graph.
    func isNode(_ id: UInt32) -> Bool {
        var found = false
        _ = self.edges(s: id, p: nil, o: nil, excluding: nil) { _ in
            found = true
            return false
        }
        if found { return true }
        _ = self.edges(s: nil, p: nil, o: id, excluding: nil) { _ in
            found = true
            return false
        }
        return found
    }

    /// Every node (subject or object) of the graph, for zero-length paths with both ends unbound (§18.4).
    func nodes() -> [UInt32] {
        var seen = Set<UInt32>()
        var list: [UInt32] = []
        _ = self.edges(s: nil, p: nil, o: nil, excluding: nil) { q in
            if seen.insert(q.subject.raw).inserted { list.append(q.subject.raw) }
            if seen.insert(q.object.raw).inserted { list.append(q.object.raw) }
            return true
        }
        return list
    }

    /// ALP (§18.4): the distinct nodes reachable from `start` by `inner` (`oneStep`: at most one step), or just
    /// `target` if given. Returns false when `emit` asked to stop or evaluation stopped.
    private func reach(
        _ inner: CompiledPath, start: UInt32, forward: Bool, includeStart: Bool, oneStep: Bool,
        target: UInt32?, _ emit: (UInt32) -> Bool
    ) -> Bool {
        var visited = Set<UInt32>()
        if includeStart {
            visited.insert(start)
            if target == nil || target == start {
                if !emit(start) { return false }
                if target != nil { return true }
            }
        }
        var frontier: [UInt32] = [start]
        var found = false
        var halted = false
        while !frontier.isEmpty {
            var next: [UInt32] = []
            for node in frontier {
                let more = self.pairs(inner, from: forward ? node : nil, to: forward ? nil : node) { a, b in
                    let n = forward ? b : a
                    guard visited.insert(n).inserted else { return true }
                    next.append(n)
                    if let target {
                        guard n == target else { return true }
                        found = true
                        if !emit(n) { halted = true }
                        return false
                    }
                    if !emit(n) {
                        halted = true
                        return false
                    }
                    return true
                }
                if halted { return false }
                if found { return true }
                if !more { return false }
            }
            if oneStep { break }
            frontier = next
        }
        return true
    }

    private func closure(
        _ inner: CompiledPath, from: UInt32?, to: UInt32?, includeStart: Bool, oneStep: Bool,
        _ emit: (UInt32, UInt32) -> Bool
    ) -> Bool {
        if let from {
            return self.reach(
                inner, start: from, forward: true, includeStart: includeStart, oneStep: oneStep, target: to
            ) { y in emit(from, y) }
        }
        if let to {
            return self.reach(
                inner, start: to, forward: false, includeStart: includeStart, oneStep: oneStep, target: nil
            ) { x in emit(x, to) }
        }
        for n in self.nodes() {
            let more = self.reach(
                inner, start: n, forward: true, includeStart: includeStart, oneStep: oneStep, target: nil
            ) { y in emit(n, y) }
            if !more { return false }
        }
        return true
    }
}
