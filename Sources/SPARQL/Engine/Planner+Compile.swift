import RDF

extension Planner {
    /// Compiles an expression against the slots of `env` (§17); EXISTS patterns become correlated plans (§18.6).
    func compile(_ e: Expression, _ b: PipelineBuilder, _ env: PlanEnvironment) throws(SPARQLError)
        -> CompiledExpression
    {
        func c(_ x: Expression) throws(SPARQLError) -> CompiledExpression { try self.compile(x, b, env) }
        func cs(_ xs: [Expression]) throws(SPARQLError) -> [CompiledExpression] {
            var out: [CompiledExpression] = []
            for x in xs { out.append(try self.compile(x, b, env)) }
            return out
        }
        switch e {
        case .variable(let v): return VariableExpression(slot: self.slot(v, env))
        case .constant(let t): return ConstantExpression(term: t, ctx: self.ctx)
        case .or(let x, let y): return OrExpression(try c(x), try c(y))
        case .and(let x, let y): return AndExpression(try c(x), try c(y))
        case .not(let x): return NotExpression(try c(x))
        case .compare(let op, let x, let y): return CompareExpression(op, try c(x), try c(y))
        case .arithmetic(let op, let x, let y): return ArithmeticExpression(op, try c(x), try c(y))
        case .negate(let x): return UnaryExpression(negate: true, try c(x))
        case .unaryPlus(let x): return UnaryExpression(negate: false, try c(x))
        case .inList(let x, let list, let negated): return InExpression(try c(x), try cs(list), negated: negated)
        case .bound(let v): return BoundExpression(slot: self.slot(v, env))
        case .conditional(let x, let y, let z): return ConditionalExpression(try c(x), try c(y), try c(z))
        case .coalesce(let xs): return CoalesceExpression(try cs(xs))
        case .cast(let datatype, let x): return CastExpression(datatype, try c(x))
        case .unknownFunction(let iri, _): return ErrorExpression("unknown function <\(iri)>")
        case .aggregate: throw SPARQLError(.evaluation, "aggregate outside an aggregate query")
        case .builtin(.regex, let args):
            if case .constant(.literal(let pattern)) = args[1], pattern.datatype == XSD.string {
                var flags = ""
                if args.count == 3 {
                    guard case .constant(.literal(let f)) = args[2], f.datatype == XSD.string else {
                        return BuiltinExpression(.regex, try cs(args))
                    }
                    flags = f.lexical
                }
                if let matcher = RegexMatcher(pattern: pattern.lexical, flags: flags) {
                    return CompiledRegexExpression(
                        text: try c(args[0]), matcher: matcher, pattern: pattern.lexical, flags: flags)
                }
            }
            return BuiltinExpression(.regex, try cs(args))
        case .builtin(let f, let args): return BuiltinExpression(f, try cs(args))
        case .exists(let pattern, let negated):
            guard case .algebra(let algebra) = pattern else {
                throw SPARQLError(.evaluation, "EXISTS pattern was not translated")
            }
            var inner = PipelineBuilder(certain: b.certain, maybe: b.maybe)
            var e = env
            e.substitute = true
            try self.append(algebra, to: &inner, e)
            return ExistsExpression(plan: PipelineOp(inner.steps), negated: negated)
        }
    }

    /// Compiles a property path to store identifiers.
    func compile(_ path: PropertyPath) -> CompiledPath {
        let store = self.ctx.store
        switch path {
        case .link(let iri): return .link(store.id(of: .iri(iri))?.raw)
        case .inverse(let p): return .inverse(self.compile(p))
        case .sequence(let a, let b): return .sequence(self.compile(a), self.compile(b))
        case .alternative(let a, let b): return .alternative(self.compile(a), self.compile(b))
        case .zeroOrMore(let p): return .zeroOrMore(self.compile(p))
        case .oneOrMore(let p): return .oneOrMore(self.compile(p))
        case .zeroOrOne(let p): return .zeroOrOne(self.compile(p))
        case .negated(let forward, let inverse):
            return .negated(
                forward: Set(forward.compactMap { store.id(of: .iri($0))?.raw }),
                inverse: Set(inverse.compactMap { store.id(of: .iri($0))?.raw }),
                hasForward: !forward.isEmpty || inverse.isEmpty, hasInverse: !inverse.isEmpty)
        }
    }

    /// Whether evaluating `a` with the incoming row's bindings substituted gives exactly the solutions of `a` that
    /// are compatible with the row, i.e. correlated evaluation equals the algebra's Join (§18.5). `outer` is the set
    /// of variables the incoming row may bind. It fails when an expression or an OPTIONAL / MINUS right side would
    /// see an outer binding that the algebra evaluates without.
    static func isSafe(_ a: Algebra, outer: Set<String>) -> Bool {
        if outer.isEmpty { return true }
        switch a {
        case .bgp, .path, .values, .service: return true
        case .project, .slice, .distinct, .reduced, .orderBy: return true
        case .group: return false
        case .join(let items), .union(let items): return items.allSatisfy { Self.isSafe($0, outer: outer) }
        case .filter(let fs, let x):
            let certain = x.certainlyBound
            return Self.isSafe(x, outer: outer)
                && fs.allSatisfy { $0.variables.intersection(outer).isSubset(of: certain) }
        case .leftJoin(let x, let y, let fs):
            let certain = x.certainlyBound
            let merged = certain.union(y.certainlyBound)
            return Self.isSafe(x, outer: outer) && y.maybeBound.intersection(outer).isSubset(of: certain)
                && fs.allSatisfy { $0.variables.intersection(outer).isSubset(of: merged) }
        case .minus(let x, let y):
            return Self.isSafe(x, outer: outer) && y.maybeBound.intersection(outer).isSubset(of: x.certainlyBound)
        case .extend(let x, _, let e):
            return Self.isSafe(x, outer: outer) && e.variables.intersection(outer).isSubset(of: x.certainlyBound)
        case .graph(_, let x): return Self.isSafe(x, outer: outer)
        }
    }
}
