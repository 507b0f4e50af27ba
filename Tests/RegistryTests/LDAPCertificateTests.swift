import Foundation
import Registry
import RegistryLDAP
import Testing

/// Administrators read certificates and the CRL with plain `ldapsearch` (CONTRACT §6, RFC 4523): the bytes the
/// store wrote come back unchanged in `attr;binary:: base64` lines.
@Suite struct LDAPCertificateTests {
    /// The values of `attribute` in `ldapsearch -LLL -o ldif-wrap=no` output, base64 (`::`) decoded.
    private func values(_ attribute: String, in ldif: String) -> [[UInt8]] {
        ldif.split(separator: "\n").compactMap { line -> [UInt8]? in
            if line.hasPrefix("\(attribute):: ") {
                return Data(base64Encoded: String(line.dropFirst(attribute.count + 3))).map(Array.init)
            }
            if line.hasPrefix("\(attribute): ") { return Array(line.dropFirst(attribute.count + 2).utf8) }
            return nil
        }
    }

    @Test func ldapsearchReadsIssuedCertificatesAndSerials() async throws {
        let slapd = try PrivateSlapd.shared.get()
        let base = try slapd.makeBase()
        let store = try Fixtures.ldapStore(on: slapd, baseDN: base)
        try await store.add(try Fixtures.entry("alpha"))
        let first = try Fixtures.certificate([0x0A, 0xBC])
        let second = try Fixtures.certificate(Array(repeating: 0xF1, count: 20), notAfter: Fixtures.expiry2051)
        try await store.addCertificate(first, to: Fixtures.name("alpha"))
        try await store.addCertificate(second, to: Fixtures.name("alpha"))

        let ldif = try slapd.ldapSearch(
            base: "cn=alpha,ou=clouds,\(base)", attributes: ["userCertificate;binary", "icCertificateSerial"])
        #expect(Set(self.values("userCertificate;binary", in: ldif)) == [first.der, second.der])
        #expect(
            Set(self.values("icCertificateSerial", in: ldif)) == [Array("0abc".utf8), Array(second.serialHex.utf8)])

        // an administrator's search by serial finds the same entry
        let bySerial = try slapd.ldapSearch(
            base: "ou=clouds,\(base)", filter: "(icCertificateSerial=0ABC)", attributes: ["1.1"])
        #expect(bySerial.contains("dn: cn=alpha,ou=clouds,\(base)"))
    }

    @Test func publishCAWritesAndReplacesTheCAEntry() async throws {
        let slapd = try PrivateSlapd.shared.get()
        let base = try slapd.makeBase()
        let store = try Fixtures.ldapStore(on: slapd, baseDN: base)
        let intermediate = TestDER.certificate(serial: [0x01], notAfter: Fixtures.expiry2051, subject: "Intermediate")
        let root = TestDER.certificate(serial: [0x02], notAfter: Fixtures.expiry2051, subject: "Root")
        let crl = TestDER.crl(revoked: [[0x0A, 0xBC]])
        try await store.publishCA(certificates: [intermediate, root], crl: crl)

        let attributes = ["objectClass", "cn", "cACertificate;binary", "certificateRevocationList;binary"]
        var ldif = try slapd.ldapSearch(base: "cn=ca,\(base)", attributes: attributes)
        #expect(ldif.contains("objectClass: pkiCA"))
        #expect(ldif.contains("cn: ca"))
        #expect(Set(self.values("cACertificate;binary", in: ldif)) == [intermediate, root])
        #expect(self.values("certificateRevocationList;binary", in: ldif) == [crl])

        // a later publication replaces both attributes on the existing entry
        let newer = TestDER.crl(revoked: [[0x0A, 0xBC], [0x42]], thisUpdate: Fixtures.expiry2030)
        try await store.publishCA(certificates: [intermediate], crl: newer)
        ldif = try slapd.ldapSearch(base: "cn=ca,\(base)", attributes: attributes)
        #expect(self.values("cACertificate;binary", in: ldif) == [intermediate])
        #expect(self.values("certificateRevocationList;binary", in: ldif) == [newer])
    }
}
