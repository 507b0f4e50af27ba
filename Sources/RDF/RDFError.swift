/// The RDF module's one error type: a stable code, a reason and, for syntax errors, the line and column.
public struct RDFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error codes.
    public enum Code: String, Sendable, Equatable {
        /// The document is not valid Turtle / N-Triples (RDF 1.1 Turtle §6, N-Triples §7 grammars).
        case syntax
        /// An IRI could not be resolved against the base (RFC 3986 §5) or is not absolute.
        case badIRI
    }

    /// The stable code.
    public var code: Code
    /// A human-readable explanation.
    public var reason: String
    /// 1-based line of the offending input, when known.
    public var line: Int?
    /// 1-based column of the offending input, when known.
    public var column: Int?

    /// An error.
    public init(_ code: Code, _ reason: String, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.reason = reason
        self.line = line
        self.column = column
    }

    /// "line L, column C: reason" for located errors, else the reason.
    public var description: String {
        if let line { return "line \(line)\(column.map { ", column \($0)" } ?? ""): \(self.reason)" }
        return self.reason
    }
}
