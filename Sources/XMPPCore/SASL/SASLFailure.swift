/// A SASL failure condition, sent as the child of `<failure/>` (RFC 6120 §6.5).
///
/// The raw value is the element name, so the negotiation layer can build the failure element without a table.
/// Mechanisms in this folder report problems as one of these; the condition never reveals whether an account
/// exists (RFC 6120 §6.5.10, RFC 5802 §9).
public enum SASLFailure: String, Error, Sendable, Equatable, CaseIterable {
    /// The client aborted the exchange with `<abort/>` (RFC 6120 §6.5.1).
    case aborted
    /// The account is temporarily disabled (RFC 6120 §6.5.2).
    case accountDisabled = "account-disabled"
    /// The credentials have expired (RFC 6120 §6.5.3).
    case credentialsExpired = "credentials-expired"
    /// The mechanism may be used only over an encrypted stream (RFC 6120 §6.5.4).
    case encryptionRequired = "encryption-required"
    /// The data is not valid base64 or not valid UTF-8 (RFC 6120 §6.5.5).
    case incorrectEncoding = "incorrect-encoding"
    /// The authorization identity is invalid or not permitted (RFC 6120 §6.5.6).
    case invalidAuthzid = "invalid-authzid"
    /// The mechanism was not offered (RFC 6120 §6.5.7).
    case invalidMechanism = "invalid-mechanism"
    /// The request is malformed, e.g. a SCRAM message missing an attribute (RFC 6120 §6.5.8).
    case malformedRequest = "malformed-request"
    /// The mechanism is weaker than policy allows (RFC 6120 §6.5.9).
    case mechanismTooWeak = "mechanism-too-weak"
    /// Authentication failed: wrong password or unknown user, deliberately indistinguishable (RFC 6120 §6.5.10).
    case notAuthorized = "not-authorized"
    /// A temporary server-side error (RFC 6120 §6.5.11).
    case temporaryAuthFailure = "temporary-auth-failure"
}
