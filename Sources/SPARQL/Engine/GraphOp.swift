import RDF

/// GRAPH ?g { … } (§18.5 Graph, §13.3): binds the hidden graph slot the inner patterns read, then the variable.
final class GraphOp: Op {
    /// The hidden slot the inner patterns read the graph from.
    let hidden: Int
    /// The slot of the GRAPH variable.
    let variable: Int
    /// The inner pattern.
    let child: Op
    /// Whether every row of `child` has the hidden slot bound (its first pattern binds it from the quads).
    let childBindsGraph: Bool
    private var known = IDMap<Bool>()

    /// GRAPH ?variable { child }.
    init(hidden: Int, variable: Int, child: Op, childBindsGraph: Bool) {
        self.hidden = hidden
        self.variable = variable
        self.child = child
        self.childBindsGraph = childBindsGraph
    }

    private func isNamedGraph(_ g: UInt32, _ ctx: ExecutionContext) -> Bool {
        if g >= IDSpace.extensionBase { return false }
        if let named = ctx.namedGraphs { return named.contains(g) }
        if let k = self.known[g] { return k }
        let k = ctx.store.estimatedCount(subject: nil, predicate: nil, object: nil, in: .named(TermID(raw: g))) > 0
        self.known[g] = k
        return k
    }

    override func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
        let h = self.hidden
        let v = self.variable
        let given = row[v]
        if given != IDSpace.unbound {
            guard self.isNamedGraph(given, ctx) else { return true }
            row[h] = given
            defer { row[h] = IDSpace.unbound }
            return self.child.run(row, ctx, sink)
        }
        if self.childBindsGraph {
            return self.child.run(row, ctx) { r in
                let g = r[h]
                let inner = r[v]
                if inner != IDSpace.unbound { return inner == g ? sink(r) : true }
                r[v] = g
                let more = sink(r)
                r[v] = IDSpace.unbound
                return more
            }
        }
        defer {
            row[h] = IDSpace.unbound
            row[v] = IDSpace.unbound
        }
        for g in ctx.graphNames {
            row[h] = g
            row[v] = g
            if !self.child.run(row, ctx, sink) { return false }
        }
        return true
    }
}
