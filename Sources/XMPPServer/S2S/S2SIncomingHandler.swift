import Logging
import NIOCore
import NIOSSL
import NIOTLS
import XMPPCore

/// The thin driver of one incoming server-to-server stream: bytes to the XML parser, events to the
/// ``S2SReceivingStateMachine``, stanzas to the router, dialback questions to the ``S2SOutboundPool``.
final class S2SIncomingHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Asks a handler, on its event loop, to end its stream with an error (shutdown).
    struct CloseRequest: Sendable {
        var error: StreamError
    }

    private let shared: S2SShared
    private let pool: S2SOutboundPool
    private var machine: S2SReceivingStateMachine
    private var parser: XMLStreamParser
    private let peer = PeerCertificates()
    private var generation = 0
    private var closing = false
    private var logger: Logger

    init(shared: S2SShared, pool: S2SOutboundPool) {
        self.shared = shared
        self.pool = pool
        self.machine = S2SReceivingStateMachine(configuration: shared.receivingConfiguration())
        self.parser = XMLStreamParser(maxStanzaSize: shared.configuration.maxStanzaSizeBeforeAuth)
        self.logger = shared.logger
    }

    func channelActive(context: ChannelHandlerContext) {
        self.logger[metadataKey: "net.peer.address"] = "\(context.remoteAddress?.ipAddress ?? "unknown")"
        self.shared.incomingTotal.increment()
        self.shared.connections.withLockedValue { $0[ObjectIdentifier(context.channel)] = context.channel }
        // RFC 6120 §13.12: a peer that never authenticates does not keep the connection; dialback verification
        // streams, which only ask questions, are done long before.
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(self.shared.configuration.connectTimeout)) {
            guard !self.closing, self.machine.authenticatedDomains.isEmpty else { return }
            self.run(
                self.machine.fail(StreamError(.connectionTimeout, text: "authenticate within the time allowed")),
                context: context)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closing = true
        self.shared.connections.withLockedValue { _ = $0.removeValue(forKey: ObjectIdentifier(context.channel)) }
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
            self.logger.info("s2s parse error", metadata: ["error": "\(error)"])
            self.run(self.machine.parseFailed(error), context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            self.run(self.machine.tlsEstablished(peerCertificate: !self.peer.der.isEmpty), context: context)
        } else if let request = event as? CloseRequest {
            self.run(self.machine.fail(request.error), context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.logger.info("s2s connection error", metadata: ["error": "\(error)"])
        self.closing = true
        context.close(promise: nil)
    }

    private func run(_ action: S2SReceivingStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .openStream(let opening, let features):
            var text = opening.serialized() + "<stream:features>"
            for feature in features.elements { feature.serialize(into: &text, parentNamespace: Namespace.server) }
            self.write(text + "</stream:features>", context: context)
        case .send(let element):
            self.write(S2SStreamOpening.wire(element), context: context)
        case .validateCertificate(let domain):
            self.validateCertificate(domain: domain, context: context)
        case .startTLS(let proceed):
            self.write(proceed.serialized(parentNamespace: Namespace.server), context: context)
            self.resetParser()
            do {
                try context.pipeline.syncOperations.addHandler(
                    self.peer.serverHandler(self.shared.serverTLS), position: .first)
            } catch {
                self.logger.error("could not start TLS", metadata: ["error": "\(error)"])
                self.closing = true
                context.close(promise: nil)
            }
        case .authenticated(let success, let domain):
            self.write(success.serialized(parentNamespace: Namespace.server), context: context)
            self.resetParser()
            self.logger.info("s2s peer authenticated", metadata: ["s2s.peer": "\(domain)", "s2s.method": "EXTERNAL"])
        case .verifyDialback(let verification):
            self.verifyDialback(verification, context: context)
        case .deliver(let stanza):
            self.shared.stanzasIn.increment()
            self.shared.router?.routeFromRemote(stanza)
        case .bounce(let element):
            self.pool.send(element)
        case .closeStream:
            self.closing = true
            self.write(StreamHeader.closing, context: context)
            context.close(promise: nil)
        case .closeWithStreamError(let error, let opening):
            self.closing = true
            self.shared.streamErrors.increment()
            self.logger.info("closing s2s stream with error", metadata: ["error": "\(error)"])
            self.write((opening?.serialized() ?? "") + error.serialized() + StreamHeader.closing, context: context)
            context.close(promise: nil)
        }
        if !self.machine.authenticatedDomains.isEmpty {
            self.parser.maxStanzaSize = self.shared.configuration.maxStanzaSize
        }
    }

    /// Validates the peer's certificate off the event loop (RFC 6120 §13.7.2.1).
    private func validateCertificate(domain: String, context: ChannelHandlerContext) {
        let verifier = self.shared.verifier
        let chain = self.peer.der
        let promise = context.eventLoop.makePromise(of: Bool.self)
        promise.completeWithTask { await verifier.verify(chain: chain, domain: domain) }
        promise.futureResult.assumeIsolated().whenSuccess { valid in
            guard !self.closing else { return }
            self.logger.debug("peer certificate checked", metadata: ["s2s.peer": "\(domain)", "valid": "\(valid)"])
            self.run(self.machine.certificateValidated(valid), context: context)
        }
    }

    /// Asks the authoritative server over an outgoing stream (XEP-0220 §2.3).
    private func verifyDialback(_ verification: DialbackVerification, context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: DialbackElement.Outcome.self)
        self.pool.verify(verification, promise: promise)
        promise.futureResult.assumeIsolated().whenSuccess { outcome in
            guard !self.closing else { return }
            self.logger.info(
                "s2s dialback checked",
                metadata: ["s2s.peer": "\(verification.originating)", "outcome": "\(outcome.rawValue)"])
            self.run(self.machine.dialbackVerified(verification, outcome: outcome), context: context)
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
