import AdminAPI
import Capabilities
import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import NIOSSL
import Prometheus
import Registry
import ServiceLifecycle
import TrustCA
import XMPPCore
import XMPPServer
import XMPPStorage

/// Builds every service from the configuration and runs them in one ServiceGroup (STYLE §10): the c2s listeners,
/// server-to-server federation and the admin HTTP API; SIGINT/SIGTERM trigger a graceful shutdown.
struct RootAssembly {
    let configuration: IntercloudConfiguration
    let logger: Logger

    init(configuration: IntercloudConfiguration) throws(CLIError) {
        self.configuration = configuration
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "intercloud")
        logger.logLevel = level
        self.logger = logger
    }

    func run() async throws {
        let configuration = self.configuration
        let dataURL = configuration.dataURL
        try DataDirectory.create(dataURL)

        let prometheus = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: prometheus))

        let ca: CertificateAuthority
        let serverCredentials: ServerCredentials
        do {
            ca = try CertificateAuthority.loadOrCreate(
                directory: dataURL.path, domain: configuration.domain, now: Date(),
                publicBaseURL: configuration.publicURL, logger: self.logger)
            serverCredentials = try ca.loadOrIssueServerCertificate(
                directory: dataURL.path, domain: configuration.domain, now: Date(), logger: self.logger)
        } catch {
            throw CLIError.runtime("certificate authority: \(error)")
        }
        let sslContext = try Self.makeSSLContext(serverCredentials, requestClientCertificates: true)
        let adminToken = try AdminToken.loadOrCreate(in: dataURL)

        let store = try RegistryStores.open(configuration)
        let accounts = RegistryCredentialProvider(store: store, domain: configuration.domain)
        let certificates = CertificateService(
            ca: ca, registry: store, domain: configuration.domain,
            validity: TimeInterval(configuration.certificateValidityDays) * 86_400)
        let kerberos = try await KerberosService.make(configuration, registry: store)
        let xmppStore: SQLiteXMPPStore
        do {
            xmppStore = try SQLiteXMPPStore(path: dataURL.appendingPathComponent("xmpp.sqlite").path)
        } catch {
            throw CLIError.runtime("cannot open the XMPP store: \(error)")
        }
        let directory = CapabilityDirectory(
            domain: configuration.domain,
            limits: .init(
                timeout: .milliseconds(configuration.sparqlTimeoutMilliseconds), maxRows: configuration.sparqlMaxRows),
            ontology: CapabilityOntology.triples)
        do {
            try await CapabilityLoader.load(
                directory, registry: store, xmppStore: xmppStore, domain: configuration.domain, logger: self.logger)
        } catch {
            throw CLIError.runtime("cannot load the capability directory: \(error)")
        }
        let sessions = SessionManager()
        let directoryComponent = DirectoryComponent(
            serverDomain: configuration.domain, directory: directory, logger: self.logger)
        let readiness = ReadinessTracker(expected: ["c2s", "c2s_tls", "s2s", "http"], logger: self.logger)
        let s2s = try FederationWiring.makeS2S(
            configuration, ca: ca, credentials: serverCredentials, componentDomains: [directoryComponent.domain],
            logger: self.logger,
            onBound: { readiness.bound($0) })
        let presence = PresenceEngine(
            domain: configuration.domain, sessions: sessions, store: xmppStore, accounts: accounts,
            offlineLimit: configuration.maxOfflineMessages, logger: self.logger, now: { Date() },
            idGenerator: RandomTokens.token, observer: CapabilityPublishing(directory: directory), federation: s2s)
        let agreementService = AgreementService(ca: ca, store: xmppStore, domain: configuration.domain)
        let negotiation: CloudNegotiation
        do {
            negotiation = try CloudNegotiation(
                domain: configuration.domain, sessions: sessions, signer: agreementService, store: xmppStore,
                now: { Date() }, logger: self.logger)
        } catch {
            throw CLIError.runtime("negotiation service: \(error)")
        }
        let router = StanzaRouter(
            domain: configuration.domain, sessions: sessions,
            features: StanzaRouter.coreFeatures + [NegotiationDiscoFeature()],
            softwareVersion: Intercloud.version, presence: presence,
            components: [directoryComponent], interceptors: [negotiation], federation: s2s)
        s2s.attach(router: router)

        let c2s = C2SServer(
            configuration: C2SConfiguration(
                domain: configuration.domain, host: configuration.bindAddress, port: configuration.c2sPort,
                tlsPort: configuration.c2sTLSPort, requireTLS: !configuration.allowPlaintextAuth,
                maxStanzaSizeBeforeAuth: configuration.maxStanzaSizeBeforeAuth,
                maxStanzaSize: configuration.maxStanzaSize,
                maxConnectionsPerAddress: configuration.maxConnectionsPerAddress,
                maxAuthAttempts: configuration.maxAuthAttempts, softwareVersion: Intercloud.version),
            sslContext: sslContext, credentials: accounts, certificates: certificates, kerberos: kerberos,
            router: router, logger: self.logger, randomToken: RandomTokens.token, onBound: { readiness.bound($0) })

        let backend = AdminBackend(
            domain: configuration.domain, readiness: readiness, sessions: sessions, chainPEM: ca.chainPEM)
        let clouds = RegistryAdministration(
            store: store, domain: configuration.domain, sessions: sessions, xmppStore: xmppStore, directory: directory)
        let capabilities = CapabilityService(
            directory: directory, registry: store, xmppStore: xmppStore, domain: configuration.domain, now: { Date() })
        let api = AdminAPI(
            backend: backend, prometheus: prometheus, adminToken: adminToken, logger: self.logger, clouds: clouds,
            certificates: certificates, capabilities: capabilities, agreements: agreementService)
        let sweeper = RegistrySweeper(
            store: store, sessions: sessions, directory: directory, domain: configuration.domain,
            interval: .seconds(2), logger: self.logger)
        let http = api.makeApplication(host: configuration.bindAddress, port: configuration.httpPort) { port in
            readiness.bound(["http": port])
        }

        await certificates.publish()
        if let kerberos {
            self.logger.info(
                "SASL GSSAPI enabled", metadata: ["kerberos.principal": "\(kerberos.credential.principal)"])
        }
        if configuration.allowPlaintextAuth {
            self.logger.warning("authentication without TLS is allowed: use this for benchmarks only")
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: presence), .init(service: c2s), .init(service: s2s), .init(service: http),
                    .init(service: sweeper), .init(service: negotiation),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: self.logger))
        try await group.run()
        self.logger.info("stopped")
    }

    /// TLS for c2s: the server's chain and key, TLS 1.2+, ALPN `xmpp-client` for XEP-0368, and an optional client
    /// certificate for SASL EXTERNAL.
    static func makeSSLContext(_ credentials: ServerCredentials, requestClientCertificates: Bool) throws(CLIError)
        -> NIOSSLContext
    {
        do {
            let chain = try credentials.certificateChain.map { certificate in
                NIOSSLCertificateSource.certificate(
                    try NIOSSLCertificate(bytes: try certificate.derBytes(), format: .der))
            }
            let key = try NIOSSLPrivateKey(bytes: Array(credentials.privateKeyPEM.utf8), format: .pem)
            var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            tls.minimumTLSVersion = .tlsv12
            tls.applicationProtocols = ["xmpp-client"]
            // XEP-0178: ask for a client certificate without requiring one; SASL EXTERNAL validates it.
            if requestClientCertificates { tls.certificateVerification = .optionalVerification }
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw .runtime("TLS set-up failed: \(error)")
        }
    }
}
