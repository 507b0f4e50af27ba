import RDF

/// An expression evaluation error (SPARQL 1.1 §17.3): FILTER treats it as false, BIND leaves the variable unbound,
/// `||`/`&&` follow the §17.4.1.2/3 truth tables. It never escapes a query as a failure.
public struct ExpressionError: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// The built-in functions with plain (already evaluated) arguments (SPARQL 1.1 §17.4). Special forms whose
/// arguments are not all evaluated — BOUND, IF, COALESCE, EXISTS, NOT EXISTS, IN, NOT IN, `&&`, `||` — are the
/// engine's, not listed here. Aggregates are the engine's.
public enum BuiltinFunction: String, CaseIterable, Sendable {
    // §17.4.2 functions on RDF terms
    case isIRI, isBlank, isLiteral, isNumeric, str, lang, datatype, iri, bnode, strdt, strlang, uuid, struuid
    // §17.4.1.7/8
    case sameTerm, langMatches
    // §17.4.3 strings
    case strlen, substr, ucase, lcase, strStarts, strEnds, contains, strBefore, strAfter, encodeForURI, concat,
        regex, replace
    // §17.4.4 numerics
    case abs, round, ceil, floor, rand
    // §17.4.5 dates and times
    case now, year, month, day, hours, minutes, seconds, timezone, tz
    // §17.4.6 hash functions
    case md5, sha1, sha256, sha384, sha512
}

/// Binary arithmetic operators (SPARQL 1.1 §17.3, XPath op:numeric-add etc.).
public enum ArithmeticOperator: String, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/" }

/// Comparison operators (SPARQL 1.1 §17.3 operator mapping).
public enum ComparisonOperator: String, Sendable {
    case equal = "=", notEqual = "!=", less = "<", greater = ">", lessOrEqual = "<=", greaterOrEqual = ">="
}

/// What functions need from outside: the query's fixed `NOW()` and a random source (injected, for testability).
public struct FunctionContext: Sendable {
    /// `NOW()` for the whole query, as an `xsd:dateTime` lexical form (§17.4.5.1: same value within one query).
    public var now: String
    /// Returns a uniformly distributed value in [0, 1) — for `RAND()`, `UUID()`, `STRUUID()`, `BNODE()`.
    public var random: @Sendable () -> Double

    public init(now: String, random: @escaping @Sendable () -> Double) {
        self.now = now
        self.random = random
    }
}

/// SPARQL 1.1 operators and functions over RDF terms (§17). The API contract used by the engine; the
/// implementations live in the `SPARQLFunctions+*.swift` extensions, the XSD value types in `XSD*.swift`.
public enum SPARQLFunctions {
    /// Calls a built-in function on evaluated arguments; wrong arity or types throw.
    public static func call(
        _ function: BuiltinFunction, _ arguments: [Term], context: FunctionContext
    ) throws(ExpressionError) -> Term {
        try self.dispatch(function, arguments, context)
    }

    /// XPath constructor functions / casts (`xsd:integer(?x)`, §17.5); nil if `datatype` is not a cast target.
    public static func cast(_ term: Term, to datatype: String) throws(ExpressionError) -> Term? {
        try self.castTerm(term, to: datatype)
    }

    /// Effective boolean value (§17.2.2).
    public static func effectiveBooleanValue(_ term: Term) throws(ExpressionError) -> Bool {
        try self.effectiveBoolean(term)
    }

    /// `=`, `!=`, `<`, `>`, `<=`, `>=` with numeric type promotion, strings, booleans, dateTimes and RDFterm-equal
    /// (§17.3, §17.4.1.7); incomparable operands throw.
    public static func compare(_ op: ComparisonOperator, _ lhs: Term, _ rhs: Term) throws(ExpressionError) -> Bool {
        try self.compareTerms(op, lhs, rhs)
    }

    /// Binary arithmetic with numeric type promotion (XPath 2.0 §6.2, SPARQL §17.3).
    public static func arithmetic(_ op: ArithmeticOperator, _ lhs: Term, _ rhs: Term) throws(ExpressionError) -> Term {
        try self.arithmeticTerms(op, lhs, rhs)
    }

    /// Unary minus (`negate == true`) or plus on a numeric.
    public static func unary(negate: Bool, _ operand: Term) throws(ExpressionError) -> Term {
        try self.unaryTerm(negate: negate, operand)
    }

    /// The ORDER BY total order (§15.1): unbound < blank nodes < IRIs < literals; literals by value where comparable,
    /// then by lexical form, datatype and language so that the order is total. Negative, zero or positive.
    public static func orderCompare(_ lhs: Term?, _ rhs: Term?) -> Int {
        self.totalOrder(lhs, rhs)
    }

    /// The numeric value of a numeric literal (xsd:integer and derived, decimal, float, double), nil otherwise.
    public static func numericValue(_ term: Term) -> Double? {
        self.doubleValue(term)
    }
}
