import RDF

/// Translates a parsed query into the SPARQL algebra (SPARQL 1.1 §18.2) and enforces the variable scope rules that
/// the grammar cannot express (§18.2.1 scope, §18.2.4.1 aggregate projection, §19.6 blank node label scope).
struct AlgebraTranslator {
    private var hiddenCounter = 0
    private var bgpCounter = 0
    private var blankLabelScope: [String: Int] = [:]

    /// A translator with fresh counters for hidden variables and basic graph patterns.
    init() {}

    /// A fresh variable name that no query can spell (it contains ':').
    mutating func hidden(_ kind: String) -> String {
        self.hiddenCounter += 1
        return "\(kind):\(self.hiddenCounter)"
    }

    /// Whether a variable is engine-generated or a blank node (never projected by `SELECT *`).
    static func isHidden(_ variable: String) -> Bool { variable.contains(":") }

    // MARK: Groups (§18.2.2)

    /// Translates a group graph pattern (§18.2.2.6).
    mutating func translate(group: GroupPattern) throws(SPARQLError) -> Algebra {
        var filters: [Expression] = []
        var current = Algebra.identity
        var pending: [PathTriple] = []
        func join(_ a: Algebra, _ b: Algebra) -> Algebra {
            if a == .identity { return b }
            if b == .identity { return a }
            if case .join(let items) = a { return .join(items + [b]) }
            return .join([a, b])
        }
        for element in group.elements {
            if case .triples(let triples) = element {
                pending += triples
                continue
            }
            if case .filter(let e) = element {
                filters.append(try self.translate(expression: e))
                continue
            }
            if !pending.isEmpty {
                current = join(current, try self.translate(triples: pending))
                pending = []
            }
            switch element {
            case .triples, .filter: break
            case .optional(let g):
                let a = try self.translate(group: g)
                let hasFilter = g.elements.contains { if case .filter = $0 { return true } else { return false } }
                if hasFilter, case .filter(let exprs, let inner) = a {
                    current = .leftJoin(current, inner, exprs)
                } else {
                    current = .leftJoin(current, a, [])
                }
            case .minus(let g):
                current = .minus(current, try self.translate(group: g))
            case .bind(let e, let v):
                if current.maybeBound.contains(v) {
                    throw SPARQLError(.syntax, "BIND assigns ?\(v), which is already in scope (SPARQL 1.1 §18.2.1)")
                }
                current = .extend(current, v, try self.translate(expression: e))
            case .union(let groups):
                var branches: [Algebra] = []
                for g in groups { branches.append(try self.translate(group: g)) }
                current = join(current, .union(branches))
            case .group(let g):
                current = join(current, try self.translate(group: g))
            case .graph(let name, let g):
                current = join(current, .graph(name, try self.translate(group: g)))
            case .service(let name, let g, let silent):
                current = join(current, .service(name, try self.translate(group: g), silent: silent))
            case .values(let table):
                current = join(current, .values(table))
            case .subSelect(let q):
                current = join(current, try self.translate(select: q).0)
            }
        }
        if !pending.isEmpty { current = join(current, try self.translate(triples: pending)) }
        if !filters.isEmpty { current = .filter(filters, current) }
        return current
    }

    /// Translates one basic graph pattern with property paths (§18.2.2.3–§18.2.2.4).
    mutating func translate(triples: [PathTriple]) throws(SPARQLError) -> Algebra {
        self.bgpCounter += 1
        let bgp = self.bgpCounter
        var plain: [TriplePattern] = []
        var paths: [Algebra] = []
        func note(_ t: VarOrTerm) throws(SPARQLError) {
            guard case .variable(let v) = t, v.hasPrefix("_:"), !v.hasPrefix("_:#") else { return }
            if let seen = self.blankLabelScope[v], seen != bgp {
                throw SPARQLError(
                    .syntax, "blank node label \(v) is used in two basic graph patterns (SPARQL 1.1 §4.1.4)")
            }
            self.blankLabelScope[v] = bgp
        }
        func add(_ s: VarOrTerm, _ path: PropertyPath, _ o: VarOrTerm) {
            switch path {
            case .link(let iri): plain.append(TriplePattern(subject: s, predicate: .term(.iri(iri)), object: o))
            case .inverse(let inner): add(o, inner, s)
            case .sequence(let first, let second):
                let middle = VarOrTerm.variable(self.hidden("path"))
                add(s, first, middle)
                add(middle, second, o)
            default: paths.append(.path(s, path, o))
            }
        }
        for t in triples {
            try note(t.subject)
            try note(t.object)
            switch t.predicate {
            case .variable(let v):
                plain.append(TriplePattern(subject: t.subject, predicate: .variable(v), object: t.object))
            case .path(let p): add(t.subject, p, t.object)
            }
        }
        if paths.isEmpty { return .bgp(plain) }
        return .join((plain.isEmpty ? [] : [.bgp(plain)]) + paths)
    }

    // MARK: Expressions

    /// Translates EXISTS patterns inside an expression; aggregates are refused here (they belong to SELECT, HAVING
    /// and ORDER BY of an aggregate query, §11).
    mutating func translate(expression e: Expression) throws(SPARQLError) -> Expression {
        if e.containsAggregate {
            throw SPARQLError(.syntax, "aggregates are only allowed in SELECT, HAVING and ORDER BY")
        }
        return try Self.rewrite(e, &self) { (_, _) throws(SPARQLError) in nil }
    }

    /// Rebuilds an expression bottom-up, translating EXISTS patterns and letting `replace` substitute nodes.
    static func rewrite(
        _ e: Expression, _ t: inout AlgebraTranslator,
        _ replace: (Expression, inout AlgebraTranslator) throws(SPARQLError) -> Expression?
    ) throws(SPARQLError) -> Expression {
        if let r = try replace(e, &t) { return r }
        func r(_ x: Expression, _ t: inout AlgebraTranslator) throws(SPARQLError) -> Expression {
            try Self.rewrite(x, &t, replace)
        }
        func rs(_ xs: [Expression], _ t: inout AlgebraTranslator) throws(SPARQLError) -> [Expression] {
            var out: [Expression] = []
            for x in xs { out.append(try Self.rewrite(x, &t, replace)) }
            return out
        }
        switch e {
        case .variable, .constant, .bound, .aggregate: return e
        case .or(let a, let b): return .or(try r(a, &t), try r(b, &t))
        case .and(let a, let b): return .and(try r(a, &t), try r(b, &t))
        case .not(let a): return .not(try r(a, &t))
        case .compare(let op, let a, let b): return .compare(op, try r(a, &t), try r(b, &t))
        case .arithmetic(let op, let a, let b): return .arithmetic(op, try r(a, &t), try r(b, &t))
        case .negate(let a): return .negate(try r(a, &t))
        case .unaryPlus(let a): return .unaryPlus(try r(a, &t))
        case .inList(let a, let list, let negated): return .inList(try r(a, &t), try rs(list, &t), negated: negated)
        case .builtin(let f, let args): return .builtin(f, try rs(args, &t))
        case .conditional(let a, let b, let c): return .conditional(try r(a, &t), try r(b, &t), try r(c, &t))
        case .coalesce(let args): return .coalesce(try rs(args, &t))
        case .cast(let dt, let a): return .cast(dt, try r(a, &t))
        case .unknownFunction(let iri, let args): return .unknownFunction(iri, try rs(args, &t))
        case .exists(let pattern, let negated):
            switch pattern {
            case .algebra: return e
            case .syntax(let g): return .exists(.algebra(try t.translate(group: g)), negated: negated)
            }
        }
    }
}
