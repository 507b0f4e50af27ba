/// The capability directory's one error type (STYLE §9): a stable ``Code`` and a reason, mapped at the edges to
/// XMPP stanza errors (``stanzaCondition``) and HTTP statuses (by the admin API adapter).
public struct CapabilityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error codes.
    public enum Code: String, Sendable, Equatable {
        /// A published description is not valid Turtle (CONTRACT §5.1); the reason names the line.
        case invalidDescription = "invalid_description"
        /// A description asserts something only the root may assert (presence, registry facts, other clouds).
        case forbiddenAssertion = "forbidden_assertion"
        /// The query does not parse (SPARQL 1.1 §19).
        case querySyntax = "query_syntax"
        /// The query form or a feature is not supported here.
        case unsupportedQuery = "unsupported_query"
        /// The query ran past the configured timeout.
        case queryTimeout = "query_timeout"
        /// The query produced more rows than the configured cap.
        case resultTooLarge = "result_too_large"
        /// No registered cloud of that name.
        case unknownCloud = "unknown_cloud"
        /// Anything else that went wrong while evaluating.
        case internalError = "internal_error"
    }

    /// The stable code.
    public var code: Code
    /// A human-readable reason, safe to show to the peer.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `reason`.
    public var description: String { self.reason }
}
