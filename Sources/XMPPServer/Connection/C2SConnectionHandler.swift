import Logging
import NIOCore
import NIOSSL
import NIOTLS
import XMPPCore

/// The thin driver of one client connection: feeds bytes to the XML parser, events to the
/// ``C2SNegotiationStateMachine``, and carries out the actions it returns (STYLE: handlers are thin drivers).
final class C2SConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Asks the handler, on its event loop, to end the stream with an error (session replaced, shutdown).
    struct CloseRequest: Sendable {
        var error: StreamError
    }

    let shared: C2SShared
    var machine: C2SNegotiationStateMachine
    private var parser: XMLStreamParser
    var session: Session?
    var remoteAddress = "unknown"
    private var holdsSlot = false
    /// The stream ended by `</stream:stream>` or a stream error: the session is not resumable (XEP-0198 §5).
    var endedCleanly = false
    var closing = false
    /// Bumped on every parser reset so that events parsed before a restart are dropped (RFC 6120 §4.3.3).
    private var generation = 0
    var logger: Logger
    var context: ChannelHandlerContext?

    /// The client certificate chain recorded by the TLS handler, for SASL EXTERNAL.
    let presented: PresentedCertificates
    /// The SASL GSSAPI exchange in progress, if any (RFC 4752).
    var gssapiExchange: GSSAPIExchange?

    init(shared: C2SShared, secured: Bool, presented: PresentedCertificates = PresentedCertificates()) {
        self.shared = shared
        self.presented = presented
        self.machine = C2SNegotiationStateMachine(configuration: shared.machineConfiguration(), secured: secured)
        self.parser = XMLStreamParser(maxStanzaSize: shared.configuration.maxStanzaSizeBeforeAuth)
        self.logger = shared.logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        self.remoteAddress = context.remoteAddress?.ipAddress ?? "unknown"
        self.logger[metadataKey: LogKey.remoteAddress] = "\(self.remoteAddress)"
        self.shared.connectionsTotal.increment()
        self.shared.connections.withLockedValue { $0[ObjectIdentifier(context.channel)] = context.channel }
        guard self.shared.limiter.acquire(self.remoteAddress) else {
            self.logger.info("connection refused: too many connections from this address")
            self.run(self.machine.fail(StreamError(.policyViolation, text: "too many connections")), context: context)
            return
        }
        self.holdsSlot = true
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if self.holdsSlot { self.shared.limiter.release(self.remoteAddress) }
        self.holdsSlot = false
        self.shared.connections.withLockedValue { _ = $0.removeValue(forKey: ObjectIdentifier(context.channel)) }
        if let session = self.session, session.isAttached(to: context.channel) {
            if !self.endedCleanly, let token = session.detach(from: context.channel) {
                self.scheduleExpiry(of: session, token: token, on: context.eventLoop)
            } else {
                Self.end(session, shared: self.shared)
            }
        }
        self.session = nil
        self.finishGSSAPIExchange()
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
            self.logger.info("stream parse error", metadata: ["error": "\(error.code.rawValue): \(error.reason)"])
            self.run(self.machine.parseFailed(error), context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            let clientCertificate = self.shared.certificates != nil && !self.presented.der.isEmpty
            if self.machine.isSecured {
                self.machine.directTLSEstablished(clientCertificate: clientCertificate)  // XEP-0368: no XML yet
            } else {
                self.resetParser()
                self.run(self.machine.tlsEstablished(clientCertificate: clientCertificate), context: context)
            }
        } else if let request = event as? CloseRequest {
            self.run(self.machine.fail(request.error), context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.logger.info("connection error", metadata: ["error": "\(error)"])
        self.closing = true
        context.close(promise: nil)
    }

    private func resetParser() {
        self.parser.reset()
        self.generation += 1
    }
}

extension C2SConnectionHandler {
    /// Carries out one action of the state machine.
    func run(_ action: C2SNegotiationStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .openStream(let id, let features):
            var text = StreamHeader.opening(id: id, domain: self.shared.configuration.domain)
            text += "<stream:features>"
            for feature in features.elements { feature.serialize(into: &text, parentNamespace: Namespace.client) }
            text += "</stream:features>"
            self.write(text, context: context)
        case .send(let element):
            if let session = self.session {
                session.deliver(element)  // a stanza error: counted by stream management
            } else {
                self.write(element.serialized(parentNamespace: Namespace.client), context: context)
            }
        case .startTLS(let proceed):
            self.startTLS(proceed, context: context)
        case .lookUpCredentials(let username, let hash):
            self.lookUpCredentials(username: username, hash: hash, context: context)
        case .verifyPassword(let username, let password):
            self.verifyPassword(username: username, password: password, context: context)
        case .verifyCertificate(let authzid):
            self.verifyCertificate(authzid: authzid, context: context)
        case .gssapiStep(let response, let first):
            self.gssapiStep(response: response, first: first, context: context)
        case .authenticated(let success, let jid):
            self.finishGSSAPIExchange()
            self.shared.throttle.recordSuccess(from: self.remoteAddress)
            self.write(success.serialized(parentNamespace: Namespace.client), context: context)
            self.resetParser()
            self.parser.maxStanzaSize = self.shared.configuration.maxStanzaSize
            self.logger[metadataKey: LogKey.jid] = "\(jid)"
            self.logger.info("authenticated")
        case .authenticationFailed(let failure, let condition):
            self.finishGSSAPIExchange()
            self.authenticationFailed(failure, condition: condition, context: context)
        case .bind(let jid, let result):
            let session = Session(
                jid: jid, id: self.shared.router.sessions.makeID(), channel: context.channel,
                streamManagement: self.shared.configuration.streamManagement)
            self.session = session
            if let replaced = self.shared.router.sessions.register(session) {
                replaced.close(with: StreamError(.conflict, text: "replaced by a new session"))
            }
            self.shared.loginsTotal.increment()
            self.shared.sessionsGauge.record(self.shared.router.sessions.count)
            self.logger[metadataKey: LogKey.jid] = "\(jid)"
            self.logger.info("session bound")
            self.write(result.serialized(parentNamespace: Namespace.client), context: context)
        case .deliver(let stanza):
            guard let session = self.session else { return }
            self.shared.router.route(stanza, from: session)
            session.withStreamManagement { if $0.isEnabled { $0.inboundStanzaHandled() } }
        case .resume(let previd, let h, let jid):
            self.resume(previd: previd, h: h, jid: jid, context: context)
        case .streamManagement(let element):
            self.streamManagement(element, context: context)
        case .closeStream:
            self.closing = true
            self.endedCleanly = true
            self.write(StreamHeader.closing, context: context)
            context.close(promise: nil)
        case .closeWithStreamError(let error, let openStreamID):
            self.closing = true
            self.endedCleanly = true
            self.shared.streamErrorsTotal.increment()
            self.logger.info("closing stream with error", metadata: ["error": "\(error)"])
            var text = openStreamID.map { StreamHeader.opening(id: $0, domain: self.shared.configuration.domain) } ?? ""
            text += error.serialized() + StreamHeader.closing
            self.write(text, context: context)
            context.close(promise: nil)
        }
    }

    func write(_ text: String, context: ChannelHandlerContext) {
        context.writeAndFlush(self.wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: nil)
    }

    /// RFC 6120 §5.4.3.3: `<proceed/>` goes out in the clear, then TLS starts on the same connection.
    private func startTLS(_ proceed: XMLElement, context: ChannelHandlerContext) {
        guard let sslContext = self.shared.sslContext else { return }
        self.write(proceed.serialized(parentNamespace: Namespace.client), context: context)
        self.resetParser()
        do {
            try context.pipeline.syncOperations.addHandler(
                self.shared.makeTLSHandler(sslContext, presented: self.presented), position: .first)
        } catch {
            self.logger.error("could not start TLS", metadata: ["error": "\(error)"])
            self.closing = true
            context.close(promise: nil)
        }
    }
}
