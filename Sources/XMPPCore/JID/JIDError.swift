/// Why a string is not a valid JID (RFC 7622 §3).
///
/// Mapped at the edges to `jid-malformed` stanza errors (RFC 6120 §8.3.3.8) or `improper-addressing` /
/// `host-unknown` stream errors (RFC 6120 §4.9.3).
public struct JIDError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable classification of the failure (RFC 7622 §3).
    public enum Code: String, Sendable {
        /// The whole address is empty (RFC 7622 §3.1).
        case empty
        /// An `@` is present but nothing precedes it (RFC 7622 §3.3.1).
        case emptyLocalpart
        /// The domainpart is missing or empty (RFC 7622 §3.2.1).
        case emptyDomainpart
        /// A `/` is present but nothing follows it (RFC 7622 §3.4.1).
        case emptyResourcepart
        /// A part exceeds 1023 octets of UTF-8 (RFC 7622 §3.2.1, §3.3.1, §3.4.1).
        case tooLong
        /// A part contains a character its PRECIS profile disallows (RFC 7622 §3.3.1, §3.4.1).
        case forbiddenCharacter
        /// The domainpart is not a valid DNS name or IP literal (RFC 7622 §3.2).
        case invalidDomain
    }

    /// The classification (RFC 7622 §3).
    public var code: Code
    /// A human-readable explanation naming the offending part.
    public var reason: String

    /// Creates an error (RFC 7622 §3).
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `code: reason`, for logs.
    public var description: String { "\(self.code.rawValue): \(self.reason)" }
}
