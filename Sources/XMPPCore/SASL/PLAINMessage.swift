/// PLAIN (RFC 4616): parse "authzid\0authcid\0passwd".
///
/// PLAIN sends the password itself, so the negotiation layer offers it only inside TLS (RFC 6120 §13.9.4); the
/// parsed password is checked against stored SCRAM keys and never kept.
public struct PLAINMessage: Sendable, Equatable {
    /// The authorization identity, `nil` when empty (RFC 4616 §2 `authzid`).
    public var authzid: String?
    /// The authentication identity, the username (RFC 4616 §2 `authcid`).
    public var authcid: String
    /// The password (RFC 4616 §2 `passwd`).
    public var password: String

    /// Parses the initial response `[authzid] NUL authcid NUL passwd` (RFC 4616 §2).
    ///
    /// Throws ``SASLFailure/incorrectEncoding`` when the bytes are not UTF-8 and ``SASLFailure/malformedRequest``
    /// when the structure is wrong: not exactly two NULs, or an empty authcid or password.
    public init(_ bytes: [UInt8]) throws(SASLFailure) {
        let fields = bytes.split(separator: 0, omittingEmptySubsequences: false)
        guard fields.count == 3 else { throw .malformedRequest }
        guard let authzid = String(validating: fields[0], as: UTF8.self),
            let authcid = String(validating: fields[1], as: UTF8.self),
            let password = String(validating: fields[2], as: UTF8.self)
        else { throw .incorrectEncoding }
        // RFC 4616 §2: authcid and passwd are 1*SAFE; authzid may be absent.
        guard !authcid.isEmpty, !password.isEmpty else { throw .malformedRequest }
        self.authzid = authzid.isEmpty ? nil : authzid
        self.authcid = authcid
        self.password = password
    }

    /// Creates a message to send, e.g. from tests (RFC 4616 §2).
    public init(authzid: String?, authcid: String, password: String) {
        self.authzid = authzid
        self.authcid = authcid
        self.password = password
    }

    /// The wire form `[authzid] NUL authcid NUL passwd` (RFC 4616 §2).
    public var bytes: [UInt8] {
        Array((self.authzid ?? "").utf8) + [0] + Array(self.authcid.utf8) + [0] + Array(self.password.utf8)
    }
}
