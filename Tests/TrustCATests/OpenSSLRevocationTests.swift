import Foundation
import Logging
import Testing

@testable import TrustCA

/// Real-peer check of cloud certificates and CRLs with OpenSSL (RFC 5280 §6.3).
@Suite struct OpenSSLRevocationTests {
    typealias F = TrustCAFixtures

    @Test(
        .enabled(if: FileManager.default.isExecutableFile(atPath: OpenSSLInteropTests.openssl), "needs openssl"),
        arguments: [KeyAlgorithm.p256, .rsa3072])
    func opensslChecksLeafAgainstTheCRL(algorithm: KeyAlgorithm) throws {
        let directory = try TemporaryDirectory("trustca-openssl-crl")
        defer { directory.remove() }
        let now = Date()
        let ca = try CertificateAuthority.loadOrCreate(
            directory: directory.path, domain: F.domain, now: now, algorithm: algorithm,
            publicBaseURL: "http://127.0.0.1:5280", logger: F.logger)
        let issued = try ca.issue(csrPEM: try F.csrPEM(key: try F.rsaKey()), subject: F.subject, now: now)
        let path = { (name: String) in "\(directory.path)/\(name)" }
        try Self.write(try ca.root.serializeAsPEM().pemString, to: path("root.pem"))
        try Self.write(try ca.intermediate.serializeAsPEM().pemString, to: path("intermediate.pem"))
        try Self.write(issued.chainPEM, to: path("chain.pem"))
        try Self.write(try issued.certificate.serializeAsPEM().pemString, to: path("leaf.pem"))

        let verify = [
            "verify", "-x509_strict", "-crl_check", "-purpose", "sslclient",
            "-CAfile", path("root.pem"), "-untrusted", path("intermediate.pem"),
            "-CRLfile", path("crl.pem"), path("leaf.pem"),
        ]
        try Self.write(try ca.currentCRLPEM(now: now), to: path("crl.pem"))
        let (okStatus, okOutput) = try OpenSSLInteropTests.run(verify)
        #expect(okStatus == 0 && okOutput.contains("OK"), "before revocation: \(okOutput)")

        try ca.revoke(serialHex: issued.serialHex, reason: .keyCompromise, now: now)
        let der = try ca.currentCRL(now: now)
        try Data(der).write(to: URL(fileURLWithPath: path("crl.der")))
        try Self.write(try ca.currentCRLPEM(now: now), to: path("crl.pem"))
        let (revokedStatus, revokedOutput) = try OpenSSLInteropTests.run(verify)
        #expect(revokedStatus != 0 && revokedOutput.contains("certificate revoked"), "after: \(revokedOutput)")

        let (crlStatus, text) = try OpenSSLInteropTests.run([
            "crl", "-inform", "DER", "-in", path("crl.der"), "-noout", "-text",
        ])
        #expect(crlStatus == 0, "openssl crl: \(text)")
        #expect(text.contains("Version 2"))
        #expect(text.contains("X509v3 CRL Number"))
        #expect(text.contains("X509v3 Authority Key Identifier"))
        #expect(text.contains("Key Compromise"))
        #expect(text.uppercased().contains(issued.serialHex.uppercased()))

        // The CRL's signature verifies against the intermediate.
        let (signatureStatus, signatureOutput) = try OpenSSLInteropTests.run([
            "crl", "-inform", "DER", "-in", path("crl.der"), "-noout", "-CAfile", path("intermediate.pem"),
        ])
        #expect(signatureStatus == 0 && signatureOutput.contains("verify OK"), "\(signatureOutput)")

        // openssl renders the xmppAddr as a UTF8String otherName and the AIA/CRL DP URLs.
        let (_, leafText) = try OpenSSLInteropTests.run(["x509", "-in", path("leaf.pem"), "-noout", "-text"])
        #expect(leafText.contains("XmppAddr::cloud-a@intercloud.localhost"), "\(leafText)")
        #expect(leafText.contains("URI:http://127.0.0.1:5280/v1/ca/crl"))
        #expect(leafText.contains("CA Issuers - URI:http://127.0.0.1:5280/v1/ca/certificates"))
    }

    static func write(_ text: String, to path: String) throws {
        try (text.hasSuffix("\n") ? text : text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}
