/// The SPARQL module's one error type: a stable code, a reason and, for syntax errors, the line and column.
///
/// Expression errors (SPARQL 1.1 §17.3) never surface as `SPARQLError`: they are `ExpressionError`s that the
/// engine absorbs (FILTER → false, BIND → unbound). `SPARQLError` is what stops a whole query.
public struct SPARQLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error codes.
    public enum Code: String, Sendable {
        /// The query does not match the SPARQL 1.1 grammar (§19.8) or breaks a scope rule (§18.2.1).
        case syntax
        /// The query ran past `QueryOptions.deadline`.
        case timeout
        /// The result has more rows than `QueryOptions.maxRows`.
        case resultTooLarge
        /// A valid construct this engine does not implement (SERVICE, DESCRIBE of some forms, …).
        case unsupported
        /// Evaluation failed for a reason other than an expression error.
        case evaluation
    }

    /// The stable code.
    public var code: Code
    /// A human-readable explanation.
    public var reason: String
    /// 1-based line of the offending input, for syntax errors.
    public var line: Int?
    /// 1-based column of the offending input, for syntax errors.
    public var column: Int?

    /// Creates an error.
    public init(_ code: Code, _ reason: String, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.reason = reason
        self.line = line
        self.column = column
    }

    /// "line L, column C: reason" for located errors, else the reason.
    public var description: String {
        if let line = self.line {
            return "line \(line)\(self.column.map { ", column \($0)" } ?? ""): \(self.reason)"
        }
        return self.reason
    }
}
