import RDF

/// Optimiser switches; the defaults are what the engine uses, the others exist so tests can check that answers do
/// not depend on join order or on the choice between correlated and materialised evaluation.
struct PlanningOptions: Sendable {
    /// Order join items by estimated selectivity (else keep the query's order).
    var reorderJoins = true
    /// Evaluate sub-patterns correlated with the incoming row where that is equivalent (else always materialise).
    var correlate = true
}

/// Variable names → slots for one query level; a sub-select gets its own (§18.2.1 scoping).
final class Scope {
    /// The slot of each variable name.
    var slots: [String: Int] = [:]
}

/// Where a plan is being built: the variable scope, the graph patterns read, and whether evaluation is always
/// correlated (inside EXISTS, whose pattern is evaluated with the current solution substituted, §18.6).
struct PlanEnvironment {
    /// The variable scope.
    var scope: Scope
    /// The graph patterns read.
    var graph: GraphSource = .dataset
    /// Hidden GRAPH slots of enclosing GRAPH patterns: uncorrelated evaluations copy them from the incoming row.
    var contextSlots: [Int] = []
    /// Correlate everything (EXISTS, §18.6).
    var substitute = false
}

/// A pipeline under construction, tracking which variables are bound after each step (§18.2.1 in-scope and
/// certainly-bound variables) so that filters can be placed as early as their variables allow.
struct PipelineBuilder {
    /// The steps so far.
    var steps: [Op] = []
    /// Variables bound in every row after the steps.
    var certain: Set<String>
    /// Variables bound in some row after the steps.
    var maybe: Set<String>
    /// `certainAfter[i]`: the certainly bound variables after step i.
    var certainAfter: [Set<String>] = []
    /// Filters may not move before this step index (a Group replaces the solutions).
    var barrier = 0

    /// A pipeline whose incoming rows bind `certain` / `maybe`.
    init(certain: Set<String> = [], maybe: Set<String> = []) {
        self.certain = certain
        self.maybe = maybe
    }

    /// Appends a step and the variables it binds.
    mutating func add(_ op: Op, certain: Set<String> = [], maybe: Set<String> = []) {
        self.steps.append(op)
        self.certain.formUnion(certain)
        self.maybe.formUnion(maybe)
        self.maybe.formUnion(certain)
        self.certainAfter.append(self.certain)
    }

    /// Inserts a filter at index `at`, keeping `certainAfter` aligned.
    mutating func insert(_ op: Op, at index: Int) {
        self.steps.insert(op, at: index)
        let before = index == 0 ? nil : self.certainAfter[index - 1]
        self.certainAfter.insert(before ?? [], at: index)
    }

    /// The pipeline as one operator.
    var op: Op { self.steps.count == 1 ? self.steps[0] : PipelineOp(self.steps) }
}

/// Turns algebra into physical operators over slots (SPARQL 1.1 §18.5 evaluation semantics): index nested-loop joins
/// in a selectivity order estimated from the store, filters pushed to the earliest step binding their variables,
/// correlated evaluation where it gives the same answers as the algebra, hash joins on materialised tables elsewhere.
final class Planner {
    /// The evaluation planned for.
    let ctx: ExecutionContext
    /// Optimiser switches.
    let options: PlanningOptions
    private(set) var width = 0
    /// Sampled fan-outs.
    var sampleCache: [SampleKey: Double] = [:]
    /// Pattern costs.
    var tripleCostCache: [TripleCostKey: Double] = [:]
    /// Filter selectivities.
    var selectivityCache: [SelectivityKey: Double] = [:]

    /// A planner for one evaluation.
    init(ctx: ExecutionContext, options: PlanningOptions = PlanningOptions()) {
        self.ctx = ctx
        self.options = options
    }

    /// Whether `a` may be evaluated correlated with rows that may bind `outer` (see `isSafe`).
    func correlates(_ a: Algebra, outer: Set<String>, _ env: PlanEnvironment) -> Bool {
        env.substitute || outer.isEmpty || (self.options.correlate && Self.isSafe(a, outer: outer))
    }

    /// The slot of a variable in a scope, allocated on first use.
    func slot(_ name: String, _ env: PlanEnvironment) -> Int {
        if let s = env.scope.slots[name] { return s }
        let s = self.newSlot()
        env.scope.slots[name] = s
        return s
    }

    /// A fresh slot.
    func newSlot() -> Int {
        self.width += 1
        return self.width - 1
    }

    /// Plans a whole (sub-)query: its pattern and solution modifiers.
    func planSequence(_ algebra: Algebra, _ env: PlanEnvironment) throws(SPARQLError) -> (SolutionSequence, [String]) {
        var a = algebra
        var offset = 0
        var limit: Int?
        var distinct = false
        var variables: [String] = []
        var order: [OrderCondition] = []
        if case .slice(let inner, let o, let l) = a {
            offset = o
            limit = l
            a = inner
        }
        if case .distinct(let inner) = a {
            distinct = true
            a = inner
        } else if case .reduced(let inner) = a {
            distinct = true
            a = inner
        }
        if case .project(let inner, let vars) = a {
            variables = vars
            a = inner
        } else {
            variables = a.maybeBound.sorted()
        }
        if case .orderBy(let inner, let conditions) = a {
            order = conditions
            a = inner
        }
        var builder = PipelineBuilder()
        try self.append(a, to: &builder, env)
        var compiled: [(CompiledExpression, Bool)] = []
        for c in order { compiled.append((try self.compile(c.expression, builder, env), c.descending)) }
        let projection = variables.map { self.slot($0, env) }
        let sequence = SolutionSequence(
            root: builder.op, order: compiled, projection: projection, distinct: distinct, offset: offset, limit: limit)
        return (sequence, variables)
    }

    /// Appends `algebra` to the pipeline, with `filters` applying to its result (placed as early as possible).
    func append(
        _ algebra: Algebra, filters: [Expression] = [], to b: inout PipelineBuilder, _ env: PlanEnvironment
    ) throws(SPARQLError) {
        if case .filter(let fs, let inner) = algebra {
            try self.append(inner, filters: filters + fs.flatMap(Self.conjuncts), to: &b, env)
            return
        }
        if filters.isEmpty {
            try self.appendCore(algebra, hints: [], to: &b, env)
            return
        }
        let start = b.steps.count
        let startCertain = b.certain
        try self.appendCore(algebra, hints: filters, to: &b, env)
        let lower = max(start, b.barrier)
        let relevant = b.maybe
        var placements: [(Int, Op)] = []
        for f in filters {
            let needed = f.variables.intersection(relevant)
            var position = b.steps.count
            if lower == start && needed.isSubset(of: startCertain) {
                position = start
            } else {
                for i in lower..<b.steps.count where needed.isSubset(of: b.certainAfter[i]) {
                    position = i + 1
                    break
                }
            }
            placements.append((position, FilterOp(try self.compile(f, b, env))))
        }
        for (position, op) in placements.enumerated().sorted(by: {
            ($0.element.0, $0.offset) > ($1.element.0, $1.offset)
        })
        .map(\.element) {
            b.insert(op, at: position)
        }
    }

    /// Appends a node whose own filters were already peeled off.
    func appendCore(
        _ algebra: Algebra, hints: [Expression], to b: inout PipelineBuilder, _ env: PlanEnvironment
    ) throws(SPARQLError) {
        switch algebra {
        case .bgp(let triples):
            try self.appendJoin(triples.map { .bgp([$0]) }, hints: hints, to: &b, env)
        case .join(let items):
            var flat: [Algebra] = []
            func flatten(_ a: Algebra) {
                switch a {
                case .join(let inner): for x in inner { flatten(x) }
                case .bgp(let ts) where ts.count != 1: for t in ts { flatten(.bgp([t])) }
                default: flat.append(a)
                }
            }
            for x in items { flatten(x) }
            if let first = flat.first, Self.isLeftDeep(first) {
                try self.append(first, to: &b, env)
                flat.removeFirst()
            }
            try self.appendJoin(flat, hints: hints, to: &b, env)
        case .leftJoin(let left, let right, let condition):
            try self.append(left, to: &b, env)
            try self.appendLeftJoin(right, condition, to: &b, env)
        case .minus(let left, let right):
            try self.append(left, to: &b, env)
            try self.appendMinus(right, to: &b, env)
        case .extend(let inner, let v, let e):
            try self.append(inner, to: &b, env)
            let op = ExtendOp(slot: self.slot(v, env), try self.compile(e, b, env))
            b.add(op, maybe: [v])
        case .group(let inner, let keys, let aggregates):
            try self.appendGroup(inner, keys, aggregates, to: &b, env)
        case .filter(let fs, let inner):
            try self.append(inner, filters: fs.flatMap(Self.conjuncts), to: &b, env)
        default:
            try self.appendJoin([algebra], hints: hints, to: &b, env)
        }
    }

    /// Nodes that start a group's left-deep chain and stay in place.
    static func isLeftDeep(_ a: Algebra) -> Bool {
        switch a {
        case .leftJoin, .minus, .extend, .group: return true
        default: return false
        }
    }

    private func appendLeftJoin(
        _ right: Algebra, _ condition: [Expression], to b: inout PipelineBuilder, _ env: PlanEnvironment
    ) throws(SPARQLError) {
        let op: LeftJoinOp
        if self.correlates(right, outer: b.maybe, env) {
            var inner = PipelineBuilder(certain: b.certain, maybe: b.maybe)
            try self.append(right, filters: condition.flatMap(Self.conjuncts), to: &inner, env)
            op = LeftJoinOp(right: inner.op, filter: nil)
        } else {
            let source = try self.materialize(right, joinedWith: b, env)
            var filter: CompiledExpression?
            if !condition.isEmpty {
                var merged = b
                merged.maybe.formUnion(right.maybeBound)
                filter = try self.compile(Self.conjunction(condition), merged, env)
            }
            op = LeftJoinOp(right: TableJoinOp(source), filter: filter)
        }
        b.add(op, maybe: right.maybeBound)
    }

    private func appendMinus(_ right: Algebra, to b: inout PipelineBuilder, _ env: PlanEnvironment) throws(SPARQLError)
    {
        let source = try self.materialize(right, joinedWith: b, env)
        let names = Array(right.maybeBound).sorted()
        var shared: [Int] = []
        for (c, name) in names.enumerated() where b.maybe.contains(name) { shared.append(c) }
        b.add(MinusOp(source, sharedColumns: shared))
    }

    /// Plans `a` uncorrelated and wraps it as a table keyed on the variables bound on both sides.
    func materialize(_ a: Algebra, joinedWith b: PipelineBuilder, _ env: PlanEnvironment) throws(SPARQLError)
        -> TableSource
    {
        let names = Array(a.maybeBound).sorted()
        let certain = a.certainlyBound
        let keyColumns = names.indices.filter { certain.contains(names[$0]) && b.certain.contains(names[$0]) }
        if Self.isSubquery(a) {
            let inner = PlanEnvironment(scope: Scope(), graph: env.graph, contextSlots: env.contextSlots)
            let (sequence, variables) = try self.planSequence(a, inner)
            let columns = variables.map { self.slot($0, env) }
            let keys = variables.indices.filter { certain.contains(variables[$0]) && b.certain.contains(variables[$0]) }
            return SubqueryTableSource(
                sequence: sequence, columns: columns, contextSlots: env.contextSlots, keyColumns: keys)
        }
        var inner = PipelineBuilder()
        var innerEnv = env
        innerEnv.substitute = false
        try self.append(a, to: &inner, innerEnv)
        return OperatorTableSource(
            child: inner.op, columns: names.map { self.slot($0, env) }, contextSlots: env.contextSlots,
            keyColumns: keyColumns)
    }

    /// Whether `a` is a sub-select (its modifiers around a projection).
    static func isSubquery(_ a: Algebra) -> Bool {
        switch a {
        case .project, .slice, .distinct, .reduced, .orderBy: return true
        default: return false
        }
    }

    /// The operands of a top-level `&&` chain: FILTER(A && B) keeps exactly the rows FILTER(A) FILTER(B) keeps
    /// (§17.4.1.3: an error in either makes the conjunction false or an error, both of which drop the row).
    static func conjuncts(_ e: Expression) -> [Expression] {
        if case .and(let a, let b) = e { return Self.conjuncts(a) + Self.conjuncts(b) }
        return [e]
    }

    /// The `&&` of `exprs`.
    static func conjunction(_ exprs: [Expression]) -> Expression {
        exprs.dropFirst().reduce(exprs[0]) { .and($0, $1) }
    }

    private func appendGroup(
        _ inner: Algebra, _ keys: [GroupKey], _ aggregates: [AggregateBinding], to b: inout PipelineBuilder,
        _ env: PlanEnvironment
    ) throws(SPARQLError) {
        var child = PipelineBuilder()
        try self.append(inner, to: &child, env)
        var compiledKeys: [(CompiledExpression, Int)] = []
        for k in keys { compiledKeys.append((try self.compile(k.expression, child, env), self.slot(k.variable, env))) }
        var specs: [AggregateSpec] = []
        for a in aggregates {
            var argument: CompiledExpression?
            if let e = a.call.argument { argument = try self.compile(e, child, env) }
            specs.append(
                AggregateSpec(
                    function: a.call.function, distinct: a.call.distinct, argument: argument,
                    slot: self.slot(a.variable, env)))
        }
        let inputSlots = inner.maybeBound.sorted().map { self.slot($0, env) }
        let op = GroupOp(child: child.op, keys: compiledKeys, aggregates: specs, inputSlots: inputSlots)
        b.add(op, maybe: Set(keys.map(\.variable) + aggregates.map(\.variable)))
        b.barrier = b.steps.count
    }
}
