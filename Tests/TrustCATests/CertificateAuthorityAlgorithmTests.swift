import Crypto
import Foundation
import Testing
@_spi(FixedExpiryValidationTime) import X509
import _CryptoExtras

@testable import TrustCA

/// CA key algorithms, `ca init` and the offline root (RFC 5280 §6.1; docs/ca.md).
@Suite struct CertificateAuthorityAlgorithmTests {
    typealias F = TrustCAFixtures

    @Test(arguments: [KeyAlgorithm.p384, .rsa3072])
    func createsCAWithConfiguredAlgorithm(algorithm: KeyAlgorithm) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try CertificateAuthority.initialize(
            directory: directory.path, domain: F.domain, now: F.now, algorithm: algorithm, logger: F.logger)
        switch algorithm {
        case .p384:
            #expect(P384.Signing.PublicKey(ca.root.publicKey) != nil)
            #expect(P384.Signing.PublicKey(ca.intermediate.publicKey) != nil)
            #expect(ca.intermediate.signatureAlgorithm == .ecdsaWithSHA384)
        case .rsa3072:
            #expect(_RSA.Signing.PublicKey(ca.root.publicKey)?.keySizeInBits == 3072)
            #expect(_RSA.Signing.PublicKey(ca.intermediate.publicKey)?.keySizeInBits == 3072)
            #expect(ca.intermediate.signatureAlgorithm == .sha256WithRSAEncryption)
        case .p256:
            break
        }
        let issued = try ca.issue(csrPEM: try F.csrPEM(key: F.p256Key()), subject: F.subject, now: F.now)
        #expect(
            await ca.validateClientCertificate(chain: [issued.certificate], expectedJID: nil, now: F.now)
                == .valid(jid: F.subject.jid))
        // Reloading keeps the algorithm of the stored keys.
        let reloaded = try CertificateAuthority.loadOrCreate(
            directory: directory.path, domain: F.domain, now: F.now, logger: F.logger)
        #expect(reloaded.intermediate == ca.intermediate)
        #expect(throws: TrustCAError.alreadyInitialized(reason: "")) {
            try CertificateAuthority.initialize(
                directory: directory.path, domain: F.domain, now: F.now, logger: F.logger)
        }
    }

    @Test func runsWithTheRootKeyOffline() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let online = try F.makeCA(directory)
        #expect(online.isRootKeyOnline)
        try FileManager.default.moveItem(
            atPath: "\(directory.path)/ca/root.key", toPath: "\(directory.path)/root.key.offline")

        let offline = try F.makeCA(directory)
        #expect(!offline.isRootKeyOnline)
        #expect(offline.root == online.root && offline.intermediate == online.intermediate)
        let issued = try offline.issue(csrPEM: try F.csrPEM(key: F.p256Key()), subject: F.subject, now: F.now)
        #expect(
            await offline.validateClientCertificate(chain: [issued.certificate], expectedJID: nil, now: F.now)
                == .valid(jid: F.subject.jid))
        _ = try offline.currentCRL(now: F.now)

        // Near the intermediate's expiry the server keeps running; after it, a new one needs the root key.
        let nearExpiry = online.intermediate.notValidAfter.addingTimeInterval(-86_400)
        _ = try CertificateAuthority.loadOrCreate(
            directory: directory.path, domain: F.domain, now: nearExpiry, logger: F.logger)
        #expect(throws: TrustCAError.rootKeyOffline(reason: "")) {
            try CertificateAuthority.loadOrCreate(
                directory: directory.path, domain: F.domain,
                now: online.intermediate.notValidAfter.addingTimeInterval(1), logger: F.logger)
        }
        try FileManager.default.removeItem(atPath: "\(directory.path)/ca/intermediate.key")
        try FileManager.default.removeItem(atPath: "\(directory.path)/ca/intermediate.pem")
        #expect(throws: TrustCAError.rootKeyOffline(reason: "")) {
            try F.makeCA(directory)
        }

        // Bringing the root key back allows a new intermediate under the same root.
        try FileManager.default.moveItem(
            atPath: "\(directory.path)/root.key.offline", toPath: "\(directory.path)/ca/root.key")
        let renewed = try F.makeCA(directory)
        #expect(renewed.root == online.root && renewed.intermediate != online.intermediate)
    }
}
