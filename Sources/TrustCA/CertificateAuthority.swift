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
/// `DIR/ca/intermediate.pem`; keys are PKCS#8 PEM with mode 0600, the `ca` directory has mode 0700. `root.key` may
/// be moved off the machine once the intermediate exists (see `docs/ca.md`): the server then runs on the
/// intermediate alone. Issued serials and revocations live in a ``RevocationStore`` (by default
/// `DIR/ca/issued.json` and `DIR/ca/revoked.json`).
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

    /// Whether `DIR/ca/root.key` was present at load time; `false` when the root is kept offline.
    public let isRootKeyOnline: Bool

    /// Issued serials, revocations and the cRLNumber.
    public let revocations: any RevocationStore

    /// `http://HOST:PORT` of the admin API as clients reach it; AIA caIssuers is `<base>/v1/ca/certificates` and
    /// the CRL distribution point `<base>/v1/ca/crl` (RFC 5280 §4.2.2.1, §4.2.1.13; CONTRACT §4).
    public var publicBaseURL: String

    /// Interval between a CRL's thisUpdate and nextUpdate (RFC 5280 §5.1.2.5); 7 days by default. The CRL is
    /// re-signed after half of it has passed, or at once after a revocation.
    public var crlValidity: TimeInterval = 7 * 86_400

    /// The last CRL signed, reused until it goes stale.
    let crlCache = CRLCache()

    /// PEM of ``intermediate`` then ``root``, as served by `GET /v1/ca/certificates` (CONTRACT §4).
    public var chainPEM: String {
        // Both certificates were parsed from or serialised to PEM, so serialisation cannot fail in practice.
        let pems = [self.intermediate, self.root].compactMap { try? $0.serializeAsPEM().pemString }
        return pems.map { $0 + "\n" }.joined()
    }

    init(
        root: Certificate,
        intermediate: Certificate,
        intermediatePrivateKey: Certificate.PrivateKey,
        domain: String,
        serials: SerialNumberGenerator,
        isRootKeyOnline: Bool,
        revocations: any RevocationStore,
        publicBaseURL: String
    ) {
        self.root = root
        self.intermediate = intermediate
        self.intermediatePrivateKey = intermediatePrivateKey
        self.domain = domain
        self.serials = serials
        self.isRootKeyOnline = isRootKeyOnline
        self.revocations = revocations
        self.publicBaseURL = publicBaseURL
    }

    /// Loads the CA from `DIR/ca/`, or creates it on first start (CONTRACT §2).
    ///
    /// Creates a root (self-signed; BasicConstraints CA critical; KeyUsage keyCertSign + cRLSign critical; SKI) and
    /// an issuing intermediate (pathLen 0; AKI/SKI; critical DNS name constraints permitting `domain`), RFC 5280
    /// §4.2.1, both with keys of `algorithm`. If the root key is present but the intermediate is missing or expires
    /// within 30 days, a new intermediate is issued. Without `root.key` (offline root) the stored intermediate is
    /// used as long as it is valid; a missing or expired one is then a ``TrustCAError/Code/rootKeyOffline`` error.
    /// A CA created for another domain is refused.
    ///
    /// - Parameters:
    ///   - directory: The data directory (`--data-dir`).
    ///   - domain: The XMPP domain D, a DNS name.
    ///   - now: The current time (injected).
    ///   - serials: Serial number source (injected randomness).
    ///   - algorithm: Key algorithm for CA keys created now; existing keys keep theirs.
    ///   - publicBaseURL: Base of the AIA and CRL URLs; `http://D:5280` when `nil`.
    ///   - revocations: The revocation store; `FileRevocationStore(directory:)` when `nil`.
    ///   - logger: Where creation and loading are reported.
    public static func loadOrCreate(
        directory: String,
        domain: String,
        now: Date,
        serials: SerialNumberGenerator = .system,
        algorithm: KeyAlgorithm = .p256,
        publicBaseURL: String? = nil,
        revocations: (any RevocationStore)? = nil,
        logger: Logger
    ) throws(TrustCAError) -> CertificateAuthority {
        try Self.validate(domain: domain)
        var logger = logger
        logger[metadataKey: MetadataKey.domain] = "\(domain)"
        let paths = Paths(directory: directory)
        try SecureFile.ensureDirectory(paths.caDirectory, mode: SecureFile.directoryMode)
        let profile = CertificateProfile(domain: domain, serials: serials)
        let (root, rootKey) = try Self.loadOrCreateRoot(
            paths: paths, profile: profile, algorithm: algorithm, now: now, logger: logger)
        let (intermediate, key) = try Self.loadOrCreateIntermediate(
            paths: paths, profile: profile, root: root, rootKey: rootKey, algorithm: algorithm, now: now,
            logger: logger)
        let store: any RevocationStore
        if let revocations {
            store = revocations
        } else {
            store = try FileRevocationStore(directory: directory)
        }
        return CertificateAuthority(
            root: root,
            intermediate: intermediate,
            intermediatePrivateKey: key,
            domain: domain,
            serials: serials,
            isRootKeyOnline: rootKey != nil,
            revocations: store,
            publicBaseURL: publicBaseURL ?? "http://\(domain):5280"
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
