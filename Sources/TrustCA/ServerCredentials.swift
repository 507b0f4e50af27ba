import X509

/// The server's own TLS identity, issued by the ``CertificateAuthority`` (RFC 6120 §13.7.1.2).
///
/// Used for STARTTLS and direct TLS on c2s (XEP-0368) and for s2s, where it also serves as a client certificate.
public struct ServerCredentials: Sendable {
    /// Leaf first, then the issuing intermediate (RFC 8446 §4.4.2 order); the root is not included.
    public let certificateChain: [Certificate]

    /// The leaf's private key.
    public let privateKey: Certificate.PrivateKey

    /// ``privateKey`` as PKCS#8 PEM, for TLS libraries that load PEM.
    public let privateKeyPEM: String

    /// ``certificateChain`` as concatenated PEM, leaf first; the content of `DIR/tls/server.pem`.
    public let chainPEM: String

    /// The leaf certificate.
    public var leaf: Certificate {
        self.certificateChain[0]
    }

    /// Creates credentials from a chain (leaf first) and its key.
    init(certificateChain: [Certificate], privateKey: Certificate.PrivateKey) throws(TrustCAError) {
        precondition(!certificateChain.isEmpty, "a credential chain holds at least the leaf")
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.privateKeyPEM = try CertificateAuthority.pem(of: privateKey)
        self.chainPEM = try CertificateAuthority.pem(of: certificateChain)
    }
}
