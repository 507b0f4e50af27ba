/// Where the CA's own certificates and its CRL are published for relying parties (CONTRACT §6): in LDAP the
/// entry `cn=ca,BASE` with `cACertificate;binary` and `certificateRevocationList;binary` (RFC 4523 §2.2, §2.5).
///
/// Separate from ``RegistryStore`` because only the directory backend publishes; the embedded stores serve the CA
/// material over HTTP instead.
public protocol CAPublishing: Sendable {
    /// Replaces the published CA certificates (DER, issuing intermediate first, then the root) and the current CRL
    /// (DER `CertificateList`, RFC 5280 §5.1); ``RegistryError/Code/storageFailure`` if the directory refuses.
    func publishCA(certificates: [[UInt8]], crl: [UInt8]) async throws(RegistryError)
}
