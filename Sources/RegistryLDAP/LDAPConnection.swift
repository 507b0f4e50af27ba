@preconcurrency import CLDAP
import KerberosGSS
import Registry

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One LDAPv3 session: a single libldap handle, initialised from a URL and authenticated with a simple bind
/// (RFC 4511 §4.2, RFC 4513 §5.1.3) or a SASL GSSAPI bind with Kerberos credentials from a keytab (RFC 4513 §5.2.1,
/// RFC 4752).
///
/// Every call is synchronous (`_s` variants) and may block on the network, so it must run on a blocking thread
/// pool, never on an event loop or for long on the cooperative pool; ``LDAPClient`` guarantees that and also
/// that only one thread uses a connection at a time. libldap 2.5 handles are thread-safe, but the last error is
/// per handle, which is why connections are checked out rather than shared. That exclusive use is what makes
/// the `@unchecked Sendable` sound.
final class LDAPConnection: @unchecked Sendable {
    /// Where and as whom to connect.
    struct Configuration: Sendable {
        /// An LDAP URL such as `ldap://127.0.0.1:389` or `ldaps://…` (RFC 4516 §2).
        var url: String
        /// How to authenticate.
        var authentication: Authentication
        /// The limit for connecting and for each synchronous operation.
        var timeout: Duration

        /// Who binds, for logs: the bind DN, or the Kerberos principal.
        var identity: String {
            switch self.authentication {
            case .simple(let bindDN, _): bindDN
            case .gssapi(_, let principal, _): "SASL GSSAPI as \(principal ?? "the keytab's first principal")"
            }
        }
    }

    /// The bind method (RFC 4513 §5).
    enum Authentication: Sendable {
        /// A simple bind with a DN and a password; an empty DN is an anonymous bind (RFC 4513 §5.1).
        case simple(bindDN: String, password: String)
        /// A SASL GSSAPI bind as `principal` (nil: the keytab's first) with a ticket obtained from `keytab` into the
        /// private credential cache `ccache` (RFC 4752).
        case gssapi(keytab: String, principal: String?, ccache: String)
    }

    /// The libldap session handle (`LDAP *`).
    let handle: OpaquePointer
    /// What this connection was created from.
    let configuration: Configuration

    /// Initialises a session (no network traffic yet), selects LDAPv3, sets the timeouts, then binds.
    ///
    /// Throws when the URL is malformed, the server is unreachable (`LDAP_SERVER_DOWN`) or the bind is refused
    /// (`invalidCredentials`, RFC 4511 §4.2.2).
    init(_ configuration: Configuration) throws(LDAPOperationError) {
        var handle: OpaquePointer?
        let status = ldap_initialize(&handle, configuration.url)
        guard status == LDAP_SUCCESS, let handle else {
            throw LDAPOperationError(
                resultCode: status, operation: "initialise", dn: nil, diagnostic: "URL '\(configuration.url)'")
        }
        self.handle = handle
        self.configuration = configuration
        try self.setOption(LDAP_OPT_PROTOCOL_VERSION, Int32(LDAP_VERSION3), "protocol version")
        // Referrals would be chased anonymously (RFC 4511 §4.1.10); report them instead. LDAP_OPT_OFF is NULL.
        try self.check(ldap_set_option(handle, LDAP_OPT_REFERRALS, nil), "set referrals option")
        var timeout = Self.timeval(configuration.timeout)
        try self.check(ldap_set_option(handle, LDAP_OPT_NETWORK_TIMEOUT, &timeout), "set network timeout")
        try self.check(ldap_set_option(handle, LDAP_OPT_TIMEOUT, &timeout), "set operation timeout")
        try self.bind()
    }

    deinit {
        // Sends an UnbindRequest if still connected and frees the handle (RFC 4511 §4.3).
        ldap_unbind_ext_s(self.handle, nil, nil)
    }

    /// Authenticates as configured.
    func bind() throws(LDAPOperationError) {
        switch self.configuration.authentication {
        case .simple(let bindDN, let password): try self.simpleBind(bindDN: bindDN, password: password)
        case .gssapi(let keytab, let principal, let ccache):
            try self.gssapiBind(keytab: keytab, principal: principal, ccache: ccache)
        }
    }

    /// A simple bind (RFC 4511 §4.2, RFC 4513 §5.1.3); the mechanism `LDAP_SASL_SIMPLE` is NULL.
    private func simpleBind(bindDN: String, password: String) throws(LDAPOperationError) {
        var password = Array(password.utf8CString)
        let status = password.withUnsafeMutableBufferPointer { buffer in
            var credentials = berval(bv_len: ber_len_t(buffer.count - 1), bv_val: buffer.baseAddress)
            return ldap_sasl_bind_s(self.handle, bindDN, nil, &credentials, nil, nil, nil)
        }
        // Do not keep a copy of the password in freed memory longer than needed.
        for index in password.indices { password[index] = 0 }
        try self.check(status, "bind", dn: bindDN)
    }

    /// A SASL GSSAPI bind (RFC 4513 §5.2.1, RFC 4752): a ticket-granting ticket from the keytab goes into the
    /// private cache, which is this thread's default only while libldap and Cyrus SASL run the exchange; the
    /// service principal is `ldap/HOST@REALM` with HOST exactly as in the URL (no DNS canonicalisation).
    private func gssapiBind(keytab: String, principal: String?, ccache: String) throws(LDAPOperationError) {
        do {
            try GSSClientKeytab.obtain(keytab: keytab, principal: principal, ccache: ccache)
        } catch {
            // LDAP_LOCAL_ERROR (-2): the failure is in the client, before any LDAP traffic.
            throw LDAPOperationError(
                resultCode: LDAP_LOCAL_ERROR, operation: "obtain Kerberos credentials", dn: nil,
                diagnostic: error.reason)
        }
        let previous = GSSClientKeytab.setThreadCCache(ccache)
        defer { GSSClientKeytab.setThreadCCache(previous) }
        try self.check(intercloud_ldap_sasl_gssapi_bind(self.handle), "SASL GSSAPI bind")
    }

    /// Throws unless `status` is `LDAP_SUCCESS`, adding the server's diagnostic message (RFC 4511 §4.1.9).
    func check(_ status: Int32, _ operation: String, dn: String? = nil) throws(LDAPOperationError) {
        guard status != LDAP_SUCCESS else { return }
        throw LDAPOperationError(
            resultCode: status, operation: operation, dn: dn, diagnostic: self.diagnosticMessage())
    }

    /// The `diagnosticMessage` of the last result on this handle, if any (RFC 4511 §4.1.9).
    private func diagnosticMessage() -> String? {
        var message: UnsafeMutablePointer<CChar>?
        guard ldap_get_option(self.handle, LDAP_OPT_DIAGNOSTIC_MESSAGE, &message) == LDAP_OPT_SUCCESS,
            let message
        else { return nil }
        defer { ldap_memfree(message) }
        let text = String(cString: message)
        return text.isEmpty ? nil : text
    }

    private func setOption(_ option: Int32, _ value: Int32, _ name: String) throws(LDAPOperationError) {
        var value = value
        try self.check(ldap_set_option(self.handle, option, &value), "set \(name) option")
    }

    /// `duration` as a C `timeval`, at least one millisecond.
    static func timeval(_ duration: Duration) -> timeval {
        let microseconds = max(
            1000, duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000)
        #if canImport(Darwin)
            return .init(tv_sec: Int(microseconds / 1_000_000), tv_usec: Int32(microseconds % 1_000_000))
        #else
            return .init(tv_sec: Int(microseconds / 1_000_000), tv_usec: Int(microseconds % 1_000_000))
        #endif
    }
}
