import Foundation
import SwiftASN1
import Testing
import X509

@testable import TrustCA

/// Revocation and CRLs (RFC 5280 §5), and the store contract run against every backend (STYLE §11).
@Suite struct RevocationTests {
    typealias F = TrustCAFixtures

    @Test func revocationAppearsInTheNextCRLWithReasonAndHigherNumber() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try F.makeCA(directory)
        let issued = try ca.issue(csrPEM: try F.csrPEM(key: F.p256Key()), subject: F.subject, now: F.now)
        let other = try ca.issue(csrPEM: try F.csrPEM(key: F.p256Key()), subject: F.subject, now: F.now)

        let before = try ParsedCRL(der: try ca.currentCRL(now: F.now))
        #expect(before.version == 1)
        #expect(before.entries.isEmpty)
        #expect(before.issuer == ca.intermediate.subject)
        #expect(before.innerAlgorithm == before.outerAlgorithm)
        #expect(before.innerAlgorithm == [0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02])
        #expect(
            before.authorityKeyIdentifier
                == (try ca.intermediate.extensions.subjectKeyIdentifier?.keyIdentifier).map(Array.init))
        // Unchanged and fresh: the same bytes are served.
        #expect(try ca.currentCRL(now: F.now.addingTimeInterval(60)) == ca.currentCRL(now: F.now))

        try ca.revoke(serialHex: issued.serialHex, reason: .keyCompromise, now: F.now.addingTimeInterval(120))
        try ca.revoke(serialHex: other.serialHex.uppercased(), now: F.now.addingTimeInterval(130))
        #expect(try ca.isRevoked(serialHex: issued.serialHex))
        let after = try ParsedCRL(der: try ca.currentCRL(now: F.now.addingTimeInterval(180)))
        #expect(after.entries.count == 2)
        #expect(after.entries[0].serial == Array(issued.certificate.serialNumber.bytes))
        #expect(after.entries[0].reasonCode == RevocationReason.keyCompromise.rawValue)
        #expect(after.entries[1].reasonCode == nil)  // unspecified: extension omitted
        #expect(try #require(after.crlNumber) > (try #require(before.crlNumber)))

        // Revoking again is idempotent; the original reason stays.
        let again = try ca.revoke(serialHex: issued.serialHex, reason: .superseded, now: F.now.addingTimeInterval(200))
        #expect(again.reason == .keyCompromise)
    }

    @Test(arguments: [KeyAlgorithm.p256, .p384, .rsa3072])
    func crlSignatureVerifiesWithTheIntermediateKey(algorithm: KeyAlgorithm) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try F.makeCA(directory, algorithm: algorithm)
        let issued = try ca.issue(csrPEM: try F.csrPEM(key: F.p256Key()), subject: F.subject, now: F.now)
        try ca.revoke(serialHex: issued.serialHex, reason: .cessationOfOperation, now: F.now)
        let crl = try ParsedCRL(der: try ca.currentCRL(now: F.now))
        let signatureAlgorithm: Certificate.SignatureAlgorithm =
            switch algorithm {
            case .p256: .ecdsaWithSHA256
            case .p384: .ecdsaWithSHA384
            case .rsa3072: .sha256WithRSAEncryption
            }
        #expect(
            ca.intermediate.publicKey.isValidSignature(
                crl.signature, for: crl.tbsBytes, signatureAlgorithm: signatureAlgorithm))
        var tampered = crl.tbsBytes
        tampered[tampered.count - 1] ^= 1
        #expect(
            !ca.intermediate.publicKey.isValidSignature(
                crl.signature, for: tampered, signatureAlgorithm: signatureAlgorithm))
        if algorithm == .rsa3072 {
            // sha256WithRSAEncryption carries NULL parameters (RFC 4055 §5).
            #expect(crl.innerAlgorithm.suffix(2) == [0x05, 0x00])
        }
    }

    @Test func staleCRLIsReissuedBeforeNextUpdate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try F.makeCA(directory)
        let first = try ParsedCRL(der: try ca.currentCRL(now: F.now))
        let sameDay = try ParsedCRL(der: try ca.currentCRL(now: F.now.addingTimeInterval(3 * 86_400)))
        #expect(sameDay.crlNumber == first.crlNumber)
        let later = try ParsedCRL(der: try ca.currentCRL(now: F.now.addingTimeInterval(3.5 * 86_400)))
        #expect(try #require(later.crlNumber) > (try #require(first.crlNumber)))
        // The counter survives a restart.
        let reloaded = try F.makeCA(directory)
        let afterRestart = try ParsedCRL(der: try reloaded.currentCRL(now: F.now.addingTimeInterval(3.6 * 86_400)))
        #expect(try #require(afterRestart.crlNumber) > (try #require(later.crlNumber)))
    }

    @Test func unknownSerialsAndDeltaOnlyReasonsAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try F.makeCA(directory)
        #expect(throws: TrustCAError.unknownSerial(reason: "")) {
            try ca.revoke(serialHex: "4a3f", reason: .keyCompromise, now: F.now)
        }
        #expect(throws: TrustCAError.unknownSerial(reason: "")) {
            try ca.revoke(serialHex: "not-hex", now: F.now)
        }
        let issued = try ca.issue(csrPEM: try F.csrPEM(key: F.p256Key()), subject: F.subject, now: F.now)
        #expect(throws: TrustCAError.invalidRevocationReason(reason: "")) {
            try ca.revoke(serialHex: issued.serialHex, reason: .removeFromCRL, now: F.now)
        }
    }

    @Test func reasonNamesRoundTrip() {
        for reason in RevocationReason.allCases {
            #expect(RevocationReason(name: reason.name) == reason)
        }
        #expect(RevocationReason(name: "keycompromise") == .keyCompromise)
        #expect(RevocationReason(name: "bogus") == nil)
        #expect(SerialHex.normalise("00:0A:ff") == "0aff")
        #expect(SerialHex.string([0, 0, 0x0a]) == "0a")
    }

    @Test(arguments: ["memory", "file"])
    func storeContract(backend: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store: any RevocationStore =
            backend == "file" ? try FileRevocationStore(directory: directory.path) : InMemoryRevocationStore()
        let record = IssuedCertificateRecord(
            serialHex: "4a01", cloudName: "cloud-a", jid: "cloud-a@d", issuedAt: F.now, notAfter: F.now)
        try store.recordIssued(record)
        #expect(throws: TrustCAError.issuanceFailed(reason: "")) { try store.recordIssued(record) }
        #expect(try store.issued(serialHex: "004A01") == record)
        #expect(try store.issued(serialHex: "4a02") == nil)
        #expect(try store.revoked().isEmpty)
        let revoked = try store.revoke(serialHex: "4A01", reason: .superseded, at: F.now.addingTimeInterval(0.7))
        #expect(revoked.serialHex == "4a01" && revoked.cloudName == "cloud-a" && revoked.revocationDate == F.now)
        #expect(try store.revoked() == [revoked])
        let first = try store.nextCRLNumber()
        #expect(try store.nextCRLNumber() == first + 1)
        if backend == "file" {
            let reopened = try FileRevocationStore(directory: directory.path)
            #expect(reopened.revoked() == [revoked])
            #expect(reopened.issued(serialHex: "4a01") == record)
            #expect(try reopened.nextCRLNumber() == first + 2)
            #expect(try directory.mode(of: "ca/revoked.json") == 0o600)
        }
    }
}
