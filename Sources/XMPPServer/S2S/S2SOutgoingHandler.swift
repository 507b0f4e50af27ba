import Logging
import NIOCore
import NIOSSL
import NIOTLS
import XMPPCore

/// The thin driver of one outgoing server-to-server stream: bytes to the XML parser, events to the
/// ``S2SInitiatingStateMachine``, its actions to the socket and to the ``S2SOutboundPool``.
final class S2SOutgoingHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Asks the stream, on its event loop, to carry a dialback question (XEP-0220 §2.3.1).
    struct VerifyRequest: Sendable {
        var verification: DialbackVerification
        var promise: EventLoopPromise<DialbackElement.Outcome>
    }

    /// The pool this stream belongs to.
    let pool: S2SOutboundPool
    /// Our domain and the peer's.
    let key: S2SOutboundPool.Key
    /// The link generation this handler serves.
    let serial: UInt64
    private var machine: S2SInitiatingStateMachine
    private var parser: XMLStreamParser
    private let peer = PeerCertificates()
    private var promises: [DialbackVerification: [EventLoopPromise<DialbackElement.Outcome>]] = [:]
    private var generation = 0
    private var closing = false
    private var logger: Logger

    init(pool: S2SOutboundPool, key: S2SOutboundPool.Key, serial: UInt64) {
        self.pool = pool
        self.key = key
        self.serial = serial
        self.machine = S2SInitiatingStateMachine(
            configuration: .init(
                localDomain: key.local, remoteDomain: key.remote, dialback: pool.shared.configuration.dialback,
                keys: pool.shared.keys))
        self.parser = XMLStreamParser(maxStanzaSize: pool.shared.configuration.maxStanzaSize)
        self.logger = pool.shared.logger
        self.logger[metadataKey: "s2s.link"] = "\(key)"
    }

    func channelActive(context: ChannelHandlerContext) {
        self.pool.shared.connections.withLockedValue { $0[ObjectIdentifier(context.channel)] = context.channel }
        for (verification, promise) in self.pool.attach(self.key, serial: self.serial, channel: context.channel) {
            self.request(verification, promise: promise, context: context)
        }
        self.run(self.machine.connected(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closing = true
        self.pool.shared.connections.withLockedValue { _ = $0.removeValue(forKey: ObjectIdentifier(context.channel)) }
        self.pool.fail(
            self.key, serial: self.serial, error: StanzaError(.remoteServerNotFound), reason: "connection closed")
        self.failVerifications()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.closing else { return }
        let buffer = self.unwrapInboundIn(data)
        let result = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(XMLStreamError) -> [XMLStreamEvent] in try self.parser.feed(bytes) }
        }
        let generation = self.generation
        switch result {
        case .success(let events):
            for event in events {
                guard !self.closing, generation == self.generation else { break }
                self.run(self.machine.consume(event), context: context)
            }
        case .failure(let error):
            self.run(self.machine.parseFailed(error), context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            self.run(self.machine.tlsEstablished(), context: context)
        } else if let request = event as? VerifyRequest {
            self.request(request.verification, promise: request.promise, context: context)
        } else if let request = event as? S2SIncomingHandler.CloseRequest {
            self.run(self.machine.fail(request.error, reason: request.error.description), context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.logger.info("s2s connection error", metadata: ["error": "\(error)"])
        self.closing = true
        context.close(promise: nil)
    }

    private func request(
        _ verification: DialbackVerification, promise: EventLoopPromise<DialbackElement.Outcome>,
        context: ChannelHandlerContext
    ) {
        guard !self.closing else {
            promise.succeed(.error)  // every promise is completed, even on a stream that is going away
            return
        }
        self.promises[verification, default: []].append(promise)
        self.run(self.machine.requestVerification(verification), context: context)
    }

    private func failVerifications() {
        for promise in self.promises.values.flatMap({ $0 }) { promise.succeed(.error) }
        self.promises = [:]
    }

    private func run(_ action: S2SInitiatingStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .openStream(let opening):
            self.write(opening.serialized(), context: context)
        case .send(let elements):
            self.write(elements.map(S2SStreamOpening.wire).joined(), context: context)
        case .startTLS:
            self.resetParser()
            do {
                let handler = try self.peer.clientHandler(self.pool.shared.clientTLS, domain: self.key.remote)
                try context.pipeline.syncOperations.addHandler(handler, position: .first)
            } catch {
                self.logger.error("could not start TLS", metadata: ["error": "\(error)"])
                self.run(self.machine.fail(nil, reason: "TLS set-up failed"), context: context)
            }
        case .restartStream(let opening):
            self.resetParser()
            self.write(opening.serialized(), context: context)
        case .established:
            self.established(context: context)
        case .verified(let verification, let outcome):
            for promise in self.promises.removeValue(forKey: verification) ?? [] { promise.succeed(outcome) }
        case .closeStream:
            self.closing = true
            self.write(StreamHeader.closing, context: context)
            context.close(promise: nil)
        case .fail(let error, let reason):
            self.closing = true
            self.logger.info("s2s stream failed", metadata: ["reason": "\(reason)"])
            if error != nil { self.pool.shared.streamErrors.increment() }
            self.write((error?.serialized() ?? "") + StreamHeader.closing, context: context)
            context.close(promise: nil)
            self.pool.fail(self.key, serial: self.serial, error: StanzaError(.remoteServerNotFound), reason: reason)
        }
    }

    /// The peer accepted us. Its certificate is checked too (RFC 6120 §13.7.2.1): without dialback an untrusted
    /// peer is refused; with dialback it is accepted as XEP-0220 does, on the strength of the route.
    private func established(context: ChannelHandlerContext) {
        let verifier = self.pool.shared.verifier
        let chain = self.peer.der
        let remote = self.key.remote
        let promise = context.eventLoop.makePromise(of: Bool.self)
        promise.completeWithTask { await verifier.verify(chain: chain, domain: remote) }
        promise.futureResult.assumeIsolated().whenSuccess { trusted in
            guard !self.closing else { return }
            if !trusted && !self.pool.shared.configuration.dialback {
                self.run(self.machine.fail(nil, reason: "the peer's certificate is not trusted"), context: context)
                return
            }
            self.logger.info("s2s stream established", metadata: ["s2s.peer_certificate_trusted": "\(trusted)"])
            let queued = self.pool.established(self.key, serial: self.serial)
            guard !queued.isEmpty else { return }
            self.pool.shared.stanzasOut.increment(by: queued.count)
            self.write(queued.map(S2SShared.wire).joined(), context: context)
        }
    }

    private func write(_ text: String, context: ChannelHandlerContext) {
        context.writeAndFlush(self.wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: nil)
    }

    private func resetParser() {
        self.parser.reset()
        self.generation += 1
    }
}
