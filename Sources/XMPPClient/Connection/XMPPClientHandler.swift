import Logging
import NIOCore
import NIOSSL
import XMPPCore

/// What ``XMPPClientConnection`` asks its channel to do; written into the pipeline from any thread.
enum XMPPClientCommand: Sendable {
    /// Send a stanza on the established stream (RFC 6120 §8).
    case send(XMLElement)
    /// Send an iq request and complete `promise` with its response (RFC 6120 §8.2.3).
    case request(XMLElement, timeout: TimeAmount, promise: EventLoopPromise<Stanza>)
    /// Close the stream politely (RFC 6120 §4.4).
    case close
}

/// The thin driver of one client connection: feeds bytes to the XML parser and events to the
/// ``C2SClientStateMachine``, carries out its actions, and correlates iq responses (STYLE: handlers are thin
/// drivers). Everything runs on the channel's event loop.
final class XMPPClientHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = XMPPClientCommand
    typealias OutboundOut = ByteBuffer

    /// Where the handler reports to the connection object.
    struct Outlets: Sendable {
        /// Succeeds with the bound JID, or fails with why negotiation ended (RFC 6120 §7.6.1).
        var negotiated: EventLoopPromise<JID>
        /// Succeeds once the stream is over, with the reason (nil for a close we asked for).
        var finished: EventLoopPromise<XMPPClientError?>
        /// Inbound messages, presence and iq requests (RFC 6120 §8).
        var inbound: AsyncStream<Stanza>.Continuation
    }

    private var machine: C2SClientStateMachine
    private var parser: XMLStreamParser
    /// Bumped on every parser reset so that events parsed before a restart are dropped (RFC 6120 §4.3.3).
    private var generation = 0
    private let tlsContext: NIOSSLContext?
    private let serverName: String
    private let options: XMPPClientOptions
    private let outlets: Outlets
    private var requests = IQResponseTracker<EventLoopPromise<Stanza>>(idPrefix: "ic")
    private var timers: [String: Scheduled<Void>] = [:]
    private var deadline: Scheduled<Void>?
    private var isFinished = false
    private var logger: Logger

    /// `tlsContext` is used for STARTTLS; nil when TLS was set up before this handler (direct TLS) or not at all.
    init(
        machine: C2SClientStateMachine, tlsContext: NIOSSLContext?, serverName: String, options: XMPPClientOptions,
        outlets: Outlets
    ) {
        self.machine = machine
        self.tlsContext = tlsContext
        self.serverName = serverName
        self.options = options
        self.outlets = outlets
        self.parser = XMLStreamParser(maxStanzaSize: 64 * 1024)
        self.logger = options.logger
    }

    func channelActive(context: ChannelHandlerContext) {
        self.deadline = context.eventLoop.assumeIsolated().scheduleTask(in: self.options.negotiationTimeout) {
            self.run(self.machine.deadlineExceeded(), context: context)
        }
        self.run(self.machine.start(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.run(self.machine.connectionLost(reason: "the connection closed"), context: context)
        self.finish(XMPPClientError(.connectionLost, "the connection closed"))
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = self.unwrapInboundIn(data)
        let result = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(XMLStreamError) -> [XMLStreamEvent] in try self.parser.feed(bytes) }
        }
        let generation = self.generation
        switch result {
        case .success(let events):
            for event in events {
                guard !self.isFinished, generation == self.generation else { break }
                switch event {
                case .streamOpen(let header): self.run(self.machine.streamOpened(header), context: context)
                case .element(let element): self.run(self.machine.elementReceived(element), context: context)
                case .streamClose: self.run(self.machine.streamClosed(), context: context)
                }
            }
        case .failure(let error):
            self.run(self.machine.parseFailed(error), context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            self.run(self.machine.tlsFailed(reason: "TLS failed: \(error)"), context: context)
        } else {
            self.run(self.machine.connectionLost(reason: "\(error)"), context: context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .send(let element):
            guard self.machine.isEstablished else {
                promise?.fail(XMPPClientError(.notConnected, "the stream is not established"))
                return
            }
            self.write(element.serialized(parentNamespace: Namespace.client), context: context, promise: promise)
        case .request(let iq, let timeout, let responsePromise):
            promise?.succeed()
            self.request(iq, timeout: timeout, promise: responsePromise, context: context)
        case .close:
            promise?.succeed()
            self.run(self.machine.closeRequested(), context: context)
        }
    }
}

extension XMPPClientHandler {
    /// Carries out one action of the state machine.
    private func run(_ action: C2SClientStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .openStream(let header):
            self.resetParser()
            self.write(header, context: context)
        case .send(let element):
            self.write(element.serialized(parentNamespace: Namespace.client), context: context)
        case .startTLS:
            self.resetParser()
            self.startTLS(context: context)
        case .established(let jid):
            self.deadline?.cancel()
            self.deadline = nil
            self.parser.maxStanzaSize = self.options.maxStanzaSize
            self.logger[metadataKey: "xmpp.jid"] = "\(jid)"
            self.logger.debug("stream established")
            self.outlets.negotiated.succeed(jid)
        case .deliver(let stanza):
            self.deliver(stanza, context: context)
        case .closeStream:
            self.write("</stream:stream>", context: context)
            self.deadline?.cancel()
            self.deadline = context.eventLoop.assumeIsolated().scheduleTask(in: self.options.closeTimeout) {
                self.run(self.machine.deadlineExceeded(), context: context)
            }
        case .closeConnection(let sendClosingTag, let error):
            if sendClosingTag { self.write("</stream:stream>", context: context) }
            self.finish(error)
            context.close(promise: nil)
        case .closeWithStreamError(let streamError, let error):
            self.write(streamError.serialized() + "</stream:stream>", context: context)
            self.finish(error)
            context.close(promise: nil)
        }
    }

    /// RFC 6120 §5.4.3.3: after `<proceed/>` TLS starts on the same connection; the new stream header is written
    /// right away and held by the TLS handler until the handshake completes.
    private func startTLS(context: ChannelHandlerContext) {
        guard let tlsContext = self.tlsContext else {
            self.run(self.machine.tlsFailed(reason: "no TLS configuration for STARTTLS"), context: context)
            return
        }
        do {
            let handler = try NIOSSLClientHandler(context: tlsContext, serverHostname: self.serverName)
            try context.pipeline.syncOperations.addHandler(handler, position: .first)
        } catch {
            self.run(self.machine.tlsFailed(reason: "cannot start TLS: \(error)"), context: context)
            return
        }
        self.run(self.machine.tlsStarted(), context: context)
    }

    /// Routes an inbound stanza: iq responses to their requests, pings answered (XEP-0199 §4), the rest to the
    /// inbound stream.
    private func deliver(_ stanza: Stanza, context: ChannelHandlerContext) {
        guard let jid = self.machine.boundJID else { return }
        if stanza.kind == .iq && !stanza.isIQRequest {
            if let id = stanza.id, let promise = self.requests.resolve(stanza, ownJID: jid) {
                self.timers.removeValue(forKey: id)?.cancel()
                if stanza.type == "error" {
                    let error =
                        stanza.element.child(named: "error", namespace: Namespace.client)
                        .flatMap(StanzaError.init) ?? StanzaError(.undefinedCondition)
                    promise.fail(XMPPClientError.stanza(error))
                } else {
                    promise.succeed(stanza)
                }
            }
            return
        }
        if stanza.kind == .iq, stanza.type == "get", stanza.payload?.name == "ping",
            stanza.payload?.namespace == Namespace.ping
        {
            self.write(stanza.makeResult().serialized(parentNamespace: Namespace.client), context: context)
            return
        }
        self.outlets.inbound.yield(stanza)
    }

    /// Sends an iq request, assigning an id when it has none, and arms its timeout (RFC 6120 §8.1.3, §8.2.3).
    private func request(
        _ iq: XMLElement, timeout: TimeAmount, promise: EventLoopPromise<Stanza>, context: ChannelHandlerContext
    ) {
        guard self.machine.isEstablished else {
            promise.fail(XMPPClientError(.notConnected, "the stream is not established"))
            return
        }
        var iq = iq
        let id = iq[attribute: "id"] ?? self.requests.makeID()
        iq[attribute: "id"] = id
        let responder: JID?
        do {
            responder = try iq[attribute: "to"].map { try JID(parsing: $0) }
        } catch {
            promise.fail(XMPPClientError(.invalidConfiguration, "invalid 'to' address: \(error)"))
            return
        }
        guard self.requests.register(id: id, responder: responder, token: promise) else {
            promise.fail(XMPPClientError(.invalidConfiguration, "iq id '\(id)' is already outstanding"))
            return
        }
        self.timers[id] = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.timers[id] = nil
            self.requests.remove(id: id)?.fail(XMPPClientError(.timeout, "no answer to iq '\(id)' in time"))
        }
        self.write(iq.serialized(parentNamespace: Namespace.client), context: context)
    }

    /// Ends everything that waits on this connection, once.
    private func finish(_ error: XMPPClientError?) {
        guard !self.isFinished else { return }
        self.isFinished = true
        self.deadline?.cancel()
        for timer in self.timers.values { timer.cancel() }
        self.timers = [:]
        let failure = error ?? XMPPClientError(.notConnected, "the connection was closed")
        for promise in self.requests.removeAll() { promise.fail(failure) }
        self.outlets.negotiated.fail(failure)
        self.outlets.inbound.finish()
        self.outlets.finished.succeed(error)
        if let error { self.logger.debug("connection ended", metadata: ["error": "\(error)"]) }
    }

    private func resetParser() {
        self.parser.reset()
        self.generation += 1
    }

    private func write(_ text: String, context: ChannelHandlerContext, promise: EventLoopPromise<Void>? = nil) {
        context.writeAndFlush(self.wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: promise)
    }
}
