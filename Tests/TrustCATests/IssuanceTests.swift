import Crypto
import Foundation
import SwiftASN1
import Testing
@_spi(FixedExpiryValidationTime) import X509

@testable import TrustCA

/// Issuance from PKCS#10 CSRs for registered clouds (RFC 2986, RFC 5280 §4.2, RFC 6120 §13.7.1.4).
@Suite struct IssuanceTests {
    typealias F = TrustCAFixtures

    @Test(arguments: ["p256", "rsa"])
    func leafFromCSRValidatesToTheRoot(keyType: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try F.makeCA(directory)
        let key = keyType == "rsa" ? try F.rsaKey() : F.p256Key()
        let issued = try ca.issue(csrPEM: try F.csrPEM(key: key), subject: F.subject, now: F.now)
        let leaf = issued.certificate

        #expect(leaf.publicKey == key.publicKey)
        #expect(issued.notAfter == F.now.addingTimeInterval(90 * 86_400))
        #expect(issued.serialHex == SerialHex.string(leaf.serialNumber))
        #expect(issued.serialHex.count == 40 && issued.serialHex == issued.serialHex.lowercased())
        #expect(!issued.serialHex.hasPrefix("00"))
        let chain = try PEMDocument.parseMultiple(pemString: issued.chainPEM).map { try Certificate(pemDocument: $0) }
        #expect(chain == [leaf, ca.intermediate])

        var verifier = Verifier(rootCertificates: CertificateStore([ca.root])) {
            RFC5280Policy(fixedExpiryValidationTime: F.now.addingTimeInterval(60))
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore([ca.intermediate]))
        guard case .validCertificate(let path) = result else {
            Issue.record("chain did not validate: \(result)")
            return
        }
        #expect(path.count == 3)
        #expect(
            try leaf.extensions.keyUsage
                == KeyUsage(digitalSignature: true, keyEncipherment: keyType == "rsa"))
    }

    @Test func profileTakesNamesFromTheRegistryOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try F.makeCA(directory)
        let leaf = try ca.issue(csrPEM: try F.csrPEM(key: F.p256Key()), subject: F.subject, now: F.now).certificate

        #expect(
            leaf.subject
                == (try DistinguishedName {
                    OrganizationName("Intercloud Root"); CommonName("cloud-a")
                }))
        let names = try #require(try leaf.extensions.subjectAlternativeNames)
        let dns = names.compactMap { name -> String? in
            if case .dnsName(let host) = name { return host }
            return nil
        }
        #expect(dns == F.subject.dnsNames)
        #expect(try XMPPAddressPolicy.xmppAddresses(of: leaf) == [F.subject.jid])
        // RFC 6120 §13.7.1.4: the otherName value is [0] EXPLICIT UTF8String (tag 0x0C), not IA5String.
        let other = try #require(
            names.compactMap { name -> GeneralName.OtherName? in
                if case .otherName(let other) = name { return other }
                return nil
            }.first)
        #expect(other.typeID == [1, 3, 6, 1, 5, 5, 7, 8, 5])
        var serializer = DER.Serializer()
        try serializer.serialize(try #require(other.value))
        #expect(serializer.serializedBytes.first == 0x0C)
        let sanDER = try #require(leaf.extensions.first { $0.oid == .X509ExtensionID.subjectAlternativeName }).value
        let jidBytes = Array("cloud-a@intercloud.localhost".utf8)
        #expect(Self.contains(Array(sanDER), [0x0C, UInt8(jidBytes.count)] + jidBytes))

        #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
        let usages = try #require(try leaf.extensions.extendedKeyUsage)
        #expect(usages.contains(.clientAuth) && usages.contains(.serverAuth))
        #expect(try leaf.extensions.keyUsage == KeyUsage(digitalSignature: true))
        #expect(
            try leaf.extensions.authorityKeyIdentifier?.keyIdentifier
                == ca.intermediate.extensions.subjectKeyIdentifier?.keyIdentifier)
        #expect(try leaf.extensions.subjectKeyIdentifier == SubjectKeyIdentifier(hash: leaf.publicKey))
        let access = try #require(try leaf.extensions.authorityInformationAccess)
        #expect(
            Array(access) == [
                .init(
                    method: .issuingCA, location: .uniformResourceIdentifier("http://127.0.0.1:5280/v1/ca/certificates")
                )
            ])
        let crlDP = try #require(leaf.extensions.first { $0.oid == [2, 5, 29, 31] })
        #expect(!crlDP.critical)
        #expect(CertificateProfile.crlDistributionPointURL(crlDP) == "http://127.0.0.1:5280/v1/ca/crl")
        let critical = leaf.extensions.filter(\.critical).map(\.oid)
        #expect(Set(critical) == [.X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage])
        // Nothing from the CSR's extensionRequest leaked in.
        #expect(!names.contains(.dnsName("evil.example")))
    }

    @Test func tamperedGarbageAndUnsupportedCSRsAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try F.makeCA(directory)

        let pem = try F.csrPEM(key: F.p256Key())
        var der = try PEMDocument(pemString: pem).derBytes
        der[der.count - 1] ^= 0x01
        let tampered = PEMDocument(type: "CERTIFICATE REQUEST", derBytes: der).pemString
        #expect(throws: TrustCAError.badCSRSignature(reason: "")) {
            try ca.issue(csrPEM: tampered, subject: F.subject, now: F.now)
        }
        #expect(throws: TrustCAError.invalidCSR(reason: "")) {
            try ca.issue(csrPEM: "not a certificate request", subject: F.subject, now: F.now)
        }
        #expect(throws: TrustCAError.invalidCSR(reason: "")) {
            try ca.issue(csrDER: [0x30, 0x03, 0x02, 0x01, 0x00], subject: F.subject, now: F.now)
        }
        let ed25519 = Certificate.PrivateKey(Curve25519.Signing.PrivateKey())
        let edCSR = try CertificateSigningRequest(
            version: .v1, subject: DistinguishedName { CommonName("x") }, privateKey: ed25519,
            attributes: .init(), signatureAlgorithm: .ed25519)
        #expect(throws: TrustCAError.unsupportedKey(reason: "")) {
            try ca.issue(csrPEM: try edCSR.serializeAsPEM().pemString, subject: F.subject, now: F.now)
        }
        // The PEM label of older tools is accepted, and DER works too.
        let legacy = pem.replacingOccurrences(of: "CERTIFICATE REQUEST", with: "NEW CERTIFICATE REQUEST")
        _ = try ca.issue(csrPEM: legacy, subject: F.subject, now: F.now)
        _ = try ca.issue(csrDER: try PEMDocument(pemString: pem).derBytes, subject: F.subject, now: F.now)
    }

    @Test func subjectsOutsideThePermittedSubtreeAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try F.makeCA(directory)
        let pem = try F.csrPEM(key: F.p256Key())
        let bad = [
            IssuedSubject(cloudName: "cloud-a", jid: "cloud-a@intercloud.localhost", dnsNames: ["cloud-a.example"]),
            IssuedSubject(
                cloudName: "cloud-a", jid: "cloud-a@intercloud.localhost", dnsNames: ["xintercloud.localhost"]),
            IssuedSubject(cloudName: "cloud-a", jid: "cloud-a@other.example"),
            IssuedSubject(cloudName: "cloud-a", jid: "cloud-a@intercloud.localhost/res"),
            IssuedSubject(cloudName: "Cloud A", jid: "cloud-a@intercloud.localhost"),
            IssuedSubject(
                cloudName: "cloud-a", jid: "cloud-a@intercloud.localhost", dnsNames: ["bad_host.intercloud.localhost"]),
        ]
        for subject in bad {
            #expect(throws: TrustCAError.invalidSubject(reason: ""), "\(subject)") {
                try ca.issue(csrPEM: pem, subject: subject, now: F.now)
            }
        }
        // No endpoint hosts: the SAN holds only the xmppAddr; the domain itself is permitted.
        let bare = try ca.issue(
            csrPEM: pem, subject: IssuedSubject(cloudName: "cloud-b", jid: "cloud-b@intercloud.localhost"),
            now: F.now, validity: 86_400)
        #expect(bare.notAfter == F.now.addingTimeInterval(86_400))
        _ = try ca.issue(
            csrPEM: pem,
            subject: IssuedSubject(cloudName: "cloud-c", jid: "cloud-c@intercloud.localhost", dnsNames: [F.domain]),
            now: F.now)
    }

    @Test func issuedSerialsAreRecorded() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try F.makeCA(directory)
        let issued = try ca.issue(csrPEM: try F.csrPEM(key: F.p256Key()), subject: F.subject, now: F.now)
        let record = try #require(try ca.revocations.issued(serialHex: issued.serialHex.uppercased()))
        #expect(record.cloudName == "cloud-a" && record.jid == F.subject.jid && record.notAfter == issued.notAfter)
        #expect(try directory.mode(of: "ca/issued.json") == 0o600)
        let reopened = try FileRevocationStore(directory: directory.path)
        #expect(reopened.issued(serialHex: issued.serialHex) == record)
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}
