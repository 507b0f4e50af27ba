import RDF

/// A variable or an RDF term in a pattern position (SPARQL 1.1 §18.1.3, VarOrTerm).
///
/// Blank nodes in query patterns act as variables (§4.1.4); the parser turns them into variables whose names contain
/// a character no SPARQL variable name can contain, so they are never projected by `SELECT *`.
enum VarOrTerm: Hashable, Sendable {
    case variable(String)
    case term(Term)

    /// The variable name, if this is one.
    var variable: String? {
        if case .variable(let v) = self { return v }
        return nil
    }
}

/// An aggregate set function call (SPARQL 1.1 §18.5.1).
struct AggregateCall: Hashable, Sendable {
    /// The set functions of §18.5.1.
    enum Function: Hashable, Sendable {
        case count, sum, min, max, avg, sample
        case groupConcat(separator: String)
    }
    /// The set function.
    var function: Function
    /// Whether DISTINCT applies to the argument values.
    var distinct: Bool
    /// nil for `COUNT(*)`.
    var argument: Expression?
}

/// The pattern of EXISTS / NOT EXISTS: as parsed, then as translated to the algebra (SPARQL 1.1 §18.2.2.2).
indirect enum ExistsPattern: Hashable, Sendable {
    case syntax(GroupPattern)
    case algebra(Algebra)
}

/// A SPARQL expression (SPARQL 1.1 §17, grammar rules [110]–[134]).
indirect enum Expression: Hashable, Sendable {
    case variable(String)
    case constant(Term)
    case or(Expression, Expression)
    case and(Expression, Expression)
    case not(Expression)
    case compare(ComparisonOperator, Expression, Expression)
    case arithmetic(ArithmeticOperator, Expression, Expression)
    case negate(Expression)
    case unaryPlus(Expression)
    case inList(Expression, [Expression], negated: Bool)
    case builtin(BuiltinFunction, [Expression])
    case bound(String)
    case conditional(Expression, Expression, Expression)
    case coalesce([Expression])
    case exists(ExistsPattern, negated: Bool)
    /// `xsd:T(expr)` (§17.5).
    case cast(String, Expression)
    /// A call to an IRI this engine does not know: evaluates to an error (§17.6).
    case unknownFunction(String, [Expression])
    /// An aggregate; only valid in SELECT, HAVING and ORDER BY of an aggregate query (§11).
    case aggregate(AggregateCall)

    /// Every variable the expression mentions, including those in EXISTS patterns.
    func variables(into set: inout Set<String>) {
        switch self {
        case .variable(let v), .bound(let v): set.insert(v)
        case .constant: break
        case .or(let a, let b), .and(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b):
            a.variables(into: &set)
            b.variables(into: &set)
        case .not(let a), .negate(let a), .unaryPlus(let a), .cast(_, let a): a.variables(into: &set)
        case .inList(let a, let list, _):
            a.variables(into: &set)
            for e in list { e.variables(into: &set) }
        case .builtin(_, let args), .coalesce(let args), .unknownFunction(_, let args):
            for e in args { e.variables(into: &set) }
        case .conditional(let a, let b, let c):
            a.variables(into: &set)
            b.variables(into: &set)
            c.variables(into: &set)
        case .exists(let pattern, _):
            switch pattern {
            case .syntax(let group): group.variables(into: &set)
            case .algebra(let algebra): algebra.mentionedVariables(into: &set)
            }
        case .aggregate(let call): call.argument?.variables(into: &set)
        }
    }

    /// The variables mentioned.
    var variables: Set<String> {
        var set = Set<String>()
        self.variables(into: &set)
        return set
    }

    /// Whether an aggregate occurs anywhere inside.
    var containsAggregate: Bool {
        switch self {
        case .aggregate: return true
        case .variable, .bound, .constant, .exists: return false
        case .or(let a, let b), .and(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b):
            return a.containsAggregate || b.containsAggregate
        case .not(let a), .negate(let a), .unaryPlus(let a), .cast(_, let a): return a.containsAggregate
        case .inList(let a, let list, _): return a.containsAggregate || list.contains { $0.containsAggregate }
        case .builtin(_, let args), .coalesce(let args), .unknownFunction(_, let args):
            return args.contains { $0.containsAggregate }
        case .conditional(let a, let b, let c):
            return a.containsAggregate || b.containsAggregate || c.containsAggregate
        }
    }

    /// Whether EXISTS / NOT EXISTS occurs anywhere inside.
    var containsExists: Bool {
        switch self {
        case .exists: return true
        case .variable, .bound, .constant, .aggregate: return false
        case .or(let a, let b), .and(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b):
            return a.containsExists || b.containsExists
        case .not(let a), .negate(let a), .unaryPlus(let a), .cast(_, let a): return a.containsExists
        case .inList(let a, let list, _): return a.containsExists || list.contains { $0.containsExists }
        case .builtin(_, let args), .coalesce(let args), .unknownFunction(_, let args):
            return args.contains { $0.containsExists }
        case .conditional(let a, let b, let c): return a.containsExists || b.containsExists || c.containsExists
        }
    }
}
