import XMPPCore

/// SASL GSSAPI with Kerberos V5 (RFC 4752), declared here so the XMPP layer imports neither the GSS-API library
/// nor the registry; the executable answers with a keytab-backed acceptor and the registry.
public protocol KerberosAuthenticator: Sendable {
    /// A fresh acceptor for one exchange; it performs no GSS-API call until its first accept.
    func makeAcceptor() -> any GSSAPIAcceptor
    /// Maps the authenticated `principal` to an account and checks it (RFC 4752 §3.1 "the server must verify that
    /// the src_name is authorized to authenticate as the authorization identity"): the bare JID, or the refusal —
    /// `not-authorized` for a principal that maps to no registered account, `account-disabled` for a suspended
    /// one, `invalid-authzid` when `authzid` is given and is not that JID (RFC 6120 §6.3.8, §6.5).
    func authorize(principal: String, authzid: String?) async -> Result<JID, KerberosRefusal>
}

/// Why a Kerberos principal may not log in: the SASL condition sent and the reason logged.
public struct KerberosRefusal: Error, Sendable, Equatable {
    /// The `<failure/>` condition (RFC 6120 §6.5).
    public var condition: SASLFailure
    /// What the log says, naming the principal and the cause.
    public var reason: String

    /// Creates a refusal.
    public init(_ condition: SASLFailure, reason: String) {
        self.condition = condition
        self.reason = reason
    }
}
