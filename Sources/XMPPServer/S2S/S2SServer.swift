import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import XMPPCore

/// Server-to-server federation as a ServiceLifecycle `Service` (RFC 6120 §4–§6, XEP-0178, XEP-0220): the
/// listener for incoming streams and the pool of outgoing ones, which is also the ``FederationRouting`` the
/// router and the presence engine send remote stanzas through.
///
/// Build it first, hand it to the ``StanzaRouter`` and ``PresenceEngine``, then ``attach(router:)`` the router
/// so that inbound stanzas and bounces have somewhere to go. On graceful shutdown every stream is closed with
/// `<system-shutdown/>` or `</stream:stream>` (RFC 6120 §4.4, §4.9.3.22).
public final class S2SServer: Service, FederationRouting, Sendable {
    private let shared: S2SShared
    private let pool: S2SOutboundPool
    private let onBound: @Sendable ([String: Int]) -> Void

    /// Creates the service. `serverTLS` presents our certificate and asks for the peer's; `clientTLS` presents
    /// our certificate as client certificate. `dialbackSecret` keys XEP-0185 dialback. `onBound` receives
    /// `["s2s": port]` once the listener accepts.
    public init(
        configuration: S2SConfiguration, serverTLS: NIOSSLContext, clientTLS: NIOSSLContext,
        verifier: any PeerCertificateVerifier, dialbackSecret: [UInt8], logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        randomToken: @escaping @Sendable () -> String, onBound: @escaping @Sendable ([String: Int]) -> Void = { _ in }
    ) {
        self.shared = S2SShared(
            configuration: configuration, serverTLS: serverTLS, clientTLS: clientTLS, verifier: verifier,
            keys: DialbackKeyGenerator(secret: dialbackSecret), logger: logger, group: group, randomToken: randomToken)
        self.pool = S2SOutboundPool(shared: self.shared)
        self.onBound = onBound
    }

    /// Connects the router that inbound stanzas and bounced errors are delivered through.
    public func attach(router: StanzaRouter) {
        self.shared.router = router
    }

    /// Sends a stanza to its remote domain (see ``FederationRouting/send(_:)``).
    public func send(_ element: XMLElement) {
        self.pool.send(element)
    }

    /// Binds, serves until graceful shutdown, then closes every stream.
    public func run() async throws {
        let shared = self.shared
        let pool = self.pool
        let listener = try await ServerBootstrap(group: shared.group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(S2SIncomingHandler(shared: shared, pool: pool))
                }
            }
            .bind(host: shared.configuration.host, port: shared.configuration.port)
            .get()
        let port = listener.localAddress?.port ?? shared.configuration.port
        shared.logger.info(
            "s2s listening",
            metadata: ["port": "\(port)", "routes": "\(shared.configuration.routes.mapValues(\.description))"])
        self.onBound(["s2s": port])
        try? await gracefulShutdown()
        try? await listener.close()
        await self.closeAllStreams()
    }

    private func closeAllStreams() async {
        let channels = self.shared.connections.withLockedValue { Array($0.values) }
        for channel in channels {
            channel.eventLoop.execute {
                channel.pipeline.fireUserInboundEventTriggered(
                    S2SIncomingHandler.CloseRequest(error: StreamError(.systemShutdown, text: "the server is stopping"))
                )
            }
        }
        for channel in channels {
            let timeout = channel.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
            try? await channel.closeFuture.get()
            timeout.cancel()
        }
    }
}
