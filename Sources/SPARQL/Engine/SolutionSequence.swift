import RDF

/// The solution modifiers of a (sub-)query over its pattern (SPARQL 1.1 §18.2.5): ORDER BY, projection, DISTINCT /
/// REDUCED and OFFSET / LIMIT, streaming when there is no ORDER BY.
final class SolutionSequence {
    /// The pattern with grouping and select expressions.
    let root: Op
    /// ORDER BY conditions (descending flags).
    let order: [(CompiledExpression, Bool)]
    /// The projected slots.
    let projection: [Int]
    /// DISTINCT (or REDUCED).
    let distinct: Bool
    /// OFFSET.
    let offset: Int
    /// LIMIT.
    let limit: Int?

    /// The modifiers over `root`.
    init(root: Op, order: [(CompiledExpression, Bool)], projection: [Int], distinct: Bool, offset: Int, limit: Int?) {
        self.root = root
        self.order = order
        self.projection = projection
        self.distinct = distinct
        self.offset = offset
        self.limit = limit
    }

    /// Runs the pattern from `row` and emits the projected values of each solution; false if evaluation stopped.
    func run(_ row: Row, _ ctx: ExecutionContext, _ emit: ([UInt32]) -> Bool) -> Bool {
        if self.limit == 0 { return true }
        var seen = Set<[UInt32]>()
        var skipped = 0
        var produced = 0
        var values: [UInt32] = []
        func deliver(_ values: [UInt32]) -> Bool {
            if self.distinct && !seen.insert(values).inserted { return true }
            if skipped < self.offset {
                skipped += 1
                return true
            }
            produced += 1
            if !emit(values) { return false }
            if let limit = self.limit, produced >= limit { return false }
            return true
        }
        if self.order.isEmpty {
            var stoppedByLimit = false
            let finished = self.root.run(row, ctx) { r in
                values.removeAll(keepingCapacity: true)
                for s in self.projection { values.append(r[s]) }
                if !deliver(values) {
                    stoppedByLimit = ctx.error == nil
                    return false
                }
                return ctx.tick()
            }
            return (finished || stoppedByLimit) && ctx.error == nil
        }
        let k = self.order.count
        let p = self.projection.count
        var keys: [UInt32] = []
        var projected: [UInt32] = []
        var count = 0
        let finished = self.root.run(row, ctx) { r in
            for (e, _) in self.order {
                if let v = try? e.evaluate(r, ctx) {
                    keys.append(ctx.identifier(v))
                } else {
                    keys.append(IDSpace.unbound)
                }
            }
            for s in self.projection { projected.append(r[s]) }
            count += 1
            return ctx.tick()
        }
        if !finished || ctx.error != nil { return false }
        var indexes = Array(0..<count)
        let descending = self.order.map(\.1)
        indexes.sort { i, j in
            for c in 0..<k {
                var r = GroupOp.orderCompare(keys[i * k + c], keys[j * k + c], ctx)
                if descending[c] { r = -r }
                if r != 0 { return r < 0 }
            }
            return i < j
        }
        for i in indexes {
            if !deliver(Array(projected[(i * p)..<(i * p + p)])) { break }
        }
        return ctx.error == nil
    }
}

/// A sub-select's results as a table over the outer query's slots (§18.2.1: only projected variables are visible).
final class SubqueryTableSource: TableSource {
    /// The sub-select.
    let sequence: SolutionSequence

    /// A sub-select as a table over `columns`.
    init(sequence: SolutionSequence, columns: [Int], contextSlots: [Int], keyColumns: [Int]) {
        self.sequence = sequence
        super.init(columns: columns, contextSlots: contextSlots, keyColumns: keyColumns)
    }

    override func produce(_ context: Row, _ ctx: ExecutionContext) -> RowTable? {
        let buffer = RowBuffer(width: ctx.rowWidth)
        for s in self.contextSlots { buffer.pointer[s] = context[s] }
        var table = RowTable(width: self.columns.count)
        let finished = self.sequence.run(buffer.pointer, ctx) { values in
            table.append(values: values)
            return true
        }
        return finished ? table : nil
    }
}
