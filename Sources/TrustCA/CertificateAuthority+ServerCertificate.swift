import Crypto
import Foundation
import Logging
import X509

extension CertificateAuthority {
    /// Issues, or loads if still usable, the server's TLS certificate (RFC 6120 §13.7.1.2, RFC 5280 §4.2).
    ///
    /// Files: `DIR/tls/server.pem` (leaf then intermediate) and `DIR/tls/server.key` (mode 0600; `tls` is 0700).
    /// The stored certificate is reused when it was issued by the current intermediate for `domain`, matches its
    /// key, is already valid and stays valid for more than 30 days; otherwise a fresh P-256 key and certificate are
    /// issued. The leaf has SAN dNSName D and `directory.D` (no xmppAddr for servers), EKU serverAuth + clientAuth,
    /// KeyUsage digitalSignature (critical), BasicConstraints CA:false (critical), AKI/SKI.
    ///
    /// - Parameters:
    ///   - directory: The data directory (`--data-dir`).
    ///   - domain: The XMPP domain D; must be within this CA's name constraints.
    ///   - now: The current time (injected).
    ///   - validity: Lifetime of a newly issued certificate; 90 days by default.
    ///   - logger: Where issuance is reported.
    public func loadOrIssueServerCertificate(
        directory: String,
        domain: String,
        now: Date,
        validity: TimeInterval = 90 * 86_400,
        logger: Logger
    ) throws(TrustCAError) -> ServerCredentials {
        try Self.validate(domain: domain)
        var logger = logger
        logger[metadataKey: MetadataKey.domain] = "\(domain)"
        let paths = Paths(directory: directory)
        try SecureFile.ensureDirectory(paths.tlsDirectory, mode: SecureFile.directoryMode)

        if let keyPEM = try SecureFile.readPrivateString(paths.serverKey),
            let chainPEM = try SecureFile.readString(paths.serverCertificate)
        {
            let key = try Self.parseKey(keyPEM, path: paths.serverKey)
            let chain = try Self.parseChain(chainPEM, path: paths.serverCertificate)
            if let reason = self.reasonToReissue(chain: chain, key: key, domain: domain, now: now) {
                logger.info("reissuing server certificate", metadata: ["ca.reason": "\(reason)"])
            } else {
                logger.debug("loaded server certificate", metadata: [MetadataKey.serial: "\(chain[0].serialNumber)"])
                return try ServerCredentials(certificateChain: [chain[0], self.intermediate], privateKey: key)
            }
        }

        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let profile = CertificateProfile(domain: domain, serials: self.serials)
        let leaf = try profile.makeServer(
            key: key,
            issuer: self.intermediate,
            issuerKey: self.intermediatePrivateKey,
            now: now,
            validity: validity
        )
        let credentials = try ServerCredentials(certificateChain: [leaf, self.intermediate], privateKey: key)
        try SecureFile.writeAtomically(credentials.privateKeyPEM, to: paths.serverKey, mode: SecureFile.privateMode)
        try SecureFile.writeAtomically(credentials.chainPEM, to: paths.serverCertificate, mode: SecureFile.publicMode)
        logger.info(
            "issued server certificate",
            metadata: [
                MetadataKey.serial: "\(leaf.serialNumber)",
                MetadataKey.path: "\(paths.serverCertificate)",
                "ca.not_after": "\(leaf.notValidAfter)",
            ]
        )
        return credentials
    }

    /// Why a stored server chain cannot be reused, or `nil` if it can.
    private func reasonToReissue(
        chain: [Certificate],
        key: Certificate.PrivateKey,
        domain: String,
        now: Date
    ) -> String? {
        guard let leaf = chain.first else {
            return "no certificate stored"
        }
        guard leaf.publicKey == key.publicKey else {
            return "stored key does not match the certificate"
        }
        guard leaf.issuer == self.intermediate.subject,
            self.intermediate.publicKey.isValidSignature(leaf.signature, for: leaf)
        else {
            return "not issued by the current issuing CA"
        }
        guard leaf.notValidBefore <= now,
            leaf.notValidAfter > now.addingTimeInterval(CertificateProfile.renewalMargin)
        else {
            return "expired or expiring within 30 days"
        }
        let names = (try? leaf.extensions.subjectAlternativeNames).flatMap { $0 } ?? SubjectAlternativeNames()
        guard names.contains(.dnsName(domain)), names.contains(.dnsName("directory.\(domain)")) else {
            return "issued for another domain"
        }
        return nil
    }
}
