import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import XMPPCore

/// The client-to-server listeners as a ServiceLifecycle `Service`: STARTTLS on one port and direct TLS
/// (XEP-0368) on another; on graceful shutdown every open stream gets `<system-shutdown/>` and
/// `</stream:stream>` (RFC 6120 §4.9.3.22) before the process exits.
public final class C2SServer: Service, Sendable {
    private let shared: C2SShared
    private let group: any EventLoopGroup
    private let onBound: @Sendable ([String: Int]) -> Void

    /// Creates the server. `onBound` receives the bound ports (`c2s`, `c2s_tls`) once both listeners accept.
    /// `certificates` enables SASL EXTERNAL (XEP-0178), `kerberos` SASL GSSAPI (RFC 4752), whose blocking GSS-API
    /// calls run on `threadPool`.
    public init(
        configuration: C2SConfiguration, sslContext: NIOSSLContext?, credentials: any CredentialProvider,
        certificates: (any CertificateAuthenticator)? = nil, kerberos: (any KerberosAuthenticator)? = nil,
        threadPool: NIOThreadPool = .singleton, router: StanzaRouter, logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        randomToken: @escaping @Sendable () -> String,
        onBound: @escaping @Sendable ([String: Int]) -> Void = { _ in }
    ) {
        self.shared = C2SShared(
            configuration: configuration, sslContext: sslContext, credentials: credentials,
            certificates: certificates, kerberos: kerberos, threadPool: threadPool, router: router, logger: logger,
            randomToken: randomToken)
        self.group = group
        self.onBound = onBound
    }

    /// Binds, serves until graceful shutdown, then closes every stream.
    public func run() async throws {
        let configuration = self.shared.configuration
        var listeners: [any Channel] = []
        var ports: [String: Int] = [:]
        do {
            let plain = try await self.bind(port: configuration.port, directTLS: false)
            listeners.append(plain)
            ports["c2s"] = plain.localAddress?.port
            if let tlsPort = configuration.tlsPort, self.shared.sslContext != nil {
                let tls = try await self.bind(port: tlsPort, directTLS: true)
                listeners.append(tls)
                ports["c2s_tls"] = tls.localAddress?.port
            }
        } catch {
            for listener in listeners { try? await listener.close() }
            throw error
        }
        self.shared.logger.info("c2s listening", metadata: ["ports": "\(ports)"])
        self.onBound(ports)
        try? await gracefulShutdown()
        for listener in listeners { try? await listener.close() }
        await self.closeAllStreams()
    }

    /// Sends `system-shutdown` to every open connection and waits (at most 5 s) until they are closed.
    private func closeAllStreams() async {
        let channels = self.shared.connections.withLockedValue { Array($0.values) }
        self.shared.logger.info("closing streams for shutdown", metadata: ["count": "\(channels.count)"])
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(
                C2SConnectionHandler.CloseRequest(error: StreamError(.systemShutdown, text: "the server is stopping")))
        }
        for channel in channels {
            let closed = channel.closeFuture
            let timeout = channel.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
            try? await closed.get()
            timeout.cancel()
        }
    }

    private func bind(port: Int, directTLS: Bool) async throws -> any Channel {
        let shared = self.shared
        return try await ServerBootstrap(group: self.group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let presented = PresentedCertificates()
                    if directTLS, let sslContext = shared.sslContext {
                        try channel.pipeline.syncOperations.addHandler(
                            shared.makeTLSHandler(sslContext, presented: presented))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        C2SConnectionHandler(shared: shared, secured: directTLS, presented: presented))
                }
            }
            .bind(host: self.shared.configuration.host, port: port)
            .get()
    }

    /// Number of bound sessions (for health reports).
    public var sessionCount: Int { self.shared.router.sessions.count }
}
