import RDF

/// A physical operator: for an incoming partial solution (the row), produces every extension of it by calling
/// `sink`; returns false as soon as `sink` does or evaluation must stop. Operators restore every slot they bind
/// before returning, so the caller sees its row unchanged.
class Op {
    /// Produces the extensions of `row`, calling `sink` with each; false when stopped.
    func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool { true }
}

/// A term position of a pattern: a constant identifier or a variable slot.
enum PatternPosition {
    case constant(UInt32)
    case slot(Int)
}

/// Which graph a pattern reads (SPARQL 1.1 §13.3): the dataset's default graph, a named graph, or the graph held
/// in a slot by an enclosing GRAPH (bound by the first pattern that finds a quad when unbound).
enum GraphSource {
    case dataset
    case constant(UInt32)
    case slot(Int)
}

/// A sequence of operators applied one after the other: nested-loop joins, filters and extensions (§18.5 Join).
final class PipelineOp: Op {
    /// The steps, outermost first.
    let steps: [Op]
    /// A pipeline of `steps`.
    init(_ steps: [Op]) { self.steps = steps }

    override func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
        self.run(from: 0, row, ctx, sink)
    }

    private func run(from index: Int, _ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
        if index == self.steps.count { return sink(row) }
        return self.steps[index].run(row, ctx) { r in self.run(from: index + 1, r, ctx, sink) }
    }
}

/// Produces nothing (a pattern that can never match).
final class EmptyOp: Op {
    override func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool { true }
}

/// FILTER (§18.5 Filter): keeps rows whose condition has effective boolean value true.
final class FilterOp: Op {
    /// The filter condition.
    let condition: CompiledExpression
    /// A filter.
    init(_ condition: CompiledExpression) { self.condition = condition }

    override func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
        if ctx.holds(self.condition, row) { return sink(row) }
        return true
    }
}

/// BIND / select expressions (§18.5 Extend). When the slot is already bound (the operator was moved after a pattern
/// binding it), the row is kept only if the values agree, which is what joining with the extended solution gives.
final class ExtendOp: Op {
    /// The slot bound.
    let slot: Int
    /// The expression.
    let expression: CompiledExpression
    /// BIND(expression AS slot).
    init(slot: Int, _ expression: CompiledExpression) {
        self.slot = slot
        self.expression = expression
    }

    override func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
        let value: UInt32
        do {
            value = ctx.identifier(try self.expression.evaluate(row, ctx))
        } catch {
            return sink(row)
        }
        let old = row[self.slot]
        if old == IDSpace.unbound {
            row[self.slot] = value
            let more = sink(row)
            row[self.slot] = IDSpace.unbound
            return more
        }
        return old == value ? sink(row) : true
    }
}

/// VALUES (§18.5 ToMultiSet of inline data), joined with the incoming row.
final class ValuesOp: Op {
    /// The slots of the VALUES variables.
    let slots: [Int]
    /// Row-major identifiers; `IDSpace.unbound` for UNDEF.
    let table: [UInt32]
    /// The number of rows (also when there are no variables).
    let rowCount: Int
    /// Inline data.
    init(slots: [Int], table: [UInt32], rowCount: Int) {
        self.slots = slots
        self.table = table
        self.rowCount = rowCount
    }

    override func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
        let width = self.slots.count
        if width == 0 {
            // Rows of zero variables: each one is the empty solution.
            for _ in 0..<self.rowCount where !sink(row) { return false }
            return true
        }
        var start = 0
        var bound: [Int] = []
        while start < self.table.count {
            defer { start += width }
            var compatible = true
            bound.removeAll(keepingCapacity: true)
            for k in 0..<width {
                let v = self.table[start + k]
                if v == IDSpace.unbound { continue }
                let s = self.slots[k]
                let current = row[s]
                if current == IDSpace.unbound {
                    row[s] = v
                    bound.append(s)
                } else if current != v {
                    compatible = false
                    break
                }
            }
            let more = compatible ? ctx.tick() && sink(row) : true
            for s in bound { row[s] = IDSpace.unbound }
            if !more { return false }
        }
        return true
    }
}

/// UNION (§18.5 Union): every branch in turn.
final class UnionOp: Op {
    /// The alternatives.
    let branches: [Op]
    /// A union of `branches`.
    init(_ branches: [Op]) { self.branches = branches }

    override func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
        for b in self.branches where !b.run(row, ctx, sink) { return false }
        return true
    }
}
