import XMPPCore

/// How the server learns about accounts, declared here so that the XMPP layer does not import the registry
/// (the executable wires the registry in).
public protocol CredentialProvider: Sendable {
    /// The SCRAM credentials of a SASL username (a cloud name), for RFC 5802 §5.
    func scramCredentials(username: String, hash: SCRAMHash) async -> CredentialLookup
    /// Checks a PLAIN password (RFC 4616) against the stored credentials.
    func checkPassword(username: String, password: String) async -> C2SNegotiationStateMachine.PasswordCheck
}

/// The outcome of a credentials lookup.
public enum CredentialLookup: Sendable, Equatable {
    /// The account exists; `disabled` is true for a suspended account (RFC 6120 §6.5.1 account-disabled).
    case found(SCRAMCredentials, disabled: Bool)
    /// No such account, or no credentials for this mechanism.
    case notFound
}

extension C2SNegotiationStateMachine.PasswordCheck {
    /// Checks `password` against stored credentials by recomputing StoredKey (RFC 5802 §3).
    public static func check(password: String, against credentials: SCRAMCredentials, disabled: Bool) -> Self {
        let derived = SCRAMCredentials.derive(
            password: password, salt: credentials.salt, iterations: credentials.iterations, hash: credentials.hash)
        guard derived.storedKey.count == credentials.storedKey.count,
            zip(derived.storedKey, credentials.storedKey).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
        else { return .invalid }
        return disabled ? .accountDisabled : .valid
    }
}
