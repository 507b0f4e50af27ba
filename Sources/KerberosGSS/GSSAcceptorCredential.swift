@preconcurrency import CGSSAPI
import XMPPCore

/// The server's long-term Kerberos credential: the key of one service principal (`xmpp/host@REALM`) read from a
/// keytab, with a replay cache (RFC 4120 §3.2.3), acquired once with `gss_acquire_cred_from` (RFC 2743 §2.1.1
/// `GSS_Acquire_cred`, MIT credential store extensions) and shared by every connection.
///
/// Naming the principal makes the mechanism refuse tickets for any other principal in the same keytab
/// (`KRB5KRB_AP_ERR_NOT_US`), and restricting the mechanism set to Kerberos V5 keeps SPNEGO out (RFC 4752 §1).
/// The keytab is read again on every accept, so a rotated key is picked up without a restart. MIT krb5 locks
/// credential handles internally, which makes sharing one across threads safe, hence `@unchecked Sendable`.
/// Every call may read files: create it and its contexts off event loops.
public final class GSSAcceptorCredential: @unchecked Sendable {
    /// The service principal, e.g. `xmpp/im.example.org@EXAMPLE.ORG`.
    public let principal: String
    /// The credential handle, released on deinit.
    let handle: gss_cred_id_t

    /// Acquires the acceptor credential of `principal` from `keytab` (a keytab name such as `FILE:/path` or a
    /// path); `replayCache` is an MIT replay cache name (`file2:/path`), nil for the library default.
    ///
    /// Throws ``GSSAPIFailure/Code/serverCredentials`` (or the mechanism's own classification) when the keytab is
    /// missing, unreadable or holds no key for `principal`.
    public init(principal: String, keytab: String, replayCache: String?) throws(GSSAPIFailure) {
        let name = try GSSName(principal, hostBased: false)
        var entries = [(key: "keytab", value: keytab)]
        if let replayCache { entries.append((key: "rcache", value: replayCache)) }
        var minor: OM_uint32 = 0
        var handle: gss_cred_id_t?
        let major = GSSCredentialStore.with(entries) { store in
            GSSCredentialStore.withKerberosMechanism { mechanisms in
                gss_acquire_cred_from(
                    &minor, name.handle, OM_uint32.max, mechanisms, gss_cred_usage_t(GSS_C_ACCEPT), store, &handle,
                    nil, nil)
            }
        }
        guard !GSSStatus.isError(major), let handle else {
            let failure = GSSStatus.failure("acquire the credential of \(principal)", major: major, minor: minor)
            throw GSSAPIFailure(.serverCredentials, reason: failure.reason)
        }
        self.principal = principal
        self.handle = handle
    }

    deinit {
        var minor: OM_uint32 = 0
        var handle: gss_cred_id_t? = self.handle
        gss_release_cred(&minor, &handle)
    }

    /// A fresh security context for one SASL GSSAPI exchange; no GSS-API call happens until its first accept.
    public func makeAcceptor() -> GSSAcceptorContext {
        GSSAcceptorContext(credential: self)
    }
}
