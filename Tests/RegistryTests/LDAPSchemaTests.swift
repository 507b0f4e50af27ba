import Foundation
import Testing
import XMPPCore

@testable import RegistryLDAP

/// The schema files load into OpenLDAP in both forms (CONTRACT §6), and the value encodings round-trip.
@Suite struct LDAPSchemaTests {
    /// A fresh temporary directory, removed by the caller.
    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("db"), withIntermediateDirectories: true)
        return directory
    }

    @Test func slaptestAcceptsTheSlapdConfSchema() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("slapd.conf")
        try """
        include /etc/ldap/schema/core.schema
        include /etc/ldap/schema/cosine.schema
        include /etc/ldap/schema/inetorgperson.schema
        include \(PrivateSlapd.schemaFile("intercloud.schema"))
        modulepath /usr/lib/ldap
        moduleload back_mdb
        database mdb
        suffix "dc=intercloud,dc=test"
        directory \(directory.path)/db

        """.write(to: config, atomically: true, encoding: .utf8)
        let result = try PrivateSlapd.run("slaptest", ["-u", "-f", config.path])
        #expect(result.status == 0, "\(result.error)")
    }

    @Test func slapaddLoadsTheConfigLDIFSchema() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let slapdD = directory.appendingPathComponent("slapd.d")
        try FileManager.default.createDirectory(at: slapdD, withIntermediateDirectories: true)
        let ldif = directory.appendingPathComponent("config.ldif")
        try """
        dn: cn=config
        objectClass: olcGlobal
        cn: config

        dn: cn=module{0},cn=config
        objectClass: olcModuleList
        cn: module{0}
        olcModulePath: /usr/lib/ldap
        olcModuleLoad: back_mdb

        dn: cn=schema,cn=config
        objectClass: olcSchemaConfig
        cn: schema

        include: file:///etc/ldap/schema/core.ldif
        include: file:///etc/ldap/schema/cosine.ldif
        include: file:///etc/ldap/schema/inetorgperson.ldif
        include: file://\(PrivateSlapd.schemaFile("intercloud.ldif"))

        dn: olcDatabase={1}mdb,cn=config
        objectClass: olcDatabaseConfig
        objectClass: olcMdbConfig
        olcDatabase: {1}mdb
        olcSuffix: dc=intercloud,dc=test
        olcDbDirectory: \(directory.path)/db

        """.write(to: ldif, atomically: true, encoding: .utf8)
        let result = try PrivateSlapd.run("slapadd", ["-n", "0", "-F", slapdD.path, "-l", ldif.path])
        #expect(result.status == 0, "\(result.error)")
        let loaded = slapdD.appendingPathComponent("cn=config/cn=schema/cn={3}intercloud.ldif")
        let text = try String(contentsOf: loaded, encoding: .utf8)
        #expect(text.contains("NAME 'icCloud'"))
        #expect(text.components(separatedBy: "olcAttributeTypes:").count - 1 == 10)
        #expect(text.contains("NAME 'icCertificateSerial'"))
    }

    @Test(arguments: [
        Date(timeIntervalSince1970: 1_700_000_000.5), Date(timeIntervalSince1970: 0), Date(),
        Date(timeIntervalSinceReferenceDate: 0.000_000_123), Date(timeIntervalSince1970: -86_400.25),
        Date(timeIntervalSince1970: 4_102_444_800.999_999),
    ])
    func generalizedTimeRoundTripsExactly(date: Date) {
        let text = GeneralizedTime.format(date)
        #expect(GeneralizedTime.parse(text) == date, "\(text)")
        #expect(text.hasSuffix("Z"))
    }

    @Test func generalizedTimeReadsAdministratorForms() {
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(GeneralizedTime.format(base) == "20231114221320Z")
        #expect(GeneralizedTime.parse("20231114221320Z") == base)
        #expect(GeneralizedTime.parse("20231114231320+0100") == base)
        #expect(GeneralizedTime.parse("20231114221320,0Z") == base)
        #expect(GeneralizedTime.parse("202311142213Z") == Date(timeIntervalSince1970: 1_699_999_980))
        for invalid in ["", "2023", "20231314221320Z", "20231114221320", "20231114221320.Z", "20231114221320Zx"] {
            #expect(GeneralizedTime.parse(invalid) == nil, "\(invalid)")
        }
    }

    @Test func scramCredentialValuesRoundTrip() {
        let credentials = SCRAMCredentials.derive(
            password: "pencil", salt: Array(repeating: 7, count: 16), iterations: 4096, hash: .sha256)
        let value = credentials.ldapValue
        #expect(value.hasPrefix("SCRAM-SHA-256$4096$BwcHBwcHBwcHBwcHBwcHBw==$"))
        #expect(!value.contains("pencil"))
        #expect(SCRAMCredentials(ldapValue: value) == credentials)
        #expect(SCRAMCredentials(ldapValue: "SCRAM-SHA-512$4096$AA==$AA==$AA==") == nil)
        #expect(SCRAMCredentials(ldapValue: "SCRAM-SHA-1$x$AA==$AA==$AA==") == nil)
    }
}
