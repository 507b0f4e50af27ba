import Crypto
import Foundation
import Logging
import SwiftASN1
import X509
import _CryptoExtras

@testable import TrustCA

/// Shared set-up for the issuance, revocation and validation suites.
enum TrustCAFixtures {
    static let domain = "intercloud.localhost"
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let logger = Logger(label: "test.trustca")
    static let subject = IssuedSubject(
        cloudName: "cloud-a", jid: "cloud-a@intercloud.localhost",
        dnsNames: ["cloud-a.intercloud.localhost", "api.cloud-a.intercloud.localhost"])

    /// A fresh CA in `directory`.
    static func makeCA(
        _ directory: TemporaryDirectory,
        algorithm: KeyAlgorithm = .p256,
        domain: String = Self.domain
    ) throws -> CertificateAuthority {
        try CertificateAuthority.loadOrCreate(
            directory: directory.path, domain: domain, now: Self.now, algorithm: algorithm,
            publicBaseURL: "http://127.0.0.1:5280", logger: Self.logger)
    }

    /// A PEM CSR whose subject and requested SANs differ from what the registry says (they must be ignored).
    static func csrPEM(key: Certificate.PrivateKey) throws -> String {
        let extensions = try Certificate.Extensions {
            SubjectAlternativeNames([.dnsName("evil.example"), .dnsName("intercloud.localhost")])
        }
        let csr = try CertificateSigningRequest(
            version: .v1,
            subject: DistinguishedName { CommonName("admin") },
            privateKey: key,
            attributes: CertificateSigningRequest.Attributes([
                .init(ExtensionRequest(extensions: extensions))
            ]),
            signatureAlgorithm: key.publicKey.isRSA ? .sha256WithRSAEncryption : .ecdsaWithSHA256
        )
        return try csr.serializeAsPEM().pemString
    }

    static func p256Key() -> Certificate.PrivateKey {
        Certificate.PrivateKey(P256.Signing.PrivateKey())
    }

    static func rsaKey() throws -> Certificate.PrivateKey {
        Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048))
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}

extension Certificate.PublicKey {
    var isRSA: Bool { _RSA.Signing.PublicKey(self) != nil }
}

/// A CRL decoded independently of the encoder, with SwiftASN1 primitives (RFC 5280 §5.1).
struct ParsedCRL {
    struct Entry {
        var serial: [UInt8]
        var reasonCode: Int?
    }

    var tbsBytes: [UInt8] = []
    var version = -1
    var innerAlgorithm: [UInt8] = []
    var outerAlgorithm: [UInt8] = []
    var issuer = DistinguishedName()
    var entries: [Entry] = []
    var crlNumber: Int?
    var authorityKeyIdentifier: [UInt8]?
    var signature: [UInt8] = []

    init(der: [UInt8]) throws {
        let root = try DER.parse(der)
        var tbsNode: ASN1Node?
        try DER.sequence(root, identifier: .sequence) { nodes in
            tbsNode = nodes.next()
            self.outerAlgorithm = Array(nodes.next()!.encodedBytes)
            self.signature = Array(try ASN1BitString(derEncoded: &nodes).bytes)
        }
        guard let tbs = tbsNode else { throw ParseError() }
        self.tbsBytes = Array(tbs.encodedBytes)
        try DER.sequence(tbs, identifier: .sequence) { nodes in
            self.version = try Int(derEncoded: &nodes)
            self.innerAlgorithm = Array(nodes.next()!.encodedBytes)
            self.issuer = try DistinguishedName(derEncoded: nodes.next()!)
            _ = nodes.next()  // thisUpdate
            _ = nodes.next()  // nextUpdate
            while let node = nodes.next() {
                if node.identifier == .sequence {
                    guard case .constructed(let children) = node.content else { throw ParseError() }
                    self.entries = try children.map { try Self.entry($0) }
                } else {
                    let extensions = try DER.explicitlyTagged(node, tagNumber: 0, tagClass: .contextSpecific) {
                        try DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: $0)
                    }
                    for ext in extensions where ext.oid == [2, 5, 29, 20] {
                        self.crlNumber = try Int(derEncoded: Array(ext.value)[...])
                    }
                    for ext in extensions where ext.oid == [2, 5, 29, 35] {
                        self.authorityKeyIdentifier = try AuthorityKeyIdentifier(ext).keyIdentifier.map(Array.init)
                    }
                }
            }
        }
    }

    private static func entry(_ node: ASN1Node) throws -> Entry {
        try DER.sequence(node, identifier: .sequence) { nodes in
            guard case .primitive(let serialBytes) = nodes.next()!.content else { throw ParseError() }
            _ = nodes.next()  // revocationDate
            var reason: Int?
            if let extensionsNode = nodes.next() {
                let extensions = try DER.sequence(
                    of: Certificate.Extension.self, identifier: .sequence, rootNode: extensionsNode)
                for ext in extensions where ext.oid == [2, 5, 29, 21] {
                    let value = Array(ext.value)
                    guard value.count == 3, value[0] == 0x0A, value[1] == 1 else { throw ParseError() }
                    reason = Int(value[2])
                }
            }
            return Entry(serial: Array(serialBytes.drop { $0 == 0 }), reasonCode: reason)
        }
    }

    struct ParseError: Error {}
}
