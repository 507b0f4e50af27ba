import RDF

/// A GROUP BY key after translation: the expression and the variable that receives its value (SPARQL 1.1 §18.2.4.1).
struct GroupKey: Hashable, Sendable {
    /// The grouping expression.
    var expression: Expression
    /// The variable receiving the value.
    var variable: String
}

/// An aggregate after translation, bound to a (usually hidden) variable (SPARQL 1.1 §18.2.4.1).
struct AggregateBinding: Hashable, Sendable {
    /// The variable receiving the value.
    var variable: String
    /// The set function call.
    var call: AggregateCall
}

/// A SPARQL algebra expression (SPARQL 1.1 §18.2, the operators of §18.5).
///
/// `join` and `union` are n-ary (associativity of Join and Union, §18.5); variables are by name, hidden ones (blank
/// nodes, path intermediates, aggregates) contain a character that no SPARQL variable name has.
indirect enum Algebra: Hashable, Sendable {
    case bgp([TriplePattern])
    case path(VarOrTerm, PropertyPath, VarOrTerm)
    case join([Algebra])
    case leftJoin(Algebra, Algebra, [Expression])
    case filter([Expression], Algebra)
    case union([Algebra])
    case graph(VarOrTerm, Algebra)
    case extend(Algebra, String, Expression)
    case minus(Algebra, Algebra)
    case values(ValuesTable)
    case group(Algebra, keys: [GroupKey], aggregates: [AggregateBinding])
    case orderBy(Algebra, [OrderCondition])
    /// Projection; also the scope boundary of a sub-select (§18.2.1).
    case project(Algebra, [String])
    case distinct(Algebra)
    case reduced(Algebra)
    case slice(Algebra, offset: Int, limit: Int?)
    case service(VarOrTerm, Algebra, silent: Bool)

    /// The empty group pattern: one solution with no bindings (Z in §18.2.2.6).
    static let identity = Algebra.bgp([])

    /// Every variable mentioned anywhere (used for EXISTS correlation).
    func mentionedVariables(into set: inout Set<String>) {
        switch self {
        case .bgp(let triples): for t in triples { set.formUnion(t.variables) }
        case .path(let s, _, let o):
            if let v = s.variable { set.insert(v) }
            if let v = o.variable { set.insert(v) }
        case .join(let items), .union(let items): for a in items { a.mentionedVariables(into: &set) }
        case .leftJoin(let a, let b, let exprs):
            a.mentionedVariables(into: &set)
            b.mentionedVariables(into: &set)
            for e in exprs { e.variables(into: &set) }
        case .filter(let exprs, let a):
            a.mentionedVariables(into: &set)
            for e in exprs { e.variables(into: &set) }
        case .graph(let g, let a), .service(let g, let a, _):
            if let v = g.variable { set.insert(v) }
            a.mentionedVariables(into: &set)
        case .extend(let a, let v, let e):
            a.mentionedVariables(into: &set)
            set.insert(v)
            e.variables(into: &set)
        case .minus(let a, let b):
            a.mentionedVariables(into: &set)
            b.mentionedVariables(into: &set)
        case .values(let t): set.formUnion(t.variables)
        case .group(let a, let keys, let aggs):
            a.mentionedVariables(into: &set)
            for k in keys { set.insert(k.variable) }
            for g in aggs { set.insert(g.variable) }
        case .orderBy(let a, _), .distinct(let a), .reduced(let a), .slice(let a, _, _):
            a.mentionedVariables(into: &set)
        case .project(_, let vars): set.formUnion(vars)
        }
    }

    /// Variables that may be bound in a solution (in-scope variables, §18.2.1).
    var maybeBound: Set<String> {
        switch self {
        case .bgp(let triples): return Set(triples.flatMap(\.variables))
        case .path(let s, _, let o): return Set([s.variable, o.variable].compactMap { $0 })
        case .join(let items), .union(let items):
            return items.reduce(into: Set<String>()) { $0.formUnion($1.maybeBound) }
        case .leftJoin(let a, let b, _): return a.maybeBound.union(b.maybeBound)
        case .filter(_, let a), .minus(let a, _), .orderBy(let a, _), .distinct(let a), .reduced(let a),
            .slice(let a, _, _):
            return a.maybeBound
        case .graph(let g, let a), .service(let g, let a, _):
            var set = a.maybeBound
            if let v = g.variable { set.insert(v) }
            return set
        case .extend(let a, let v, _): return a.maybeBound.union([v])
        case .values(let t): return Set(t.variables)
        case .group(_, let keys, let aggs): return Set(keys.map(\.variable) + aggs.map(\.variable))
        case .project(let a, let vars): return a.maybeBound.intersection(vars)
        }
    }

    /// Variables bound in every solution.
    var certainlyBound: Set<String> {
        switch self {
        case .bgp, .path: return self.maybeBound
        case .join(let items): return items.reduce(into: Set<String>()) { $0.formUnion($1.certainlyBound) }
        case .union(let items):
            guard let first = items.first else { return [] }
            return items.dropFirst().reduce(first.certainlyBound) { $0.intersection($1.certainlyBound) }
        case .leftJoin(let a, _, _), .filter(_, let a), .minus(let a, _), .orderBy(let a, _), .distinct(let a),
            .reduced(let a), .slice(let a, _, _), .extend(let a, _, _):
            return a.certainlyBound
        case .graph(let g, let a), .service(let g, let a, _):
            var set = a.certainlyBound
            if let v = g.variable { set.insert(v) }
            return set
        case .values(let t):
            var set = Set<String>()
            for (i, v) in t.variables.enumerated() where t.rows.allSatisfy({ $0[i] != nil }) { set.insert(v) }
            return set
        case .group:
            // A key is unbound in groups where its expression errs; aggregates may err too.
            return []
        case .project(let a, let vars): return a.certainlyBound.intersection(vars)
        }
    }
}
