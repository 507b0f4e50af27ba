import NIOCore
import XMPPCore

extension C2SConnectionHandler {
    /// Fetches SCRAM credentials off the event loop and feeds the answer back to the machine on it.
    func lookUpCredentials(username: String, hash: SCRAMHash, context: ChannelHandlerContext) {
        let credentials = self.shared.credentials
        let promise = context.eventLoop.makePromise(of: CredentialLookup.self)
        promise.completeWithTask { await credentials.scramCredentials(username: username, hash: hash) }
        promise.futureResult.assumeIsolated().whenSuccess { lookup in
            guard let context = self.context, !self.closing else { return }
            switch lookup {
            case .found(let stored, let disabled):
                self.run(self.machine.credentialsFound(stored, accountDisabled: disabled), context: context)
            case .notFound:
                self.run(self.machine.credentialsFound(nil), context: context)
            }
        }
    }

    /// Checks a PLAIN password off the event loop (PBKDF2 is deliberately slow).
    func verifyPassword(username: String, password: String, context: ChannelHandlerContext) {
        let credentials = self.shared.credentials
        let promise = context.eventLoop.makePromise(of: C2SNegotiationStateMachine.PasswordCheck.self)
        promise.completeWithTask { await credentials.checkPassword(username: username, password: password) }
        promise.futureResult.assumeIsolated().whenSuccess { check in
            guard let context = self.context, !self.closing else { return }
            self.run(self.machine.passwordChecked(check), context: context)
        }
    }

    /// Validates the presented client certificate for EXTERNAL off the event loop (XEP-0178).
    func verifyCertificate(authzid: String?, context: ChannelHandlerContext) {
        guard let authenticator = self.shared.certificates else {
            self.run(self.machine.certificateChecked(.failure(.invalidMechanism)), context: context)
            return
        }
        let chain = self.presented.der
        let promise = context.eventLoop.makePromise(of: Result<JID, SASLFailure>.self)
        promise.completeWithTask { await authenticator.authenticate(chain: chain, authzid: authzid) }
        promise.futureResult.assumeIsolated().whenSuccess { result in
            guard let context = self.context, !self.closing else { return }
            self.run(self.machine.certificateChecked(result), context: context)
        }
    }

    /// Sends a SASL `<failure/>`, delayed when this address keeps failing (RFC 6120 §13.9.2).
    func authenticationFailed(_ failure: XMLElement, condition: SASLFailure, context: ChannelHandlerContext) {
        self.shared.authFailuresTotal.increment()
        self.logger.info("authentication failed", metadata: ["sasl.condition": "\(condition.rawValue)"])
        let now = Double(NIODeadline.now().uptimeNanoseconds) / 1e9
        let delay =
            condition == .notAuthorized ? self.shared.throttle.recordFailure(from: self.remoteAddress, now: now) : 0
        let text = failure.serialized(parentNamespace: Namespace.client)
        guard delay > 0 else {
            self.write(text, context: context)
            return
        }
        context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(delay * 1000))) {
            guard let context = self.context, !self.closing else { return }
            self.write(text, context: context)
        }
    }
}

/// Logger metadata keys, declared in one place (STYLE: dotted keys).
enum LogKey {
    static let remoteAddress = "net.peer.address"
    static let jid = "xmpp.jid"
    static let sessionID = "xmpp.session.id"
}
