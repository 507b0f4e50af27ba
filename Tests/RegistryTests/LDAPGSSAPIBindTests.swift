import Foundation
import Logging
import Registry
import Testing

@testable import RegistryLDAP

/// The LDAP store's SASL GSSAPI bind (RFC 4513 §5.2.1, RFC 4752) against a slapd of a private Kerberos realm: the
/// contract suite runs over it as backend `ldapGSSAPI`; this suite covers what only the bind itself decides.
@Suite(.enabled(if: PrivateKDC.missingTools.isEmpty, "the Kerberos KDC tools are not installed"))
struct LDAPGSSAPIBindTests {
    static func logger() -> Logger {
        var logger = Logger(label: "test.registry.ldap.gssapi")
        logger.logLevel = .critical
        return logger
    }

    @Test func theStoreBindsWithTheKeytabAndWrites() async throws {
        let slapd = try PrivateSlapd.sharedGSSAPI.get()
        let base = try slapd.makeBase()
        let store = try Fixtures.gssapiLDAPStore(on: slapd, baseDN: base)
        try await store.add(try Fixtures.entry("gss-alpha"))
        #expect(try await store.entry(named: Fixtures.name("gss-alpha"))?.name.rawValue == "gss-alpha")
        // slapd saw the Kerberos identity, mapped to the rootdn by authz-regexp.
        let ldif = try slapd.ldapSearch(base: "cn=gss-alpha,ou=clouds,\(base)", attributes: ["creatorsName"])
        #expect(ldif.contains("creatorsName: \(slapd.rootDN)"))
        // The first principal of the keytab is the default.
        let implicit = try LDAPRegistryStore(
            url: slapd.gssapiURL, baseDN: base, gssapiKeytab: try PrivateKDC.shared.get().clientKeytab,
            principal: nil, logger: Self.logger())
        #expect(try await implicit.list().map(\.name.rawValue) == ["gss-alpha"])
    }

    @Test func aPrincipalMissingFromTheKeytabIsAStorageFailureNamingKerberos() async throws {
        let slapd = try PrivateSlapd.sharedGSSAPI.get()
        let store = try LDAPRegistryStore(
            url: slapd.gssapiURL, baseDN: slapd.suffix, gssapiKeytab: try PrivateKDC.shared.get().clientKeytab,
            principal: "someone-else@INTERCLOUD.TEST", logger: Self.logger())
        let error = await #expect(throws: RegistryError.self) { try await store.list() }
        #expect(error?.code == .storageFailure)
        #expect(error?.reason.contains("Kerberos credentials") == true, "\(error?.reason ?? "")")
    }

    @Test func theURLHostIsTheServiceHostWithoutCanonicalisation() async throws {
        // ldap://127.0.0.1 asks for ldap/127.0.0.1@REALM, which the realm does not have: no reverse lookup to
        // "localhost" rescues it (LDAP_OPT_X_SASL_NOCANON).
        let slapd = try PrivateSlapd.sharedGSSAPI.get()
        let store = try LDAPRegistryStore(
            url: slapd.url, baseDN: slapd.suffix, gssapiKeytab: try PrivateKDC.shared.get().clientKeytab,
            principal: nil, logger: Self.logger())
        let error = await #expect(throws: RegistryError.self) { try await store.list() }
        #expect(error?.code == .storageFailure)
        #expect(error?.reason.contains("SASL GSSAPI bind") == true, "\(error?.reason ?? "")")
    }
}
