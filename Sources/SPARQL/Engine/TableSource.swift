import RDF

/// A pattern evaluated independently of the incoming row (uncorrelated) and kept as a table, re-evaluated only when
/// the enclosing GRAPH changes: the build side of hash joins, MINUS and sub-selects.
class TableSource {
    /// The slots the table's columns are written to when joined.
    let columns: [Int]
    /// Slots of the incoming row the evaluation depends on (hidden GRAPH slots), copied into the fresh row.
    let contextSlots: [Int]
    /// Column indexes (into `columns`) used as the hash key; empty for nested-loop matching.
    let keyColumns: [Int]
    private var cache: [[UInt32]: Entry] = [:]

    /// A materialised table with its hash index.
    final class Entry {
        let table: RowTable
        var index: [UInt64: [Int32]]?
        init(table: RowTable) { self.table = table }
    }

    /// A source whose rows bind `columns`.
    init(columns: [Int], contextSlots: [Int], keyColumns: [Int]) {
        self.columns = columns
        self.contextSlots = contextSlots
        self.keyColumns = Array(keyColumns.prefix(2))
    }

    /// Produces the table for a context (subclasses).
    func produce(_ context: Row, _ ctx: ExecutionContext) -> RowTable? { nil }

    /// The table for the incoming row's context, cached; nil when evaluation stopped.
    func entry(for row: Row, _ ctx: ExecutionContext) -> Entry? {
        let key = self.contextSlots.map { row[$0] }
        if let e = self.cache[key] { return e }
        guard let table = self.produce(row, ctx) else { return nil }
        let e = Entry(table: table)
        self.cache[key] = e
        return e
    }

    /// The hash key of a row given its column values.
    @inline(__always) func hashKey(_ value: (Int) -> UInt32) -> UInt64 {
        var k: UInt64 = 0
        for c in self.keyColumns { k = (k << 32) | UInt64(value(c)) }
        return k
    }

    /// Calls `body` with each candidate row index that may join with `row` (hash lookup when keyed).
    func candidates(_ entry: Entry, _ row: Row, _ body: (Int) -> Bool) -> Bool {
        let table = entry.table
        if self.keyColumns.isEmpty {
            for i in 0..<table.count where !body(i) { return false }
            return true
        }
        if entry.index == nil {
            var index: [UInt64: [Int32]] = [:]
            for i in 0..<table.count {
                index[self.hashKey { table[i, $0] }, default: []].append(Int32(i))
            }
            entry.index = index
        }
        let probe = self.hashKey { row[self.columns[$0]] }
        guard let rows = entry.index![probe] else { return true }
        for i in rows where !body(Int(i)) { return false }
        return true
    }
}

/// A table produced by running an operator on a fresh row that only carries the context slots.
final class OperatorTableSource: TableSource {
    /// The pattern.
    let child: Op

    /// The rows of `child`.
    init(child: Op, columns: [Int], contextSlots: [Int], keyColumns: [Int]) {
        self.child = child
        super.init(columns: columns, contextSlots: contextSlots, keyColumns: keyColumns)
    }

    override func produce(_ context: Row, _ ctx: ExecutionContext) -> RowTable? {
        let buffer = RowBuffer(width: ctx.rowWidth)
        for s in self.contextSlots { buffer.pointer[s] = context[s] }
        var table = RowTable(width: self.columns.count)
        let columns = self.columns
        let finished = self.child.run(buffer.pointer, ctx) { r in
            table.append(r, slots: columns)
            return ctx.tick()
        }
        return finished && ctx.error == nil ? table : nil
    }
}

/// Joins the incoming row with the rows of a table source (hash join when keyed, else nested loop), binding the
/// compatible rows' values (§18.5 Join: merge of compatible mappings).
final class TableJoinOp: Op {
    /// The rows joined with.
    let source: TableSource
    /// A join with `source`.
    init(_ source: TableSource) { self.source = source }

    override func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
        guard let entry = self.source.entry(for: row, ctx) else { return false }
        let table = entry.table
        let columns = self.source.columns
        var bound: [Int] = []
        return self.source.candidates(entry, row) { i in
            bound.removeAll(keepingCapacity: true)
            var compatible = true
            for (c, slot) in columns.enumerated() {
                let v = table[i, c]
                if v == IDSpace.unbound { continue }
                let current = row[slot]
                if current == IDSpace.unbound {
                    row[slot] = v
                    bound.append(slot)
                } else if current != v {
                    compatible = false
                    break
                }
            }
            let more = compatible ? ctx.tick() && sink(row) : true
            for s in bound { row[s] = IDSpace.unbound }
            return more
        }
    }
}
