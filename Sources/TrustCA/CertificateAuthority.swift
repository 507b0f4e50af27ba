import Crypto
import Foundation
import Logging
import X509

/// The Intercloud Root certificate authority: a self-signed root and the issuing intermediate it certifies.
///
/// Only the intermediate's key signs end-entity certificates, so the root key can later be moved offline
/// (RFC 5280 §6.1 path of root → intermediate → leaf). The intermediate carries DNS name constraints permitting
/// only the served domain and its subdomains (RFC 5280 §4.2.1.10).
///
/// On disk (CONTRACT §2): `DIR/ca/root.key`, `DIR/ca/root.pem`, `DIR/ca/intermediate.key`,
/// `DIR/ca/intermediate.pem`; keys are PKCS#8 PEM with mode 0600, the `ca` directory has mode 0700.
public struct CertificateAuthority: Sendable {
    /// The self-signed trust anchor (RFC 5280 §6.1.1 (d)).
    public let root: Certificate

    /// The issuing CA certificate, signed by ``root``, `pathLenConstraint` 0 (RFC 5280 §4.2.1.9).
    public let intermediate: Certificate

    /// The key of ``intermediate``; signs every end-entity certificate and CRL.
    package let intermediatePrivateKey: Certificate.PrivateKey

    /// The XMPP domain this CA serves; also its only permitted DNS subtree (RFC 5280 §4.2.1.10).
    package let domain: String

    /// Source of RFC 5280 §4.1.2.2-compliant serial numbers for everything this CA issues.
    package let serials: SerialNumberGenerator

    /// PEM of ``intermediate`` then ``root``, as served by `GET /v1/ca/certificates` (CONTRACT §4).
    public var chainPEM: String {
        // Both certificates were parsed from or serialised to PEM, so serialisation cannot fail in practice.
        let pems = [self.intermediate, self.root].compactMap { try? $0.serializeAsPEM().pemString }
        return pems.map { $0 + "\n" }.joined()
    }

    /// Loads the CA from `DIR/ca/`, or creates it on first start (CONTRACT §2).
    ///
    /// Creates a P-256 root (self-signed; BasicConstraints CA critical; KeyUsage keyCertSign + cRLSign critical;
    /// SKI) and an issuing intermediate (pathLen 0; AKI/SKI; critical DNS name constraints permitting `domain`),
    /// RFC 5280 §4.2.1. If the root exists but the intermediate is missing or expires within 30 days, a new
    /// intermediate is issued from the stored root. A CA created for another domain is refused.
    ///
    /// - Parameters:
    ///   - directory: The data directory (`--data-dir`).
    ///   - domain: The XMPP domain D, a DNS name.
    ///   - now: The current time (injected).
    ///   - serials: Serial number source (injected randomness).
    ///   - logger: Where creation and loading are reported.
    public static func loadOrCreate(
        directory: String,
        domain: String,
        now: Date,
        serials: SerialNumberGenerator = .system,
        logger: Logger
    ) throws(TrustCAError) -> CertificateAuthority {
        try Self.validate(domain: domain)
        var logger = logger
        logger[metadataKey: MetadataKey.domain] = "\(domain)"
        let paths = Paths(directory: directory)
        try SecureFile.ensureDirectory(paths.caDirectory, mode: SecureFile.directoryMode)

        let rootKeyPEM = try SecureFile.readPrivateString(paths.rootKey)
        let rootPEM = try SecureFile.readString(paths.rootCertificate)
        let intermediateKeyPEM = try SecureFile.readPrivateString(paths.intermediateKey)
        let intermediatePEM = try SecureFile.readString(paths.intermediateCertificate)

        let profile = CertificateProfile(domain: domain, serials: serials)
        let root: Certificate
        let rootKey: Certificate.PrivateKey
        switch (rootKeyPEM, rootPEM) {
        case (nil, nil):
            guard intermediateKeyPEM == nil, intermediatePEM == nil else {
                throw .invalidCertificate(reason: "\(paths.caDirectory) holds an intermediate but no root; refusing")
            }
            rootKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
            root = try profile.makeRoot(key: rootKey, now: now)
            try SecureFile.writeAtomically(try Self.pem(of: rootKey), to: paths.rootKey, mode: SecureFile.privateMode)
            try SecureFile.writeAtomically(
                try Self.pem(of: root), to: paths.rootCertificate, mode: SecureFile.publicMode)
            logger.info(
                "created root CA certificate",
                metadata: [MetadataKey.serial: "\(root.serialNumber)", MetadataKey.path: "\(paths.rootCertificate)"]
            )
        case (let keyPEM?, let certificatePEM?):
            rootKey = try Self.parseKey(keyPEM, path: paths.rootKey)
            root = try Self.parseCertificate(certificatePEM, path: paths.rootCertificate)
            try Self.check(root, matches: rootKey, path: paths.rootCertificate)
            guard root.subject == (try profile.rootSubject()) else {
                throw .invalidCertificate(
                    reason: "\(paths.rootCertificate) has subject \(root.subject), not the CA for domain \(domain)"
                )
            }
        default:
            throw .invalidCertificate(reason: "only one of \(paths.rootKey) and \(paths.rootCertificate) exists")
        }

        if let keyPEM = intermediateKeyPEM, let certificatePEM = intermediatePEM {
            let key = try Self.parseKey(keyPEM, path: paths.intermediateKey)
            let certificate = try Self.parseCertificate(certificatePEM, path: paths.intermediateCertificate)
            try Self.check(certificate, matches: key, path: paths.intermediateCertificate)
            guard root.publicKey.isValidSignature(certificate.signature, for: certificate),
                certificate.issuer == root.subject
            else {
                throw .invalidCertificate(reason: "\(paths.intermediateCertificate) was not issued by the stored root")
            }
            if certificate.notValidAfter > now.addingTimeInterval(CertificateProfile.renewalMargin) {
                logger.debug(
                    "loaded certificate authority",
                    metadata: [MetadataKey.serial: "\(certificate.serialNumber)"]
                )
                return CertificateAuthority(
                    root: root,
                    intermediate: certificate,
                    intermediatePrivateKey: key,
                    domain: domain,
                    serials: serials
                )
            }
            logger.info(
                "issuing CA certificate expires soon; renewing it",
                metadata: [MetadataKey.serial: "\(certificate.serialNumber)"])
        } else if intermediateKeyPEM != nil || intermediatePEM != nil {
            throw .invalidCertificate(
                reason: "only one of \(paths.intermediateKey) and \(paths.intermediateCertificate) exists"
            )
        }

        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let intermediate = try profile.makeIntermediate(key: key, root: root, rootKey: rootKey, now: now)
        try SecureFile.writeAtomically(try Self.pem(of: key), to: paths.intermediateKey, mode: SecureFile.privateMode)
        try SecureFile.writeAtomically(
            try Self.pem(of: intermediate),
            to: paths.intermediateCertificate,
            mode: SecureFile.publicMode
        )
        logger.info(
            "created issuing CA certificate",
            metadata: [
                MetadataKey.serial: "\(intermediate.serialNumber)",
                MetadataKey.path: "\(paths.intermediateCertificate)",
            ]
        )
        return CertificateAuthority(
            root: root,
            intermediate: intermediate,
            intermediatePrivateKey: key,
            domain: domain,
            serials: serials
        )
    }
}

extension CertificateAuthority {
    /// Logger metadata keys of this module, declared in one place (STYLE: dotted keys).
    enum MetadataKey {
        static let serial = "ca.serial"
        static let domain = "ca.domain"
        static let path = "ca.path"
    }

    /// File locations inside the data directory (CONTRACT §2).
    struct Paths {
        let caDirectory: String
        let rootKey: String
        let rootCertificate: String
        let intermediateKey: String
        let intermediateCertificate: String
        let tlsDirectory: String
        let serverKey: String
        let serverCertificate: String

        init(directory: String) {
            self.caDirectory = SecureFile.join(directory, "ca")
            self.rootKey = SecureFile.join(directory, "ca", "root.key")
            self.rootCertificate = SecureFile.join(directory, "ca", "root.pem")
            self.intermediateKey = SecureFile.join(directory, "ca", "intermediate.key")
            self.intermediateCertificate = SecureFile.join(directory, "ca", "intermediate.pem")
            self.tlsDirectory = SecureFile.join(directory, "tls")
            self.serverKey = SecureFile.join(directory, "tls", "server.key")
            self.serverCertificate = SecureFile.join(directory, "tls", "server.pem")
        }
    }
}
