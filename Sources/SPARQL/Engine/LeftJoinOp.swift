import RDF

/// MINUS (§18.5 Minus): drops rows compatible with some right-hand row that shares a bound variable.
final class MinusOp: Op {
    /// The right-hand side, materialised.
    let source: TableSource
    /// Column indexes whose slots the left side may bind (the shared domain).
    let sharedColumns: [Int]
    /// MINUS of the incoming rows and `source`.
    init(_ source: TableSource, sharedColumns: [Int]) {
        self.source = source
        self.sharedColumns = sharedColumns
    }

    override func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
        if self.sharedColumns.isEmpty { return sink(row) }
        guard let entry = self.source.entry(for: row, ctx) else { return false }
        let table = entry.table
        let columns = self.source.columns
        var excluded = false
        _ = self.source.candidates(entry, row) { i in
            var shares = false
            for c in self.sharedColumns {
                let b = table[i, c]
                let a = row[columns[c]]
                if a == IDSpace.unbound || b == IDSpace.unbound { continue }
                if a != b { return true }
                shares = true
            }
            if shares {
                excluded = true
                return false
            }
            return true
        }
        return excluded ? true : sink(row)
    }
}

/// OPTIONAL (§18.5 LeftJoin): every compatible right-hand extension passing the filter, or the row itself.
final class LeftJoinOp: Op {
    /// The right-hand side, correlated with the left row (or a join with a materialised table).
    let right: Op
    /// The LeftJoin condition when it was not pushed into `right`.
    let filter: CompiledExpression?
    /// OPTIONAL { right } with an optional condition.
    init(right: Op, filter: CompiledExpression?) {
        self.right = right
        self.filter = filter
    }

    override func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
        var matched = false
        let more = self.right.run(row, ctx) { r in
            if let f = self.filter, !ctx.holds(f, r) { return true }
            matched = true
            return sink(r)
        }
        if !more { return false }
        return matched ? true : sink(row)
    }
}
