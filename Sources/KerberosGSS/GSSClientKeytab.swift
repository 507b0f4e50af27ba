@preconcurrency import CGSSAPI
import XMPPCore

/// Kerberos initiator credentials from a client keytab, for services that authenticate as themselves without a
/// password (the LDAP registry's SASL GSSAPI bind, RFC 4752 through Cyrus SASL).
///
/// ``obtain(keytab:principal:ccache:)`` gets a ticket-granting ticket with the keytab's key into a private
/// credential cache (MIT's `client_keytab` credential store, RFC 4120 §3.1); ``setThreadCCache(_:)`` makes that
/// cache the default of the calling thread for GSS-API (`gss_krb5_ccache_name`), so a library that initiates
/// with `GSS_C_NO_CREDENTIAL` on this thread uses it. Nothing touches the process environment.
public enum GSSClientKeytab {
    /// Acquires initiator credentials for `principal` (nil: the first principal in the keytab) from `keytab` into
    /// `ccache` (e.g. `MEMORY:intercloud-ldap`), getting a fresh ticket when the cache holds none or an expired one.
    public static func obtain(keytab: String, principal: String?, ccache: String) throws(GSSAPIFailure) {
        let name = try principal.map { (principal) throws(GSSAPIFailure) in try GSSName(principal, hostBased: false) }
        var minor: OM_uint32 = 0
        var handle: gss_cred_id_t?
        let major = GSSCredentialStore.with([("client_keytab", keytab), ("ccache", ccache)]) { store in
            GSSCredentialStore.withKerberosMechanism { mechanisms in
                gss_acquire_cred_from(
                    &minor, name?.handle, OM_uint32.max, mechanisms, gss_cred_usage_t(GSS_C_INITIATE), store, &handle,
                    nil, nil)
            }
        }
        guard !GSSStatus.isError(major), handle != nil else {
            let what = principal ?? "the keytab's first principal"
            throw GSSStatus.failure("obtain credentials for \(what) from \(keytab)", major: major, minor: minor)
        }
        gss_release_cred(&minor, &handle)
    }

    /// Sets the calling thread's default credential cache for GSS-API (nil: back to the process default) and
    /// returns the previous setting.
    @discardableResult
    public static func setThreadCCache(_ name: String?) -> String? {
        var minor: OM_uint32 = 0
        var previous: UnsafePointer<CChar>?
        _ = gss_krb5_ccache_name(&minor, name, &previous)
        return previous.map { String(cString: $0) }
    }
}
