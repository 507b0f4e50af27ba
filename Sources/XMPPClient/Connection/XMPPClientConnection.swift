import Logging
import NIOCore
import NIOPosix
import NIOSSL
import XMPPCore

/// A logged-in XMPP client stream to the root, with an async API (RFC 6120; CONTRACT §5).
///
/// ``connect(host:port:domain:credentials:tls:resource:options:)`` returns once TLS, SASL and resource binding
/// are done. Stanzas go out with ``send(_:)``; iq requests are correlated with their response by id and sender
/// (``request(_:timeout:)``); inbound messages, presence and iq requests arrive on ``stanzas``. Pings from the
/// server are answered automatically (XEP-0199 §4). Other inbound iq requests must be answered by the reader
/// (RFC 6120 §8.2.3). ``close()`` ends the stream politely (RFC 6120 §4.4).
public final class XMPPClientConnection: Sendable {
    /// The full JID the server bound (RFC 6120 §7.6.1).
    public let jid: JID
    /// The XMPP domain logged in to.
    public let domain: String
    /// Inbound messages, presence and iq requests, in arrival order; finishes when the stream ends (RFC 6120 §8).
    public let stanzas: AsyncStream<Stanza>
    private let channel: any Channel
    private let finished: EventLoopFuture<XMPPClientError?>
    private let requestTimeout: TimeAmount

    private init(
        jid: JID, domain: String, stanzas: AsyncStream<Stanza>, channel: any Channel,
        finished: EventLoopFuture<XMPPClientError?>, requestTimeout: TimeAmount
    ) {
        self.jid = jid
        self.domain = domain
        self.stanzas = stanzas
        self.channel = channel
        self.finished = finished
        self.requestTimeout = requestTimeout
    }

    /// Connects to `host:port` and logs in to `domain` (RFC 6120 §4–§7).
    ///
    /// With ``XMPPClientTLS/Mode/startTLS`` the stream is upgraded before authentication (the root requires it,
    /// CONTRACT §5); with ``XMPPClientTLS/Mode/direct`` TLS starts at once (XEP-0368). The server certificate must
    /// chain to `tls.trustRoots` and name `domain` (RFC 6120 §13.7.2). `resource` is requested at binding; nil lets
    /// the server choose. Throws ``XMPPClientError`` with the reason on any failure, e.g. ``XMPPClientError/Code/authenticationFailed``
    /// with the SASL condition.
    public static func connect(
        host: String, port: Int, domain: String, credentials: XMPPClientCredentials, tls: XMPPClientTLS,
        resource: String? = nil, options: XMPPClientOptions = XMPPClientOptions()
    ) async throws(XMPPClientError) -> XMPPClientConnection {
        let sslContext = try tls.makeContext(credentials: credentials)
        let serverName = tls.serverName ?? domain
        let machine = C2SClientStateMachine(
            configuration: .init(
                domain: domain, authentication: credentials.authentication, resource: resource,
                nonceGenerator: options.nonceGenerator),
            secured: tls.mode == .direct)
        let eventLoop = options.group.next()
        let (stream, continuation) = AsyncStream.makeStream(
            of: Stanza.self, bufferingPolicy: .bufferingNewest(max(options.inboundBufferLimit, 1)))
        let outlets = XMPPClientHandler.Outlets(
            negotiated: eventLoop.makePromise(of: JID.self),
            finished: eventLoop.makePromise(of: XMPPClientError?.self), inbound: continuation)
        let direct = tls.mode == .direct
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(options.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if direct {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        XMPPClientHandler(
                            machine: machine, tlsContext: direct ? nil : sslContext, serverName: serverName,
                            options: options, outlets: outlets))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            continuation.finish()
            throw XMPPClientError(.connectionFailed, "cannot connect to \(host):\(port): \(error)")
        }
        let jid: JID
        do {
            jid = try await outlets.negotiated.futureResult.get()
        } catch {
            channel.close(promise: nil)
            throw Self.clientError(error)
        }
        options.logger.debug("logged in", metadata: ["xmpp.jid": "\(jid)"])
        return XMPPClientConnection(
            jid: jid, domain: domain, stanzas: stream, channel: channel, finished: outlets.finished.futureResult,
            requestTimeout: options.requestTimeout)
    }

    /// Sends a stanza; its namespace should be `jabber:client` (RFC 6120 §8). The server stamps `from`.
    public func send(_ element: XMLElement) async throws(XMPPClientError) {
        do {
            try await self.channel.writeAndFlush(XMPPClientCommand.send(element))
        } catch {
            throw Self.clientError(error)
        }
    }

    /// Sends an iq `get`/`set` and waits for its `result` (RFC 6120 §8.2.3).
    ///
    /// An id is assigned when `iq` has none. The answer must come from the addressee (or, for an iq without `to`,
    /// from our own account, RFC 6120 §10.3.3). Throws ``XMPPClientError/Code/stanzaError`` with the parsed
    /// ``StanzaError`` for `type='error'`, ``XMPPClientError/Code/timeout`` after `timeout` (default: the
    /// options' `requestTimeout`), ``XMPPClientError/Code/notConnected`` when the stream ends first.
    public func request(_ iq: XMLElement, timeout: TimeAmount? = nil) async throws(XMPPClientError) -> Stanza {
        let promise = self.channel.eventLoop.makePromise(of: Stanza.self)
        let command = XMPPClientCommand.request(iq, timeout: timeout ?? self.requestTimeout, promise: promise)
        self.channel.writeAndFlush(command).whenFailure { promise.fail($0) }
        do {
            return try await promise.futureResult.get()
        } catch {
            throw Self.clientError(error)
        }
    }

    /// Ends the stream with `</stream:stream>`, waits for the server's (at most the options' `closeTimeout`), and
    /// closes the connection (RFC 6120 §4.4). Returns why the stream ended: nil when it closed as asked.
    @discardableResult
    public func close() async -> XMPPClientError? {
        self.channel.writeAndFlush(XMPPClientCommand.close, promise: nil)
        return await self.waitUntilClosed()
    }

    /// Waits until the stream is over; returns nil when it ended by ``close()``, else why it ended (e.g.
    /// ``XMPPClientError/Code/streamError`` with `conflict` when another session replaced this one).
    public func waitUntilClosed() async -> XMPPClientError? {
        let reason: XMPPClientError?
        do {
            reason = try await self.finished.get()
        } catch {
            reason = Self.clientError(error)
        }
        try? await self.channel.closeFuture.get()
        return reason
    }

    /// Whether the underlying connection is still open.
    public var isActive: Bool { self.channel.isActive }

    /// Maps anything NIO throws to the module's error (STYLE §9).
    static func clientError(_ error: any Error) -> XMPPClientError {
        if let error = error as? XMPPClientError { return error }
        if let error = error as? ChannelError, error == .ioOnClosedChannel || error == .alreadyClosed {
            return XMPPClientError(.notConnected, "the connection is closed")
        }
        return XMPPClientError(.connectionLost, "\(error)")
    }
}
