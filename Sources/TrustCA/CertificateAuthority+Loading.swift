import Foundation
import Logging
import X509

/// Creating and loading the root and the issuing intermediate, with the root key online or offline
/// (RFC 5280 §6.1; offline-root procedure in `docs/ca.md`).
extension CertificateAuthority {
    /// Creates a new certificate authority for `intercloud ca init`, refusing to touch an existing one.
    ///
    /// After it returns, `DIR/ca/root.key` may be moved to offline storage: the server only needs `root.pem`,
    /// `intermediate.key` and `intermediate.pem`. The root key is needed again only to issue a new intermediate
    /// (before the current one expires, 10 years).
    ///
    /// - Parameters:
    ///   - directory: The data directory (`--data-dir`).
    ///   - domain: The XMPP domain D.
    ///   - now: The current time (injected).
    ///   - algorithm: Key algorithm of the root and intermediate keys; P-256 by default.
    ///   - logger: Where creation is reported.
    public static func initialize(
        directory: String,
        domain: String,
        now: Date,
        algorithm: KeyAlgorithm = .p256,
        logger: Logger
    ) throws(TrustCAError) -> CertificateAuthority {
        let paths = Paths(directory: directory)
        for path in [paths.rootKey, paths.rootCertificate, paths.intermediateKey, paths.intermediateCertificate]
        where SecureFile.exists(path) {
            throw .alreadyInitialized(reason: "\(path) exists; refusing to replace an existing certificate authority")
        }
        return try Self.loadOrCreate(
            directory: directory, domain: domain, now: now, algorithm: algorithm, logger: logger)
    }

    /// Loads `root.pem` (and `root.key` when online) or creates both; returns `nil` as the key when offline.
    static func loadOrCreateRoot(
        paths: Paths,
        profile: CertificateProfile,
        algorithm: KeyAlgorithm,
        now: Date,
        logger: Logger
    ) throws(TrustCAError) -> (Certificate, Certificate.PrivateKey?) {
        let rootKeyPEM = try SecureFile.readPrivateString(paths.rootKey)
        let rootPEM = try SecureFile.readString(paths.rootCertificate)
        switch (rootKeyPEM, rootPEM) {
        case (nil, nil):
            guard !SecureFile.exists(paths.intermediateKey), !SecureFile.exists(paths.intermediateCertificate) else {
                throw .invalidCertificate(reason: "\(paths.caDirectory) holds an intermediate but no root; refusing")
            }
            let rootKey = try algorithm.makePrivateKey()
            let root = try profile.makeRoot(key: rootKey, now: now)
            try SecureFile.writeAtomically(try Self.pem(of: rootKey), to: paths.rootKey, mode: SecureFile.privateMode)
            try SecureFile.writeAtomically(
                try Self.pem(of: root), to: paths.rootCertificate, mode: SecureFile.publicMode)
            logger.info(
                "created root CA certificate",
                metadata: [
                    MetadataKey.serial: "\(SerialHex.string(root.serialNumber))",
                    MetadataKey.path: "\(paths.rootCertificate)", "ca.algorithm": "\(algorithm.rawValue)",
                ]
            )
            return (root, rootKey)
        case (let keyPEM, let certificatePEM?):
            let root = try Self.parseCertificate(certificatePEM, path: paths.rootCertificate)
            guard root.subject == (try profile.rootSubject()) else {
                throw .invalidCertificate(
                    reason:
                        "\(paths.rootCertificate) has subject \(root.subject), not the CA for domain \(profile.domain)"
                )
            }
            guard let keyPEM else {
                logger.info(
                    "root key is offline; running on the issuing CA only",
                    metadata: [
                        MetadataKey.path: "\(paths.rootKey)"
                    ])
                return (root, nil)
            }
            let rootKey = try Self.parseKey(keyPEM, path: paths.rootKey)
            try Self.check(root, matches: rootKey, path: paths.rootCertificate)
            return (root, rootKey)
        case (.some, nil):
            throw .invalidCertificate(reason: "\(paths.rootKey) exists but \(paths.rootCertificate) does not")
        }
    }

    /// Loads the intermediate, renewing or creating it when the root key allows.
    static func loadOrCreateIntermediate(
        paths: Paths,
        profile: CertificateProfile,
        root: Certificate,
        rootKey: Certificate.PrivateKey?,
        algorithm: KeyAlgorithm,
        now: Date,
        logger: Logger
    ) throws(TrustCAError) -> (Certificate, Certificate.PrivateKey) {
        let intermediateKeyPEM = try SecureFile.readPrivateString(paths.intermediateKey)
        let intermediatePEM = try SecureFile.readString(paths.intermediateCertificate)
        if let keyPEM = intermediateKeyPEM, let certificatePEM = intermediatePEM {
            let key = try Self.parseKey(keyPEM, path: paths.intermediateKey)
            let certificate = try Self.parseCertificate(certificatePEM, path: paths.intermediateCertificate)
            try Self.check(certificate, matches: key, path: paths.intermediateCertificate)
            guard root.publicKey.isValidSignature(certificate.signature, for: certificate),
                certificate.issuer == root.subject
            else {
                throw .invalidCertificate(reason: "\(paths.intermediateCertificate) was not issued by the stored root")
            }
            let serial = SerialHex.string(certificate.serialNumber)
            if certificate.notValidAfter > now.addingTimeInterval(CertificateProfile.renewalMargin) {
                logger.debug("loaded certificate authority", metadata: [MetadataKey.serial: "\(serial)"])
                return (certificate, key)
            }
            if rootKey == nil {
                guard certificate.notValidAfter > now else {
                    throw .rootKeyOffline(
                        reason:
                            "the issuing CA certificate expired on \(certificate.notValidAfter) and \(paths.rootKey) "
                            + "is offline; bring the root key back to issue a new intermediate"
                    )
                }
                logger.info(
                    "issuing CA certificate expires soon but the root key is offline; restore it to renew",
                    metadata: [MetadataKey.serial: "\(serial)", "ca.not_after": "\(certificate.notValidAfter)"])
                return (certificate, key)
            }
            logger.info("issuing CA certificate expires soon; renewing it", metadata: [MetadataKey.serial: "\(serial)"])
        } else if intermediateKeyPEM != nil || intermediatePEM != nil {
            throw .invalidCertificate(
                reason: "only one of \(paths.intermediateKey) and \(paths.intermediateCertificate) exists"
            )
        }
        guard let rootKey else {
            throw .rootKeyOffline(
                reason: "no usable issuing CA in \(paths.caDirectory) and \(paths.rootKey) is offline; "
                    + "restore the root key to issue a new intermediate"
            )
        }
        let key = try algorithm.makePrivateKey()
        let intermediate = try profile.makeIntermediate(key: key, root: root, rootKey: rootKey, now: now)
        try SecureFile.writeAtomically(try Self.pem(of: key), to: paths.intermediateKey, mode: SecureFile.privateMode)
        try SecureFile.writeAtomically(
            try Self.pem(of: intermediate), to: paths.intermediateCertificate, mode: SecureFile.publicMode)
        logger.info(
            "created issuing CA certificate",
            metadata: [
                MetadataKey.serial: "\(SerialHex.string(intermediate.serialNumber))",
                MetadataKey.path: "\(paths.intermediateCertificate)", "ca.algorithm": "\(algorithm.rawValue)",
            ]
        )
        return (intermediate, key)
    }
}
