import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import XMPPCore

/// Everything the connection handlers of one server share: configuration, TLS, accounts, routing, limits.
final class C2SShared: Sendable {
    let configuration: C2SConfiguration
    let sslContext: NIOSSLContext?
    let credentials: any CredentialProvider
    let certificates: (any CertificateAuthenticator)?
    let kerberos: (any KerberosAuthenticator)?
    /// Where blocking calls run (GSS-API reads keytabs and replay caches), never on an event loop.
    let threadPool: NIOThreadPool
    let router: StanzaRouter
    let throttle: AuthFailureThrottle
    let limiter: ConnectionLimiter
    let logger: Logger
    let connections = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
    let randomToken: @Sendable () -> String

    let connectionsTotal = Counter(label: "xmpp_c2s_connections_total")
    let sessionsGauge = Gauge(label: "xmpp_c2s_sessions")
    let loginsTotal = Counter(label: "xmpp_c2s_logins_total")
    let authFailuresTotal = Counter(label: "xmpp_sasl_failures_total")
    let streamErrorsTotal = Counter(label: "xmpp_stream_errors_total")

    init(
        configuration: C2SConfiguration, sslContext: NIOSSLContext?, credentials: any CredentialProvider,
        certificates: (any CertificateAuthenticator)?, kerberos: (any KerberosAuthenticator)? = nil,
        threadPool: NIOThreadPool = .singleton, router: StanzaRouter, logger: Logger,
        randomToken: @escaping @Sendable () -> String
    ) {
        self.certificates = certificates
        self.kerberos = kerberos
        self.threadPool = threadPool
        self.configuration = configuration
        self.sslContext = sslContext
        self.credentials = credentials
        self.router = router
        self.throttle = AuthFailureThrottle(policy: configuration.authThrottle)
        self.limiter = ConnectionLimiter(maxPerAddress: configuration.maxConnectionsPerAddress)
        self.logger = logger
        self.randomToken = randomToken
    }

    /// The TLS handler for one connection: it records a presented client certificate when EXTERNAL is enabled.
    func makeTLSHandler(_ sslContext: NIOSSLContext, presented: PresentedCertificates) -> NIOSSLServerHandler {
        self.certificates == nil
            ? NIOSSLServerHandler(context: sslContext) : presented.makeTLSHandler(context: sslContext)
    }

    func machineConfiguration() -> C2SNegotiationStateMachine.Configuration {
        let token = self.randomToken
        return .init(
            domain: self.configuration.domain, tlsAvailable: self.sslContext != nil,
            requireTLS: self.configuration.requireTLS, maxAuthAttempts: self.configuration.maxAuthAttempts,
            gssapiAvailable: self.kerberos != nil, streamIDGenerator: token, resourceGenerator: token,
            nonceGenerator: token)
    }
}
