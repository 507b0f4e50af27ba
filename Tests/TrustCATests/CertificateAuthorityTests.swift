import Foundation
import Logging
import Testing
@_spi(FixedExpiryValidationTime) import X509

@testable import TrustCA

/// CA creation, persistence and server issuance (CONTRACT §2, RFC 5280 §4.2).
@Suite struct CertificateAuthorityTests {
    let domain = "intercloud.localhost"
    let now = Date(timeIntervalSince1970: 1_750_000_000)
    let logger = Logger(label: "test.trustca")

    @Test func firstStartCreatesFilesWithPrivateModes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try CertificateAuthority.loadOrCreate(
            directory: directory.path, domain: self.domain, now: self.now, logger: self.logger)
        _ = try ca.loadOrIssueServerCertificate(
            directory: directory.path, domain: self.domain, now: self.now, logger: self.logger)

        #expect(try directory.mode(of: "ca") == 0o700)
        #expect(try directory.mode(of: "ca/root.key") == 0o600)
        #expect(try directory.mode(of: "ca/intermediate.key") == 0o600)
        #expect(FileManager.default.fileExists(atPath: "\(directory.path)/ca/root.pem"))
        #expect(FileManager.default.fileExists(atPath: "\(directory.path)/ca/intermediate.pem"))
        #expect(try directory.mode(of: "tls") == 0o700)
        #expect(try directory.mode(of: "tls/server.key") == 0o600)
        #expect(FileManager.default.fileExists(atPath: "\(directory.path)/tls/server.pem"))

        let root = try ca.root.extensions.basicConstraints
        #expect(root == .isCertificateAuthority(maxPathLength: nil))
        #expect(try ca.intermediate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try ca.intermediate.extensions.nameConstraints?.permittedDNSDomains == [self.domain])
        #expect(ca.chainPEM.hasPrefix(try ca.intermediate.serializeAsPEM().pemString))
    }

    @Test func secondLoadReturnsTheSameCertificates() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try CertificateAuthority.loadOrCreate(
            directory: directory.path, domain: self.domain, now: self.now, logger: self.logger)
        let second = try CertificateAuthority.loadOrCreate(
            directory: directory.path, domain: self.domain, now: self.now.addingTimeInterval(3600), logger: self.logger)
        #expect(try Self.der(first.root) == Self.der(second.root))
        #expect(try Self.der(first.intermediate) == Self.der(second.intermediate))

        let server1 = try first.loadOrIssueServerCertificate(
            directory: directory.path, domain: self.domain, now: self.now, logger: self.logger)
        let server2 = try second.loadOrIssueServerCertificate(
            directory: directory.path, domain: self.domain, now: self.now.addingTimeInterval(86_400),
            logger: self.logger)
        #expect(server1.certificateChain == server2.certificateChain)

        // Within 30 days of expiry the server certificate is renewed.
        let server3 = try second.loadOrIssueServerCertificate(
            directory: directory.path, domain: self.domain, now: self.now.addingTimeInterval(70 * 86_400),
            logger: self.logger)
        #expect(server3.certificateChain[0] != server1.certificateChain[0])
    }

    @Test func refusesCAOfAnotherDomain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try CertificateAuthority.loadOrCreate(
            directory: directory.path, domain: self.domain, now: self.now, logger: self.logger)
        #expect(throws: TrustCAError.invalidCertificate(reason: "")) {
            try CertificateAuthority.loadOrCreate(
                directory: directory.path, domain: "other.example", now: self.now, logger: self.logger)
        }
    }

    @Test func refusesWorldReadableKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try CertificateAuthority.loadOrCreate(
            directory: directory.path, domain: self.domain, now: self.now, logger: self.logger)
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o644], ofItemAtPath: "\(directory.path)/ca/root.key")
        #expect(throws: TrustCAError.permissionDenied(reason: "")) {
            try CertificateAuthority.loadOrCreate(
                directory: directory.path, domain: self.domain, now: self.now, logger: self.logger)
        }
    }

    @Test func serverLeafValidatesToTheRoot() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try CertificateAuthority.loadOrCreate(
            directory: directory.path, domain: self.domain, now: self.now, logger: self.logger)
        let credentials = try ca.loadOrIssueServerCertificate(
            directory: directory.path, domain: self.domain, now: self.now, logger: self.logger)
        #expect(credentials.certificateChain.count == 2)
        #expect(credentials.certificateChain[1] == ca.intermediate)

        let validationTime = self.now.addingTimeInterval(60)
        var verifier = Verifier(rootCertificates: CertificateStore([ca.root])) {
            RFC5280Policy(fixedExpiryValidationTime: validationTime)
        }
        let result = await verifier.validate(
            leaf: credentials.certificateChain[0],
            intermediates: CertificateStore([ca.intermediate])
        )
        guard case .validCertificate(let chain) = result else {
            Issue.record("chain did not validate: \(result)")
            return
        }
        #expect(chain.count == 3)
    }

    @Test func serverLeafHasSANsAndEKUs() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try CertificateAuthority.loadOrCreate(
            directory: directory.path, domain: self.domain, now: self.now, logger: self.logger)
        let leaf = try ca.loadOrIssueServerCertificate(
            directory: directory.path, domain: self.domain, now: self.now, validity: 10 * 86_400,
            logger: self.logger
        ).certificateChain[0]

        let names = try #require(try leaf.extensions.subjectAlternativeNames)
        #expect(Array(names) == [.dnsName(self.domain), .dnsName("directory.\(self.domain)")])
        let usages = try #require(try leaf.extensions.extendedKeyUsage)
        #expect(usages.contains(.serverAuth))
        #expect(usages.contains(.clientAuth))
        #expect(try leaf.extensions.keyUsage == KeyUsage(digitalSignature: true))
        #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
        // Exactly basicConstraints and keyUsage are critical.
        let critical = leaf.extensions.filter(\.critical)
        #expect(critical.count == 2)
        #expect(critical.allSatisfy { (try? KeyUsage($0)) != nil || (try? BasicConstraints($0)) != nil })
        #expect(
            try leaf.extensions.authorityKeyIdentifier?.keyIdentifier
                == ca.intermediate.extensions.subjectKeyIdentifier?.keyIdentifier)
        #expect(try leaf.extensions.subjectKeyIdentifier != nil)
        #expect(leaf.notValidAfter == self.now.addingTimeInterval(10 * 86_400))
        #expect(Array(leaf.serialNumber.bytes).count <= 20)
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        try CertificateAuthority.der(of: certificate)
    }
}
