import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import XMPPCore

/// Everything the s2s connection handlers share: configuration, TLS, trust, the dialback secret, routing.
final class S2SShared: Sendable {
    /// Listener, routes, limits.
    let configuration: S2SConfiguration
    /// TLS for incoming streams: our certificate, and a client certificate requested but not required.
    let serverTLS: NIOSSLContext
    /// TLS for outgoing streams: our certificate as client certificate (XEP-0178 §4).
    let clientTLS: NIOSSLContext
    /// Judges peer certificates against the federation trust anchors.
    let verifier: any PeerCertificateVerifier
    /// Our dialback keys (XEP-0185).
    let keys: DialbackKeyGenerator
    /// Library logger, metadata `s2s.*`.
    let logger: Logger
    /// Where listeners and outgoing connections run.
    let group: any EventLoopGroup
    /// Stream ids.
    let randomToken: @Sendable () -> String
    /// Every open s2s channel, incoming and outgoing, for shutdown.
    let connections = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
    private let routerBox = NIOLockedValueBox<StanzaRouter?>(nil)

    /// Metrics (docs/federation.md).
    let incomingTotal = Counter(label: "xmpp_s2s_connections_total", dimensions: [("direction", "in")])
    let outgoingTotal = Counter(label: "xmpp_s2s_connections_total", dimensions: [("direction", "out")])
    let stanzasIn = Counter(label: "xmpp_s2s_stanzas_total", dimensions: [("direction", "in")])
    let stanzasOut = Counter(label: "xmpp_s2s_stanzas_total", dimensions: [("direction", "out")])
    let bounced = Counter(label: "xmpp_s2s_bounced_total")
    let streamErrors = Counter(label: "xmpp_s2s_stream_errors_total")

    init(
        configuration: S2SConfiguration, serverTLS: NIOSSLContext, clientTLS: NIOSSLContext,
        verifier: any PeerCertificateVerifier, keys: DialbackKeyGenerator, logger: Logger, group: any EventLoopGroup,
        randomToken: @escaping @Sendable () -> String
    ) {
        self.configuration = configuration
        self.serverTLS = serverTLS
        self.clientTLS = clientTLS
        self.verifier = verifier
        self.keys = keys
        self.logger = logger
        self.group = group
        self.randomToken = randomToken
    }

    /// The router inbound stanzas and bounces go to, attached once it exists (it needs the federation first).
    var router: StanzaRouter? {
        get { self.routerBox.withLockedValue { $0 } }
        set { self.routerBox.withLockedValue { $0 = newValue } }
    }

    /// The policy of one incoming stream's machine.
    func receivingConfiguration() -> S2SReceivingStateMachine.Configuration {
        .init(
            domain: self.configuration.domain, localDomains: self.configuration.localDomains,
            dialback: self.configuration.dialback, keys: self.keys, streamIDGenerator: self.randomToken)
    }

    /// Writes text to a channel from any thread.
    static func write(_ text: String, to channel: any Channel) {
        channel.writeAndFlush(channel.allocator.buffer(string: text), promise: nil)
    }

    /// A stanza as it goes on the wire between servers: `jabber:server` (RFC 6120 §4.8.2).
    static func wire(_ element: XMLElement) -> String {
        element.rebindingContentNamespace(from: Namespace.client, to: Namespace.server)
            .serialized(parentNamespace: Namespace.server)
    }
}

/// The certificate chain the peer server presented, recorded by the TLS verification callback. The TLS layer
/// accepts any chain; ``PeerCertificateVerifier`` decides what it authenticates (RFC 6120 §13.7.2).
final class PeerCertificates: Sendable {
    private let chain = NIOLockedValueBox<[[UInt8]]>([])

    /// The presented chain, leaf first, DER; empty when none.
    var der: [[UInt8]] { self.chain.withLockedValue { $0 } }

    private func record(_ certificates: [NIOSSLCertificate]) {
        let der = certificates.compactMap { try? $0.toDERBytes() }
        self.chain.withLockedValue { $0 = der }
    }

    /// The TLS handler of an incoming stream: asks for a client certificate and records it.
    func serverHandler(_ context: NIOSSLContext) -> NIOSSLServerHandler {
        NIOSSLServerHandler(context: context) { certificates, promise in
            self.record(certificates)
            promise.succeed(.certificateVerified)
        }
    }

    /// The TLS handler of an outgoing stream, with SNI for the remote domain (RFC 6120 §13.7.2.1).
    func clientHandler(_ context: NIOSSLContext, domain: String) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context, serverHostname: domain) { certificates, promise in
            self.record(certificates)
            promise.succeed(.certificateVerified)
        }
    }
}
