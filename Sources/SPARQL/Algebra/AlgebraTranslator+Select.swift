import RDF

extension AlgebraTranslator {
    /// The in-scope variables of a group in order of first appearance (§18.2.1), for `SELECT *`.
    static func orderedVariables(of group: GroupPattern, into list: inout [String], seen: inout Set<String>) {
        func add(_ v: String?) {
            guard let v, !Self.isHidden(v), seen.insert(v).inserted else { return }
            list.append(v)
        }
        for element in group.elements {
            switch element {
            case .triples(let triples):
                for t in triples {
                    add(t.subject.variable)
                    if case .variable(let v) = t.predicate { add(v) }
                    add(t.object.variable)
                }
            case .optional(let g), .group(let g): Self.orderedVariables(of: g, into: &list, seen: &seen)
            case .union(let gs): for g in gs { Self.orderedVariables(of: g, into: &list, seen: &seen) }
            case .graph(let n, let g), .service(let n, let g, _):
                add(n.variable)
                Self.orderedVariables(of: g, into: &list, seen: &seen)
            case .bind(_, let v): add(v)
            case .values(let t): for v in t.variables { add(v) }
            case .subSelect(let q):
                if let projection = q.projection {
                    for p in projection { add(p.variable) }
                } else {
                    Self.orderedVariables(of: q.pattern, into: &list, seen: &seen)
                }
            case .filter, .minus: break
            }
        }
    }

    /// Translates a SELECT query or sub-select (§18.2.4 and §18.2.5); returns the algebra (ending in Project, the
    /// sub-select's scope boundary) and the projected variables.
    mutating func translate(select q: SelectQuery) throws(SPARQLError) -> (Algebra, [String]) {
        var pattern = try self.translate(group: q.pattern)
        let whereScope = pattern.maybeBound
        var starVariables: [String] = []
        var seen = Set<String>()
        Self.orderedVariables(of: q.pattern, into: &starVariables, seen: &seen)
        if let values = q.values {
            for v in values.variables where seen.insert(v).inserted { starVariables.append(v) }
        }

        let usesAggregates =
            !q.groupBy.isEmpty || !q.having.isEmpty
            || (q.projection ?? []).contains { $0.expression?.containsAggregate == true }
            || q.orderBy.contains { $0.expression.containsAggregate }
        var projection = q.projection
        var orderBy = q.orderBy
        if usesAggregates {
            guard let items = q.projection else {
                throw SPARQLError(.syntax, "SELECT * is not allowed in an aggregate query (SPARQL 1.1 §11.4)")
            }
            var keys: [GroupKey] = []
            var groupVariables = Set<String>()
            for condition in q.groupBy {
                let e = try self.translate(expression: condition.expression)
                if let name = condition.variable {
                    if whereScope.contains(name) {
                        throw SPARQLError(.syntax, "GROUP BY … AS ?\(name): ?\(name) is already in scope")
                    }
                    keys.append(GroupKey(expression: e, variable: name))
                    groupVariables.insert(name)
                } else if case .variable(let v) = e {
                    keys.append(GroupKey(expression: e, variable: v))
                    groupVariables.insert(v)
                } else {
                    keys.append(GroupKey(expression: e, variable: self.hidden("key")))
                }
            }
            var aggregates: [AggregateBinding] = []
            func extract(_ e: Expression, _ t: inout AlgebraTranslator) throws(SPARQLError) -> Expression {
                try Self.rewrite(e, &t) {
                    (node: Expression, t: inout AlgebraTranslator) throws(SPARQLError) -> Expression? in
                    guard case .aggregate(var call) = node else { return nil }
                    if call.argument?.containsAggregate == true {
                        throw SPARQLError(.syntax, "aggregates cannot be nested")
                    }
                    if let argument = call.argument { call.argument = try t.translate(expression: argument) }
                    if let existing = aggregates.first(where: { $0.call == call }) {
                        return .variable(existing.variable)
                    }
                    let v = t.hidden("agg")
                    aggregates.append(AggregateBinding(variable: v, call: call))
                    return .variable(v)
                }
            }
            var having: [Expression] = []
            for h in q.having { having.append(try extract(h, &self)) }
            var newItems: [Projection] = []
            var visible = groupVariables
            for item in items {
                if let e = item.expression {
                    let rewritten = try extract(e, &self)
                    let free = rewritten.variables.filter { !Self.isHidden($0) }
                    if let stray = free.first(where: { !visible.contains($0) }) {
                        throw SPARQLError(
                            .syntax, "?\(stray) is used in SELECT outside an aggregate but is not a GROUP BY key")
                    }
                    newItems.append(Projection(variable: item.variable, expression: rewritten))
                } else if !visible.contains(item.variable) {
                    throw SPARQLError(
                        .syntax, "?\(item.variable) is projected but is neither a GROUP BY key nor an aggregate")
                } else {
                    newItems.append(item)
                }
                visible.insert(item.variable)
            }
            var newOrder: [OrderCondition] = []
            for c in orderBy {
                newOrder.append(OrderCondition(expression: try extract(c.expression, &self), descending: c.descending))
            }
            pattern = .group(pattern, keys: keys, aggregates: aggregates)
            if !having.isEmpty { pattern = .filter(having, pattern) }
            projection = newItems
            orderBy = newOrder
        } else {
            var newOrder: [OrderCondition] = []
            for c in orderBy {
                newOrder.append(
                    OrderCondition(expression: try self.translate(expression: c.expression), descending: c.descending))
            }
            orderBy = newOrder
        }
        if let values = q.values {
            pattern = pattern == .identity ? .values(values) : .join([pattern, .values(values)])
        }
        if let items = projection {
            var scope = pattern.maybeBound
            for item in items {
                guard let e = item.expression else { continue }
                if scope.contains(item.variable) {
                    throw SPARQLError(.syntax, "SELECT … AS ?\(item.variable): the variable is already in scope")
                }
                let translated = usesAggregates ? e : try self.translate(expression: e)
                pattern = .extend(pattern, item.variable, translated)
                scope.insert(item.variable)
            }
        }
        if !orderBy.isEmpty { pattern = .orderBy(pattern, orderBy) }
        let variables = projection?.map(\.variable) ?? starVariables
        pattern = .project(pattern, variables)
        if q.distinct { pattern = .distinct(pattern) }
        if q.reduced { pattern = .reduced(pattern) }
        if q.limit != nil || q.offset != nil { pattern = .slice(pattern, offset: q.offset ?? 0, limit: q.limit) }
        return (pattern, variables)
    }
}
