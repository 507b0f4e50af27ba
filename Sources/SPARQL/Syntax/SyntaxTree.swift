import RDF

/// A property path expression (SPARQL 1.1 §9.1, grammar [88]–[96]).
indirect enum PropertyPath: Hashable, Sendable {
    case link(String)
    case inverse(PropertyPath)
    case sequence(PropertyPath, PropertyPath)
    case alternative(PropertyPath, PropertyPath)
    case zeroOrMore(PropertyPath)
    case oneOrMore(PropertyPath)
    case zeroOrOne(PropertyPath)
    /// `!(iri | ^iri …)`: forward and inverse negated IRIs.
    case negated(forward: [String], inverse: [String])
}

/// One triple of a triples block; the predicate is a variable, an IRI or a path (SPARQL 1.1 §18.2.2.4).
struct PathTriple: Hashable, Sendable {
    /// A variable or a property path.
    enum Predicate: Hashable, Sendable {
        case variable(String)
        case path(PropertyPath)
    }
    /// The subject.
    var subject: VarOrTerm
    /// The predicate.
    var predicate: Predicate
    /// The object.
    var object: VarOrTerm
}

/// A plain triple pattern (SPARQL 1.1 §18.1.4).
struct TriplePattern: Hashable, Sendable {
    /// The subject.
    var subject: VarOrTerm
    /// The predicate.
    var predicate: VarOrTerm
    /// The object.
    var object: VarOrTerm

    /// The variables of the pattern.
    var variables: [String] { [self.subject, self.predicate, self.object].compactMap(\.variable) }
}

/// Inline data (SPARQL 1.1 §10.2, VALUES).
struct ValuesTable: Hashable, Sendable {
    /// The variables.
    var variables: [String]
    /// One array per row, aligned with `variables`; nil is UNDEF.
    var rows: [[Term?]]
}

/// One element of a group graph pattern, in source order (SPARQL 1.1 §18.2.2).
indirect enum GroupElement: Hashable, Sendable {
    case triples([PathTriple])
    case filter(Expression)
    case optional(GroupPattern)
    case minus(GroupPattern)
    case union([GroupPattern])
    case group(GroupPattern)
    case graph(VarOrTerm, GroupPattern)
    case bind(Expression, String)
    case values(ValuesTable)
    case subSelect(SelectQuery)
    case service(VarOrTerm, GroupPattern, silent: Bool)
}

/// A group graph pattern `{ … }` (SPARQL 1.1 §5).
struct GroupPattern: Hashable, Sendable {
    /// The elements in source order.
    var elements: [GroupElement]

    /// Every variable mentioned (for EXISTS substitution and scope checks).
    func variables(into set: inout Set<String>) {
        for element in self.elements {
            switch element {
            case .triples(let triples):
                for t in triples {
                    if let v = t.subject.variable { set.insert(v) }
                    if case .variable(let v) = t.predicate { set.insert(v) }
                    if let v = t.object.variable { set.insert(v) }
                }
            case .filter(let e): e.variables(into: &set)
            case .optional(let g), .minus(let g), .group(let g): g.variables(into: &set)
            case .union(let gs): for g in gs { g.variables(into: &set) }
            case .graph(let n, let g), .service(let n, let g, _):
                if let v = n.variable { set.insert(v) }
                g.variables(into: &set)
            case .bind(let e, let v):
                e.variables(into: &set)
                set.insert(v)
            case .values(let t): set.formUnion(t.variables)
            case .subSelect(let q): set.formUnion(q.projectedVariables)
            }
        }
    }
}

/// One projection item: a variable, or `(expression AS ?var)`.
struct Projection: Hashable, Sendable {
    /// The variable.
    var variable: String
    /// The expression, for `(expression AS ?variable)`.
    var expression: Expression?
}

/// An ORDER BY condition (SPARQL 1.1 §15.1).
struct OrderCondition: Hashable, Sendable {
    /// The expression.
    var expression: Expression
    /// DESC.
    var descending: Bool
}

/// A GROUP BY condition (SPARQL 1.1 §11.1): an expression, optionally named.
struct GroupCondition: Hashable, Sendable {
    /// The expression.
    var expression: Expression
    /// The AS variable, if any.
    var variable: String?
}

/// A SELECT query or sub-select with its solution modifiers (SPARQL 1.1 §16.1, §7 of the grammar).
struct SelectQuery: Hashable, Sendable {
    /// DISTINCT.
    var distinct = false
    /// REDUCED.
    var reduced = false
    /// nil for `SELECT *`.
    var projection: [Projection]?
    /// The WHERE pattern.
    var pattern = GroupPattern(elements: [])
    /// GROUP BY.
    var groupBy: [GroupCondition] = []
    /// HAVING.
    var having: [Expression] = []
    /// ORDER BY.
    var orderBy: [OrderCondition] = []
    /// LIMIT.
    var limit: Int?
    /// OFFSET.
    var offset: Int?
    /// Trailing VALUES.
    var values: ValuesTable?
    /// The variables in scope of `pattern`, filled in by the parser for `SELECT *` sub-selects.
    var inScope: [String] = []

    /// The variables this (sub-)query returns.
    var projectedVariables: [String] {
        if let projection = self.projection { return projection.map(\.variable) }
        return self.inScope
    }
}

/// A term in a CONSTRUCT template: blank nodes stay blank (fresh per solution, §16.2.1).
enum TemplateTerm: Hashable, Sendable {
    case variable(String)
    case term(Term)
    case blank(String)
}

/// A CONSTRUCT template triple.
struct TemplateTriple: Hashable, Sendable {
    /// The subject.
    var subject: TemplateTerm
    /// The predicate.
    var predicate: TemplateTerm
    /// The object.
    var object: TemplateTerm
}
