import Foundation
import Logging
import Registry
import Testing
import XMPPCore

@testable import RegistryLDAP

/// What only the LDAP backend has to prove (CONTRACT §6): administrators see ordinary entries with plain
/// `ldapsearch`, no password reaches the directory, a slapd restart is survived and filters cannot be injected.
@Suite struct LDAPRegistryStoreTests {
    /// A self-signed P-256 certificate for `CN=alpha` (DER, base64), as the CA would store it (RFC 4523 §2.1).
    static let certificate =
        "MIIBdTCCARugAwIBAgIUehZhc/qGZkIjvBwikhQmqLDp4lEwCgYIKoZIzj0EAwIwEDEOMAwGA1UEAwwFYWxwaGEwHhcNMjYx"
        + "MTIxMjAxOTU4WhcNMjYxMTIyMjAxOTU4WjAQMQ4wDAYDVQQDDAVhbHBoYTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABLLH"
        + "WIXE0Pna9LoBorS0pV5sC77kL1LgSfJYJUE2dg1U5lqh98dMMw5dpBEHWMeb1ko0yrt5YykuijjRncuS7nGjUzBRMB0GA1Ud"
        + "DgQWBBTzgPhMTWDAjp/Wn1BgxIpE7QB8HDAfBgNVHSMEGDAWgBTzgPhMTWDAjp/Wn1BgxIpE7QB8HDAPBgNVHRMBAf8EBTAD"
        + "AQH/MAoGCCqGSM49BAMCA0gAMEUCIH1qaijP+ilF+OYGQTM4ngEFcipZ1x9GfOzxcxkQKq4iAiEA/ByZE7mcs2g2a6GRIML2"
        + "HWwZ1sWPOhXA0+zSitB5Su4="

    /// A store under a fresh base DN of the shared private slapd.
    private func makeStore() throws -> (PrivateSlapd, LDAPRegistryStore, String) {
        let slapd = try PrivateSlapd.shared.get()
        let base = try slapd.makeBase()
        return (slapd, try Fixtures.ldapStore(on: slapd, baseDN: base), base)
    }

    @Test func ldapsearchSeesTheCloudButNoPassword() async throws {
        let (slapd, store, base) = try self.makeStore()
        let password = "correct-horse-battery-staple"
        try await store.add(try Fixtures.entry("alpha", password: password, trustLevel: 3))

        let ldif = try slapd.ldapSearch(base: "ou=clouds,\(base)", filter: "(icCloudName=alpha)")
        let lines = Set(ldif.split(separator: "\n").map(String.init))
        #expect(lines.contains("dn: cn=alpha,ou=clouds,\(base)"))
        #expect(lines.contains("objectClass: icCloud"))
        #expect(lines.contains("objectClass: pkiUser"))
        #expect(lines.contains("icCloudName: alpha"))
        #expect(lines.contains("icTrustLevel: 3"))
        #expect(lines.contains("icStatus: active"))
        #expect(lines.contains("icEndpoint: https://alpha.example/api"))
        #expect(lines.contains("icContact: ops@alpha.example"))
        #expect(lines.contains("icCreated: 20231114221320.5Z"))
        #expect(lines.filter { $0.hasPrefix("icScramCredential: SCRAM-SHA-256$4096$") }.count == 1)
        #expect(lines.filter { $0.hasPrefix("icScramCredential: SCRAM-SHA-1$4096$") }.count == 1)

        // Neither the password nor any encoding of it appears anywhere in the directory.
        let everything = try slapd.ldapSearch(base: base, attributes: ["*", "+"])
        for form in [password, Data(password.utf8).base64EncodedString(), "userPassword"] {
            #expect(!everything.contains(form))
        }
    }

    @Test func updateKeepsIssuedCertificates() async throws {
        let (slapd, store, base) = try self.makeStore()
        var entry = try Fixtures.entry("alpha")
        try await store.add(entry)
        let dn = "cn=alpha,ou=clouds,\(base)"
        let modify = try PrivateSlapd.run(
            "ldapmodify", ["-x", "-H", slapd.url, "-D", slapd.rootDN, "-w", slapd.password],
            input:
                "dn: \(dn)\nchangetype: modify\nadd: userCertificate;binary\nuserCertificate;binary:: \(Self.certificate)\n"
        )
        #expect(modify.status == 0, "\(modify.error)")
        entry.status = .suspended
        try await store.update(entry)
        let ldif = try slapd.ldapSearch(base: dn, attributes: ["userCertificate;binary", "icStatus"])
        #expect(ldif.contains("userCertificate;binary:: \(Self.certificate)"))
        #expect(ldif.contains("icStatus: suspended"))
        #expect(try await store.entry(named: entry.name) == entry)
    }

    @Test func theStoreSurvivesASlapdRestart() async throws {
        let slapd = try PrivateSlapd()
        let store = try Fixtures.ldapStore(on: slapd, baseDN: slapd.makeBase())
        try await store.add(try Fixtures.entry("alpha"))

        slapd.stop()
        let error = await #expect(throws: RegistryError.self) { try await store.list() }
        #expect(error?.code == .storageFailure)

        try slapd.start()
        try await store.add(try Fixtures.entry("beta", password: nil))
        #expect(try await store.list().map(\.name.rawValue) == ["alpha", "beta"])
        #expect(slapd.lastStartDuration < .seconds(2), "slapd took \(slapd.lastStartDuration) to start")
    }

    @Test func filterValuesCannotInject() async throws {
        let (_, store, _) = try self.makeStore()
        try await store.add(try Fixtures.entry("alpha", password: nil))
        var suspended = try Fixtures.entry("beta", password: nil)
        suspended.status = .suspended
        try await store.add(suspended)

        for prefix in ["*", "a*", "(", ")", "\\", "a*)(icStatus=*", "*)(|(icCloudName=*"] {
            #expect(try await store.list(matching: CloudFilter(namePrefix: prefix)).isEmpty, "prefix \(prefix)")
        }
        #expect(try await store.list(matching: CloudFilter(namePrefix: "")).count == 2)
        #expect(try await store.list(matching: CloudFilter(namePrefix: "al")).map(\.name.rawValue) == ["alpha"])
        #expect(try await store.list(matching: CloudFilter(status: .suspended)).map(\.name.rawValue) == ["beta"])
    }

    @Test func filtersAreEscapedPerRFC4515() {
        #expect(LDAPFilter.escape("a*(b)\\\u{0}é") == "a\\2a\\28b\\29\\5c\\00é")
        let filter = CloudFilter(status: .active, minimumTrustLevel: 2, namePrefix: "x*)(")
        #expect(
            filter.ldapFilter.description
                == "(&(objectClass=icCloud)(icStatus=active)(icTrustLevel>=2)(icCloudName=x\\2a\\29\\28*))")
        #expect(CloudFilter().ldapFilter.description == "(objectClass=icCloud)")
    }

    @Test func configurationErrorsAreStorageFailures() async throws {
        let logger = Logger(label: "test.registry.ldap")
        for (url, base, bind, password) in [
            ("http://127.0.0.1", "dc=x", "", ""), ("ldap://127.0.0.1", "not a dn", "", ""),
            ("ldap://127.0.0.1", "dc=x", "cn=admin,dc=x", ""),
        ] {
            let error = #expect(throws: RegistryError.self) {
                try LDAPRegistryStore(url: url, baseDN: base, bindDN: bind, password: password, logger: logger)
            }
            #expect(error?.code == .storageFailure)
        }

        let slapd = try PrivateSlapd.shared.get()
        let cases: [(LDAPRegistryStore, String)] = [
            (try Fixtures.ldapStore(on: slapd, baseDN: "ou=missing,\(slapd.suffix)"), "does not exist"),
            (
                try LDAPRegistryStore(
                    url: slapd.url, baseDN: slapd.suffix, bindDN: slapd.rootDN, password: "wrong", logger: logger),
                "Invalid credentials"
            ),
            (
                try LDAPRegistryStore(
                    url: "ldap://127.0.0.1:\(PrivateSlapd.freePort())", baseDN: slapd.suffix, bindDN: slapd.rootDN,
                    password: "x", timeout: .seconds(2), logger: logger),
                "Can't contact LDAP server"
            ),
        ]
        for (store, reason) in cases {
            let error = await #expect(throws: RegistryError.self) { try await store.prepare() }
            #expect(error?.code == .storageFailure)
            #expect(error?.reason.contains(reason) == true, "\(error?.reason ?? "")")
        }
    }

    @Test func malformedEntriesAreReportedNotFatal() async throws {
        let (slapd, store, base) = try self.makeStore()
        try await store.add(try Fixtures.entry("alpha", password: nil))
        try slapd.ldapAdd(
            """
            dn: cn=Not_Valid,ou=clouds,\(base)
            objectClass: icCloud
            cn: Not_Valid
            icCloudName: Not_Valid
            """)
        #expect(try await store.list().map(\.name.rawValue) == ["alpha"])
    }
}
