import NIOCore
import XMPPCore

extension C2SConnectionHandler {
    /// `<enable/>`, `<r/>` and `<a/>` (XEP-0198 §3, §4). Before a resource is bound `<enable/>` fails with
    /// `unexpected-request` (§3); anything else in the namespace ends the stream.
    func streamManagement(_ element: XMLElement, context: ChannelHandlerContext) {
        let parsed: StreamManagementElement?
        do {
            parsed = try StreamManagementElement(element)
        } catch {
            self.run(self.machine.fail(error.streamError), context: context)
            return
        }
        guard let session = self.session else {
            let failed = StreamManagementElement.failed(condition: .unexpectedRequest, h: nil).makeElement()
            self.write(failed.serialized(parentNamespace: Namespace.client), context: context)
            return
        }
        let action: StreamManagementSession.Action
        switch parsed {
        case .enable?:
            let id = self.shared.randomToken() + self.shared.randomToken()
            action = session.withStreamManagement { $0.enable(element, resumptionID: id) }
            if session.withStreamManagement({ $0.resumable }) {
                self.shared.router.sessions.registerResumable(id: id, session: session)
            }
        case .r?:
            action = session.withStreamManagement { $0.ackRequested() }
        case .a?:
            action = session.withStreamManagement { $0.ackReceived(element) }
        default:
            action = .closeWithStreamError(
                StreamError(.unsupportedStanzaType, text: "<\(element.name)/> is not a client element"),
                applicationCondition: nil)
        }
        switch action {
        case .none:
            break
        case .send(let reply):
            self.write(reply.serialized(parentNamespace: Namespace.client), context: context)
        case .closeWithStreamError(let error, _):
            self.run(self.machine.fail(error), context: context)
        }
    }

    /// `<resume previd h/>` instead of binding (XEP-0198 §5): the detached session continues on this connection
    /// with the stanzas the client has not handled resent once; a failure leaves the client free to bind.
    func resume(previd: String, h: UInt32, jid: JID, context: ChannelHandlerContext) {
        guard let session = self.shared.router.sessions.resumableSession(id: previd), session.jid.bare == jid else {
            let failed = StreamManagementSession.unknownSessionFailure
            self.write(failed.serialized(parentNamespace: Namespace.client), context: context)
            return
        }
        if let old = session.takeOver() {
            old.close(promise: nil)  // the server had not noticed that connection die yet
        }
        guard session.resume(on: context.channel, clientHandled: h, previd: previd) else {
            Self.end(session, shared: self.shared)  // XEP-0198 §5: a failed resumption ends the session
            return
        }
        self.session = session
        self.logger[metadataKey: LogKey.jid] = "\(session.jid)"
        self.logger.info("session resumed")
        _ = self.machine.resumed(session.jid)
    }

    /// Keeps a detached session for its resumption timeout, then ends it (XEP-0198 §5).
    func scheduleExpiry(of session: Session, token: UInt64, on eventLoop: any EventLoop) {
        let timeout = Int64(session.withStreamManagement { $0.resumptionTimeout })
        let shared = self.shared
        self.logger.info("session detached; waiting for resumption", metadata: ["seconds": "\(timeout)"])
        eventLoop.scheduleTask(in: .seconds(timeout)) {
            if session.isDetached(since: token) { Self.end(session, shared: shared) }
        }
    }

    /// Ends a session for good: unregistered, unavailable presence broadcast, and its unacknowledged messages put
    /// back into offline storage (XEP-0198 §5: "treat as undelivered"; XEP-0160).
    static func end(_ session: Session, shared: C2SShared) {
        shared.router.sessions.unregister(session)
        shared.router.sessions.removeResumable(session)
        shared.router.sessionEnded(session)
        shared.sessionsGauge.record(shared.router.sessions.count)
        let unacknowledged = session.withStreamManagement { sm -> [XMLElement] in
            defer { sm = StreamManagementSession(configuration: sm.configuration) }
            return sm.unacknowledged
        }
        for element in unacknowledged where element.name == "message" {
            guard let stanza = try? Stanza(element), stanza.type != "error", stanza.type != "headline" else { continue }
            shared.router.requeue(stanza, from: session)
        }
    }
}
