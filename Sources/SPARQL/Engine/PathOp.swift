import RDF

/// A property path pattern step (§18.4): joins the incoming row with the path's (start, end) pairs.
final class PathOp: Op {
    /// The start.
    let subject: PatternPosition
    /// The end.
    let object: PatternPosition
    /// The path.
    let path: CompiledPath
    /// The graph read.
    let graph: GraphSource

    /// A path pattern.
    init(_ subject: PatternPosition, _ path: CompiledPath, _ object: PatternPosition, graph: GraphSource) {
        self.subject = subject
        self.path = path
        self.object = object
        self.graph = graph
    }

    override func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
        switch self.graph {
        case .dataset:
            switch ctx.defaultGraph {
            case .selector(let selector):
                return self.run(row, ctx, PathGraph.selector(selector, merged: selector == .union), sink)
            case .graphs(let list): return self.run(row, ctx, .graphs(list), sink)
            }
        case .constant(let g): return self.run(row, ctx, .selector(.named(TermID(raw: g)), merged: false), sink)
        case .slot(let h):
            let g = row[h]
            if g != IDSpace.unbound {
                if g >= IDSpace.extensionBase { return true }
                return self.run(row, ctx, .selector(.named(TermID(raw: g)), merged: false), sink)
            }
            defer { row[h] = IDSpace.unbound }
            for g in ctx.graphNames {
                row[h] = g
                if !self.run(row, ctx, .selector(.named(TermID(raw: g)), merged: false), sink) { return false }
            }
            return true
        }
    }

    /// For a path with a constant end: the other end's values, with multiplicity, per graph.
    private struct EndTable {
        var order: [UInt32] = []
        var counts: [UInt32: Int] = [:]
    }
    private var endTables: [UInt32: EndTable] = [:]

    /// The key of a graph context for the end-table cache.
    private static func cacheKey(_ graph: PathGraph) -> UInt32? {
        switch graph {
        case .selector(.named(let g), _): return g.raw
        case .selector(.defaultGraph, _), .selector(.union, _), .graphs: return IDSpace.unbound
        case .selector(.anyNamed, _): return nil
        }
    }

    /// Evaluates a path with exactly one constant end once per graph and answers from the table: the nodes that
    /// reach (or are reached from) the constant end, each as often as the path produces it (§18.4).
    private func runWithEndTable(
        _ row: Row, _ ctx: ExecutionContext, _ evaluator: PathEvaluator, key: UInt32, constant: UInt32,
        constantIsSubject: Bool, variable: Int, _ sink: (Row) -> Bool
    ) -> Bool {
        if self.endTables[key] == nil {
            var table = EndTable()
            let finished = evaluator.pairs(
                self.path, from: constantIsSubject ? constant : nil, to: constantIsSubject ? nil : constant
            ) { x, y in
                let n = constantIsSubject ? y : x
                if let c = table.counts[n] {
                    table.counts[n] = c + 1
                } else {
                    table.counts[n] = 1
                    table.order.append(n)
                }
                return ctx.tick()
            }
            if !finished { return false }
            self.endTables[key] = table
        }
        let table = self.endTables[key]!
        let bound = row[variable]
        if bound != IDSpace.unbound {
            for _ in 0..<(table.counts[bound] ?? 0) where !sink(row) { return false }
            return true
        }
        for n in table.order {
            row[variable] = n
            for _ in 0..<table.counts[n]! where !(ctx.tick() && sink(row)) {
                row[variable] = IDSpace.unbound
                return false
            }
        }
        row[variable] = IDSpace.unbound
        return true
    }

    private func run(_ row: Row, _ ctx: ExecutionContext, _ graph: PathGraph, _ sink: (Row) -> Bool) -> Bool {
        let evaluator = PathEvaluator(ctx: ctx, graph: graph)
        if let key = Self.cacheKey(graph) {
            switch (self.subject, self.object) {
            case (.constant(let c), .slot(let v)):
                return self.runWithEndTable(
                    row, ctx, evaluator, key: key, constant: c, constantIsSubject: true, variable: v, sink)
            case (.slot(let v), .constant(let c)):
                return self.runWithEndTable(
                    row, ctx, evaluator, key: key, constant: c, constantIsSubject: false, variable: v, sink)
            default: break
            }
        }
        var s: UInt32?
        var bs = -1
        var o: UInt32?
        var bo = -1
        switch self.subject {
        case .constant(let c): s = c
        case .slot(let i): if row[i] == IDSpace.unbound { bs = i } else { s = row[i] }
        }
        switch self.object {
        case .constant(let c): o = c
        case .slot(let i): if row[i] == IDSpace.unbound { bo = i } else { o = row[i] }
        }
        // With variables at both ends the algebra ranges them over the graph's nodes (§18.4), so a value bound
        // from elsewhere that is not a node of the graph matches nothing, not even by a zero-length path.
        if case .slot = self.subject, case .slot = self.object {
            if let s, !evaluator.isNode(s) { return true }
            if let o, !evaluator.isNode(o) { return true }
        }
        if bs >= 0 && bs == bo {
            // ?x path ?x: nodes connected to themselves.
            for n in evaluator.nodes() {
                var hit = false
                let more = evaluator.pairs(self.path, from: n, to: n) { _, _ in
                    hit = true
                    return false
                }
                if !more && !hit { return false }
                if hit {
                    row[bs] = n
                    let cont = sink(row)
                    row[bs] = IDSpace.unbound
                    if !cont { return false }
                }
            }
            return ctx.error == nil
        }
        let finished = evaluator.pairs(self.path, from: s, to: o) { x, y in
            if !ctx.tick() { return false }
            if bs >= 0 { row[bs] = x }
            if bo >= 0 { row[bo] = y }
            let more = sink(row)
            if bs >= 0 { row[bs] = IDSpace.unbound }
            if bo >= 0 { row[bo] = IDSpace.unbound }
            return more
        }
        return finished
    }
}
