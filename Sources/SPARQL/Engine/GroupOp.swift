import RDF

/// One aggregate of a GroupOp, compiled.
struct AggregateSpec {
    /// The set function.
    var function: AggregateCall.Function
    /// Whether DISTINCT applies.
    var distinct: Bool
    /// nil for COUNT(*).
    var argument: CompiledExpression?
    /// The slot receiving the result.
    var slot: Int
}

/// The running state of one aggregate in one group (§18.5.1 set functions).
struct AggregateState {
    /// Values seen (after DISTINCT).
    var count = 0
    /// Whether an error made the aggregate an error.
    var failed = false
    /// Distinct values seen.
    var seen: Set<UInt32>?
    /// Distinct solutions seen (COUNT(DISTINCT *)).
    var seenRows: Set<[UInt32]>?
    /// The sum of the xsd:integer values.
    var integerSum = 0
    /// The sum of the other numeric values.
    var otherSum: Term?
    /// The minimum, maximum or sample so far.
    var best: UInt32?
    /// GROUP_CONCAT's strings.
    var strings: [String] = []
}

/// Group and Aggregation (§18.5 Group, Aggregation, AggregateJoin): collects the input into groups keyed by the
/// GROUP BY values and emits one row per group with the keys and the aggregate results bound.
final class GroupOp: Op {
    /// The grouped pattern.
    let child: Op
    /// The GROUP BY expressions and their slots.
    let keys: [(CompiledExpression, Int)]
    /// The aggregates.
    let aggregates: [AggregateSpec]
    /// Slots of the input rows (for COUNT(DISTINCT *)).
    let inputSlots: [Int]

    /// Groups the solutions of `child`.
    init(child: Op, keys: [(CompiledExpression, Int)], aggregates: [AggregateSpec], inputSlots: [Int]) {
        self.child = child
        self.keys = keys
        self.aggregates = aggregates
        self.inputSlots = inputSlots
    }

    override func run(_ row: Row, _ ctx: ExecutionContext, _ sink: (Row) -> Bool) -> Bool {
        var groupIndex: [[UInt32]: Int] = [:]
        var groupKeys: [[UInt32]] = []
        var states: [AggregateState] = []
        let n = self.aggregates.count
        var key: [UInt32] = []
        let finished = self.child.run(row, ctx) { r in
            key.removeAll(keepingCapacity: true)
            for (e, _) in self.keys {
                if let v = try? e.evaluate(r, ctx) {
                    key.append(ctx.identifier(v))
                } else {
                    key.append(IDSpace.unbound)
                }
            }
            let g: Int
            if let existing = groupIndex[key] {
                g = existing
            } else {
                g = groupKeys.count
                groupIndex[key] = g
                groupKeys.append(key)
                states.append(contentsOf: repeatElement(AggregateState(), count: n))
            }
            for j in 0..<n { self.accumulate(&states[g * n + j], self.aggregates[j], r, ctx) }
            return ctx.tick()
        }
        if !finished || ctx.error != nil { return false }
        if groupKeys.isEmpty && self.keys.isEmpty {
            groupKeys.append([])
            states.append(contentsOf: repeatElement(AggregateState(), count: n))
        }
        for (g, values) in groupKeys.enumerated() {
            var bound: [Int] = []
            for (k, (_, slot)) in self.keys.enumerated()
            where values[k] != IDSpace.unbound && row[slot] == IDSpace.unbound {
                row[slot] = values[k]
                bound.append(slot)
            }
            for j in 0..<n {
                let slot = self.aggregates[j].slot
                if let t = self.result(states[g * n + j], self.aggregates[j], ctx), row[slot] == IDSpace.unbound {
                    row[slot] = ctx.intern(t)
                    bound.append(slot)
                }
            }
            let more = ctx.tick() && sink(row)
            for s in bound { row[s] = IDSpace.unbound }
            if !more { return false }
        }
        return true
    }

    private func accumulate(_ state: inout AggregateState, _ spec: AggregateSpec, _ r: Row, _ ctx: ExecutionContext) {
        guard let argument = spec.argument else {
            if spec.distinct {
                let values = self.inputSlots.map { r[$0] }
                if state.seenRows == nil { state.seenRows = [] }
                if !state.seenRows!.insert(values).inserted { return }
            }
            state.count += 1
            return
        }
        if state.failed { return }
        let id: UInt32
        do {
            id = ctx.identifier(try argument.evaluate(r, ctx))
        } catch {
            switch spec.function {
            case .count, .sample: return
            default:
                state.failed = true
                return
            }
        }
        if spec.distinct {
            if state.seen == nil { state.seen = [] }
            if !state.seen!.insert(id).inserted { return }
        }
        state.count += 1
        switch spec.function {
        case .count: break
        case .sample: if state.best == nil { state.best = id }
        case .sum, .avg: self.add(&state, id, ctx)
        case .min, .max:
            if let best = state.best {
                let c = Self.orderCompare(id, best, ctx)
                if spec.function == .min ? c < 0 : c > 0 { state.best = id }
            } else {
                state.best = id
            }
        case .groupConcat:
            guard case .literal(let literal) = ctx.term(id) else {
                state.failed = true
                return
            }
            state.strings.append(literal.lexical)
        }
    }

    private func add(_ state: inout AggregateState, _ id: UInt32, _ ctx: ExecutionContext) {
        let t = ctx.term(id)
        if case .literal(let l) = t, l.datatype == XSD.integer, let v = Int(l.lexical) {
            let (sum, overflow) = state.integerSum.addingReportingOverflow(v)
            if !overflow {
                state.integerSum = sum
                return
            }
        }
        do {
            state.otherSum = try SPARQLFunctions.arithmetic(.add, state.otherSum ?? .integer(0), t)
        } catch {
            state.failed = true
        }
    }

    private func result(_ state: AggregateState, _ spec: AggregateSpec, _ ctx: ExecutionContext) -> Term? {
        if state.failed { return nil }
        switch spec.function {
        case .count: return .integer(state.count)
        case .sample, .min, .max: return state.best.map { ctx.term($0) }
        case .sum, .avg:
            var total: Term = .integer(state.integerSum)
            if let other = state.otherSum {
                guard let t = try? SPARQLFunctions.arithmetic(.add, total, other) else { return nil }
                total = t
            }
            if spec.function == .sum { return total }
            if state.count == 0 { return .integer(0) }
            return try? SPARQLFunctions.arithmetic(.divide, total, .integer(state.count))
        case .groupConcat(let separator):
            return .string(state.strings.joined(separator: separator))
        }
    }

    /// The ORDER BY order (§15.1) on identifiers, with decoded numerics and dateTimes compared directly.
    static func orderCompare(_ a: UInt32, _ b: UInt32, _ ctx: ExecutionContext) -> Int {
        if a == b { return 0 }
        if a == IDSpace.unbound { return -1 }
        if b == IDSpace.unbound { return 1 }
        let ka = ctx.key(a)
        let kb = ctx.key(b)
        if ka.comparable(with: kb) && ka.value != kb.value { return ka.value < kb.value ? -1 : 1 }
        return SPARQLFunctions.orderCompare(ctx.term(a), ctx.term(b))
    }
}
