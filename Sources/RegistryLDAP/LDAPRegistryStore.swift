@preconcurrency import CLDAP
import Logging
import NIOPosix
import Registry
import Synchronization

/// The ``RegistryStore`` kept in an OpenLDAP directory (CONTRACT §6), so administrators can read the registry with
/// plain `ldapsearch`.
///
/// Each cloud is an entry `cn=NAME,ou=clouds,BASE` of the structural class `icCloud` plus the auxiliary `pkiUser`
/// (RFC 4523 §4.4), which lets `userCertificate;binary` hold the cloud's issued certificates, findable by their
/// serials in `icCertificateSerial`; the CA's certificates and CRL go to `cn=ca,BASE` (``CAPublishing``). The
/// schema is in `schemas/` and described in `docs/ldap.md`. Only SCRAM keys are stored, never passwords (RFC 5802 §3).
///
/// Every libldap call runs on `threadPool` through an ``LDAPClient`` with up to two bound connections, which
/// reconnects once when the server went away. The container `ou=clouds,BASE` is created on first use if missing;
/// the base entry itself must exist. Nothing touches the network before the first operation (or ``prepare()``),
/// so the store can be built before the directory is up.
public final class LDAPRegistryStore: RegistryStore, CAPublishing {
    /// The DN under which `ou=clouds` lives.
    public let baseDN: String
    /// `ou=clouds,BASE`, the parent of every cloud entry.
    let cloudsDN: String
    private let client: LDAPClient
    /// Logs with `ldap.dn` set to `ou=clouds,BASE`.
    let logger: Logger
    private let containerReady = Mutex(false)

    /// Configures a store that binds with a DN and password (RFC 4513 §5.1.3); no connection is opened yet.
    ///
    /// Throws ``RegistryError/Code/storageFailure`` when `url` is not an LDAP URL (RFC 4516 §2), `baseDN` is not a
    /// DN (RFC 4514 §3), or a bind DN is given without a password (an unauthenticated bind, RFC 4513 §5.1.2,
    /// which servers treat as anonymous). `timeout` bounds connecting and each operation.
    public convenience init(
        url: String, baseDN: String, bindDN: String, password: String, threadPool: NIOThreadPool = .singleton,
        timeout: Duration = .seconds(10), logger: Logger
    ) throws(RegistryError) {
        guard bindDN.isEmpty || Self.isValidDN(bindDN) else {
            throw .storageFailure(reason: "LDAP bind DN '\(bindDN)' is not a distinguished name (RFC 4514)")
        }
        guard bindDN.isEmpty || !password.isEmpty else {
            throw .storageFailure(reason: "LDAP bind DN '\(bindDN)' given without a password")
        }
        try self.init(
            url: url, baseDN: baseDN, authentication: .simple(bindDN: bindDN, password: password),
            threadPool: threadPool, timeout: timeout, logger: logger)
    }

    /// Configures a store that binds with SASL GSSAPI (RFC 4513 §5.2.1, RFC 4752) as `principal` (nil: the first
    /// principal in the keytab), with tickets obtained from the client keytab `keytab`, so no password exists.
    ///
    /// The directory's service principal is `ldap/HOST@REALM` with HOST exactly as written in `url` (no DNS
    /// canonicalisation); the directory maps the Kerberos identity to a DN with `authz-regexp` (docs/kerberos.md).
    public convenience init(
        url: String, baseDN: String, gssapiKeytab keytab: String, principal: String?,
        threadPool: NIOThreadPool = .singleton, timeout: Duration = .seconds(10), logger: Logger
    ) throws(RegistryError) {
        guard !keytab.isEmpty else { throw .storageFailure(reason: "the LDAP GSSAPI bind needs a keytab") }
        // A private in-memory credential cache per store, so no other Kerberos user of the process is disturbed.
        let ccache = "MEMORY:intercloud-ldap-\(UInt64.random(in: 0...UInt64.max))"
        try self.init(
            url: url, baseDN: baseDN, authentication: .gssapi(keytab: keytab, principal: principal, ccache: ccache),
            threadPool: threadPool, timeout: timeout, logger: logger)
    }

    private init(
        url: String, baseDN: String, authentication: LDAPConnection.Authentication, threadPool: NIOThreadPool,
        timeout: Duration, logger: Logger
    ) throws(RegistryError) {
        guard ldap_is_ldap_url(url) != 0 else {
            throw .storageFailure(
                reason: "'\(url)' is not an LDAP URL (expected ldap://HOST:PORT, ldaps:// or ldapi://)")
        }
        guard !baseDN.isEmpty, Self.isValidDN(baseDN) else {
            throw .storageFailure(reason: "LDAP base DN '\(baseDN)' is not a distinguished name (RFC 4514)")
        }
        self.baseDN = baseDN
        self.cloudsDN = "ou=clouds,\(baseDN)"
        var logger = logger
        logger[metadataKey: LDAPClient.MetadataKey.dn] = "\(self.cloudsDN)"
        self.logger = logger
        self.client = LDAPClient(
            configuration: .init(url: url, authentication: authentication, timeout: timeout),
            threadPool: threadPool, logger: logger)
    }

    /// Connects, binds and makes sure `ou=clouds,BASE` exists, creating it as an `organizationalUnit`
    /// (RFC 4519 §3.11) if needed; the other operations do this on first use.
    ///
    /// Call it at start-up to fail fast on a wrong URL, credentials or base DN.
    public func prepare() async throws(RegistryError) {
        guard !self.containerReady.withLock({ $0 }) else { return }
        let cloudsDN = self.cloudsDN
        let found = try await self.perform { connection throws(LDAPOperationError) in
            do throws(LDAPOperationError) {
                _ = try connection.search(base: cloudsDN, scope: .base, filter: "(objectClass=*)", attributes: ["1.1"])
                return true
            } catch  where error.resultCode == LDAP_NO_SUCH_OBJECT {
                return false
            }
        }
        if !found {
            do {
                try await self.client.withConnection { connection throws(LDAPOperationError) in
                    try connection.add(
                        dn: cloudsDN,
                        attributes: [
                            LDAPModification(.add, "objectClass", ["organizationalUnit"]),
                            LDAPModification(.add, "ou", ["clouds"]),
                        ])
                }
                self.logger.info("created the LDAP registry container")
            } catch  where error.resultCode == LDAP_ALREADY_EXISTS {
                // Created concurrently by another store or process: fine.
            } catch  where error.resultCode == LDAP_NO_SUCH_OBJECT {
                throw .storageFailure(
                    reason: "LDAP base DN '\(self.baseDN)' does not exist; create it first (\(error))")
            } catch {
                throw error.registryError
            }
        }
        self.containerReady.withLock { $0 = true }
    }

    /// Adds `cn=NAME,ou=clouds,BASE` (RFC 4511 §4.7); `entryAlreadyExists` becomes
    /// ``RegistryError/Code/alreadyExists``.
    public func add(_ entry: CloudEntry) async throws(RegistryError) {
        try await self.prepare()
        let dn = self.dn(of: entry.name)
        let attributes = Self.addAttributes(for: entry)
        try await self.perform { connection throws(LDAPOperationError) in
            try connection.add(dn: dn, attributes: attributes)
        }
    }

    /// Replaces every registry attribute of the entry atomically (RFC 4511 §4.6), keeping certificates;
    /// `noSuchObject` becomes ``RegistryError/Code/notFound``.
    public func update(_ entry: CloudEntry) async throws(RegistryError) {
        try await self.prepare()
        let dn = self.dn(of: entry.name)
        let changes = Self.replaceChanges(for: entry)
        try await self.perform { connection throws(LDAPOperationError) in
            try connection.modify(dn: dn, changes: changes)
        }
    }

    /// A base-scope search for the cloud's entry (RFC 4511 §4.5.1.2); `nil` if there is none.
    public func entry(named name: CloudName) async throws(RegistryError) -> CloudEntry? {
        try await self.prepare()
        let dn = self.dn(of: name)
        let filter = LDAPFilter.equal("objectClass", LDAPSchema.cloudClass).description
        let found = try await self.perform { connection throws(LDAPOperationError) -> [LDAPEntry] in
            do throws(LDAPOperationError) {
                return try connection.search(
                    base: dn, scope: .base, filter: filter, attributes: LDAPSchema.entryAttributes)
            } catch  where error.resultCode == LDAP_NO_SUCH_OBJECT {
                return []
            }
        }
        return try found.first.map { (ldap) throws(RegistryError) in try Self.cloudEntry(from: ldap) }
    }

    /// Every cloud, sorted by name.
    public func list() async throws(RegistryError) -> [CloudEntry] {
        try await self.list(matching: CloudFilter())
    }

    /// A one-level search under `ou=clouds` with the filter built from `filter` (RFC 4515, values escaped), sorted
    /// by name.
    ///
    /// The result is also checked against ``CloudFilter/matches(_:)``, so the directory's case-insensitive
    /// matching rules never make this backend answer differently from the others.
    public func list(matching filter: CloudFilter) async throws(RegistryError) -> [CloudEntry] {
        try await self.prepare()
        let base = self.cloudsDN
        let ldapFilter = filter.ldapFilter.description
        let found = try await self.perform { connection throws(LDAPOperationError) in
            try connection.search(
                base: base, scope: .oneLevel, filter: ldapFilter, attributes: LDAPSchema.entryAttributes)
        }
        var entries: [CloudEntry] = []
        for ldap in found {
            do {
                entries.append(try Self.cloudEntry(from: ldap))
            } catch {
                self.logger.info(
                    "skipping a malformed registry entry", metadata: [LDAPClient.MetadataKey.error: "\(error)"])
            }
        }
        return entries.filter(filter.matches).sorted { $0.name < $1.name }
    }

    /// Deletes the cloud's entry (RFC 4511 §4.8); `noSuchObject` becomes ``RegistryError/Code/notFound``.
    public func remove(named name: CloudName) async throws(RegistryError) {
        try await self.prepare()
        let dn = self.dn(of: name)
        try await self.perform { connection throws(LDAPOperationError) in try connection.delete(dn: dn) }
    }

    /// Runs `body` through the client, converting failures to ``RegistryError`` at this edge.
    func perform<Value: Sendable>(
        _ body: @escaping @Sendable (LDAPConnection) throws(LDAPOperationError) -> Value
    ) async throws(RegistryError) -> Value {
        do {
            return try await self.client.withConnection(body)
        } catch {
            throw error.registryError
        }
    }

    /// Whether libldap parses `dn` as an LDAPv3 DN string (RFC 4514 §3).
    private static func isValidDN(_ dn: String) -> Bool {
        var parsed: LDAPDN?
        guard ldap_str2dn(dn, &parsed, UInt32(LDAP_DN_FORMAT_LDAPV3)) == LDAP_SUCCESS else { return false }
        ldap_dnfree(parsed)
        return true
    }
}
