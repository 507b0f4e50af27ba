import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import XMPPCore

/// The server side of one SASL GSSAPI exchange (RFC 4752 §3.1), owned by a connection handler and stepped on the
/// blocking thread pool: the ``GSSAPIServer`` machine holds the acceptor whose calls read the keytab and the
/// replay cache. ``finish()`` drops the acceptor (deleting the security context) — also on the thread pool.
final class GSSAPIExchange: Sendable {
    private let server: NIOLockedValueBox<GSSAPIServer?>

    /// An exchange on a fresh acceptor.
    init(acceptor: any GSSAPIAcceptor) {
        self.server = NIOLockedValueBox(GSSAPIServer(acceptor: acceptor))
    }

    /// Feeds one client message; blocking, call on the thread pool.
    func receive(_ response: [UInt8]) -> GSSAPIServer.Action {
        self.server.withLockedValue { server in
            guard var machine = server else { return .failure(.aborted, reason: "the exchange was abandoned") }
            let action = machine.receive(response)
            server = machine
            return action
        }
    }

    /// Releases the acceptor; blocking, call on the thread pool.
    func finish() {
        // Move the machine out under the lock, so that its acceptor is released here, on this thread.
        let released = self.server.withLockedValue { server in
            defer { server = nil }
            return server
        }
        _ = released
    }
}

extension C2SConnectionHandler {
    /// Runs one GSSAPI step off the event loop (the GSS-API calls on the thread pool, the registry check on the
    /// cooperative pool) and feeds the outcome back to the machine on the event loop; every refusal is logged
    /// with its reason.
    func gssapiStep(response: [UInt8], first: Bool, context: ChannelHandlerContext) {
        guard let kerberos = self.shared.kerberos else {
            self.run(
                self.machine.gssapiStepped(.failed(.invalidMechanism, reason: "GSSAPI is not configured")),
                context: context)
            return
        }
        if first || self.gssapiExchange == nil {
            self.finishGSSAPIExchange()
            self.gssapiExchange = GSSAPIExchange(acceptor: kerberos.makeAcceptor())
        }
        guard let exchange = self.gssapiExchange else { return }
        let threadPool = self.shared.threadPool
        let promise = context.eventLoop.makePromise(of: C2SNegotiationStateMachine.GSSAPIStepResult.self)
        promise.completeWithTask {
            let action: GSSAPIServer.Action
            do {
                action = try await threadPool.runIfActive { exchange.receive(response) }
            } catch {
                return .failed(.temporaryAuthFailure, reason: "the blocking thread pool is not running")
            }
            switch action {
            case .challenge(let bytes):
                return .challenge(bytes)
            case .failure(let condition, let reason):
                return .failed(condition, reason: reason)
            case .success(let principal, let authzid):
                switch await kerberos.authorize(principal: principal, authzid: authzid) {
                case .success(let jid): return .authenticated(jid)
                case .failure(let refusal): return .failed(refusal.condition, reason: refusal.reason)
                }
            }
        }
        promise.futureResult.assumeIsolated().whenSuccess { result in
            // A result of an exchange that was aborted or replaced meanwhile is dropped.
            guard let context = self.context, !self.closing, self.gssapiExchange === exchange else { return }
            switch result {
            case .challenge:
                break
            case .authenticated(let jid):
                self.logger.info("GSSAPI authentication succeeded", metadata: [LogKey.jid: "\(jid)"])
                self.finishGSSAPIExchange()
            case .failed(let condition, let reason):
                self.logger.info(
                    "GSSAPI authentication refused",
                    metadata: ["sasl.condition": "\(condition.rawValue)", "sasl.reason": "\(reason)"])
                self.finishGSSAPIExchange()
            }
            self.run(self.machine.gssapiStepped(result), context: context)
        }
    }

    /// Drops the current exchange, releasing its security context on the thread pool.
    func finishGSSAPIExchange() {
        guard let exchange = self.gssapiExchange else { return }
        self.gssapiExchange = nil
        self.shared.threadPool.submit { _ in exchange.finish() }
    }
}
