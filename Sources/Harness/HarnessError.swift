/// Every failure inside the federation harness, with a stable ``Code`` and a reason (STYLE §9).
///
/// The harness never stops on one cloud's failure: each error becomes one failed operation of its step in the
/// ``HarnessReport``, and its ``description`` is what the report lists among the step's first failures.
public struct HarnessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable classification of the failure.
    public enum Code: String, Sendable, Hashable, CaseIterable, Codable {
        /// The configuration cannot work (no admin token, no clouds, a bad host).
        case invalidConfiguration
        /// `intercloud serve` could not be started or did not log its `ready` line (CONTRACT §2).
        case rootStartFailed
        /// An HTTP request to the admin API failed at the transport level (CONTRACT §4).
        case httpFailed
        /// The admin API answered with a status other than the expected one (CONTRACT §4).
        case unexpectedStatus
        /// A key, CSR, certificate or signature could not be made or checked.
        case cryptoFailed
        /// The XMPP client failed: connection, TLS, SASL EXTERNAL, an iq error (RFC 6120).
        case xmppFailed
        /// A server answer did not have the expected shape.
        case unexpectedAnswer
        /// A server answer was well formed but not what the harness knows to be true.
        case mismatch
        /// Something did not happen within its timeout.
        case timeout
        /// The operation was not attempted because an earlier step failed for this cloud.
        case skipped
    }

    /// The classification.
    public var code: Code
    /// A human-readable explanation, including the cloud or query concerned.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `code: reason`, the form the report lists.
    public var description: String { "\(self.code.rawValue): \(self.reason)" }
}
