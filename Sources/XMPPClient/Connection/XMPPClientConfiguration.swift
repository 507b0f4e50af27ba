import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// How a cloud proves who it is (RFC 6120 §6; XEP-0178; CONTRACT §5).
public enum XMPPClientCredentials: Sendable {
    /// SASL EXTERNAL with a client certificate issued by the root's CA: `chain` leaf first, its private key, and an
    /// optional authorization identity that must be the certificate's xmppAddr (XEP-0178 §3).
    case certificate(chain: [NIOSSLCertificate], key: NIOSSLPrivateKey, authzid: String? = nil)
    /// A password for SCRAM (or PLAIN inside TLS, when listed), tried in `mechanisms` order (RFC 5802, RFC 7677,
    /// RFC 4616).
    case password(
        username: String, password: String,
        mechanisms: [C2SClientStateMachine.PasswordMechanism] = C2SClientStateMachine.PasswordMechanism
            .defaultPreference)

    /// Loads EXTERNAL credentials from PEM: the chain as returned by `POST /v1/clouds/{name}/certificates`
    /// (leaf first, CONTRACT §4) and the private key (PKCS#8 or SEC1).
    public static func certificatePEM(chain: String, key: String, authzid: String? = nil) throws(XMPPClientError)
        -> XMPPClientCredentials
    {
        do {
            let certificates = try NIOSSLCertificate.fromPEMBytes(Array(chain.utf8))
            guard !certificates.isEmpty else {
                throw XMPPClientError(.invalidConfiguration, "the certificate chain holds no certificate")
            }
            let privateKey = try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem)
            return .certificate(chain: certificates, key: privateKey, authzid: authzid)
        } catch let error as XMPPClientError {
            throw error
        } catch {
            throw XMPPClientError(.invalidConfiguration, "cannot load the client certificate: \(error)")
        }
    }

    /// The SASL identity this credential presents (RFC 6120 §6).
    var authentication: C2SClientStateMachine.Authentication {
        switch self {
        case .certificate(_, _, let authzid): .external(authzid: authzid)
        case .password(let username, let password, let mechanisms):
            .password(username: username, password: password, mechanisms: mechanisms)
        }
    }
}

/// How the stream is protected: STARTTLS or direct TLS, the trust anchors and the name to verify
/// (RFC 6120 §5, §13.7.2; XEP-0368).
public struct XMPPClientTLS: Sendable {
    /// When TLS starts.
    public enum Mode: Sendable, Hashable {
        /// Upgrade the plain c2s stream with STARTTLS (RFC 6120 §5), on `--c2s-port`.
        case startTLS
        /// TLS from the first byte (XEP-0368), on `--c2s-tls-port`.
        case direct
    }

    /// STARTTLS or direct TLS.
    public var mode: Mode
    /// The trust anchors for the server certificate, e.g. the root's CA chain from `GET /v1/ca/certificates`;
    /// empty uses the system's default store.
    public var trustRoots: [NIOSSLCertificate]
    /// The name sent as SNI and matched against the server certificate; nil uses the XMPP domain
    /// (RFC 6120 §13.7.2.1, RFC 6125).
    public var serverName: String?
    /// Whether the certificate's name is checked; only tests against foreign servers turn this off.
    public var verifyHostname: Bool

    /// Creates a TLS policy.
    public init(
        mode: Mode = .startTLS, trustRoots: [NIOSSLCertificate], serverName: String? = nil,
        verifyHostname: Bool = true
    ) {
        self.mode = mode
        self.trustRoots = trustRoots
        self.serverName = serverName
        self.verifyHostname = verifyHostname
    }

    /// Trusts the certificates of a PEM bundle, e.g. the body of `GET /v1/ca/certificates` (CONTRACT §4).
    public static func trusting(pem: String, mode: Mode = .startTLS) throws(XMPPClientError) -> XMPPClientTLS {
        do {
            let roots = try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))
            guard !roots.isEmpty else { throw XMPPClientError(.invalidConfiguration, "no certificate in the PEM") }
            return XMPPClientTLS(mode: mode, trustRoots: roots)
        } catch let error as XMPPClientError {
            throw error
        } catch {
            throw XMPPClientError(.invalidConfiguration, "cannot load trust roots: \(error)")
        }
    }

    /// The NIOSSL context for one connection: our trust roots, full verification, and the client certificate when
    /// the credentials use EXTERNAL (XEP-0178 §3).
    func makeContext(credentials: XMPPClientCredentials) throws(XMPPClientError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !self.trustRoots.isEmpty {
            configuration.trustRoots = .certificates(self.trustRoots)
        }
        configuration.certificateVerification = self.verifyHostname ? .fullVerification : .noHostnameVerification
        if case .certificate(let chain, let key, _) = credentials {
            configuration.certificateChain = chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(key)
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw XMPPClientError(.invalidConfiguration, "cannot build the TLS context: \(error)")
        }
    }
}

/// Tunables of a client connection; the defaults suit the federation harness.
public struct XMPPClientOptions: Sendable {
    /// How long the TCP connect may take.
    public var connectTimeout: TimeAmount
    /// How long stream negotiation (TLS, SASL, bind) may take after the TCP connect.
    public var negotiationTimeout: TimeAmount
    /// The default timeout of ``XMPPClientConnection/request(_:timeout:)``.
    public var requestTimeout: TimeAmount
    /// How long ``XMPPClientConnection/close()`` waits for the server's closing tag (RFC 6120 §4.4).
    public var closeTimeout: TimeAmount
    /// The largest first-level element accepted from the server, in bytes (RFC 6120 §13.12 item 4); SPARQL results
    /// can be large.
    public var maxStanzaSize: Int
    /// How many inbound stanzas ``XMPPClientConnection/stanzas`` buffers for a slow reader; older ones are dropped.
    public var inboundBufferLimit: Int
    /// The event loops to run on.
    public var group: any EventLoopGroup
    /// The logger; library code logs at debug or below.
    public var logger: Logger
    /// Produces SCRAM client nonces (RFC 5802 §5.1); random by default.
    public var nonceGenerator: @Sendable () -> String

    /// Creates options with the defaults: 10 s connect, 30 s negotiation and requests, 5 s close, 1 MiB stanzas.
    public init(
        connectTimeout: TimeAmount = .seconds(10), negotiationTimeout: TimeAmount = .seconds(30),
        requestTimeout: TimeAmount = .seconds(30), closeTimeout: TimeAmount = .seconds(5),
        maxStanzaSize: Int = 1 << 20, inboundBufferLimit: Int = 10_000,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "intercloud.xmpp-client", factory: { _ in SwiftLogNoOpLogHandler() }),
        nonceGenerator: @escaping @Sendable () -> String = XMPPClientOptions.randomNonce
    ) {
        self.connectTimeout = connectTimeout
        self.negotiationTimeout = negotiationTimeout
        self.requestTimeout = requestTimeout
        self.closeTimeout = closeTimeout
        self.maxStanzaSize = maxStanzaSize
        self.inboundBufferLimit = inboundBufferLimit
        self.group = group
        self.logger = logger
        self.nonceGenerator = nonceGenerator
    }

    /// 24 random alphanumerics from the system generator (RFC 5802 §5.1: printable, no comma).
    @Sendable public static func randomNonce() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
