import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import XMPPCore

/// Signs agreements with the root's CA key (implemented by the executable over TrustCA).
public protocol AgreementSigning: Sendable {
    /// The signed agreement (docs/negotiation.md "Signature").
    func sign(_ agreement: Agreement) async throws -> SignedAgreement
}

/// Where recorded agreements are kept (an in-memory twin and SQLite in `DATA/xmpp.sqlite`).
public protocol AgreementStore: Sendable {
    /// Stores a recorded agreement; storing the same id twice keeps one.
    func save(_ agreement: SignedAgreement) async throws
    /// The agreements `party` (a bare JID) is part of, or every agreement when `party` is nil, oldest first.
    func agreements(involving party: JID?) async throws -> [SignedAgreement]
}

/// The root's side of `urn:intercloud:negotiation:0` (CONTRACT §5.4, docs/negotiation.md "The root"): every iq
/// routed between clouds passes the pure ``AgreementLedger``, which refuses malformed, expired, replayed or
/// unauthorised proposals with precise stanza errors; when both sides have accepted, the agreement is signed,
/// stored and sent to both parties as a headline message. `<agreements/>` queries to the domain return the
/// caller's agreements. A `Service` whose run loop expires stale conversations every few seconds.
public final class CloudNegotiation: StanzaInterceptor, Service {
    let domain: JID
    let sessions: SessionManager
    let signer: any AgreementSigning
    let store: any AgreementStore
    let now: @Sendable () -> Date
    let logger: Logger
    let ledger: NIOLockedValueBox<AgreementLedger>

    /// Creates the service for `domain`.
    public init(
        domain: String, sessions: SessionManager, signer: any AgreementSigning, store: any AgreementStore,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) throws {
        self.domain = try JID(parsing: domain)
        self.sessions = sessions
        self.signer = signer
        self.store = store
        self.now = now
        self.logger = logger
        self.ledger = NIOLockedValueBox(AgreementLedger(configuration: .init(domain: domain)))
    }

    /// Expires stale conversations every 5 s until shutdown.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // Wakes at once on graceful shutdown instead of finishing the sleep (ServiceLifecycle).
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(5)) }
            } catch {
                return
            }
            let now = self.now()
            self.ledger.withLockedValue { _ = $0.expire(now: now) }
        }
    }

    /// Takes `<agreements/>` queries to the domain; passes every other iq through the ledger.
    public func intercept(_ stanza: Stanza, from sender: Session) -> Bool {
        guard stanza.kind == .iq else { return false }
        if stanza.type == "get", let to = stanza.to, to == self.domain,
            stanza.payload?.namespace == Namespace.negotiation, stanza.payload?.name == "agreements"
        {
            self.answerAgreementsQuery(stanza, from: sender)
            return true
        }
        let now = self.now()
        let action = self.ledger.withLockedValue { $0.observe(stanza, now: now) }
        switch action {
        case .route:
            return false
        case .refuse(let error):
            self.logger.info(
                "negotiation refused", metadata: ["xmpp.jid": "\(sender.jid)", "reason": "\(error.reason)"])
            sender.deliver(Self.errorReply(to: stanza, error))
            return true
        case .replaceWithError(let error):
            self.logger.info(
                "negotiation answer replaced by an error",
                metadata: ["xmpp.jid": "\(sender.jid)", "reason": "\(error.reason)"])
            let replacement = AgreementLedger.replacementError(for: stanza, error)
            if let to = stanza.to { self.sessions.session(to)?.deliver(replacement) }
            return true
        case .drop:
            return true
        case .record(let agreement):
            Task { await self.record(agreement) }
            return false
        }
    }

    /// Signs, stores and announces an agreement to both parties' sessions.
    func record(_ agreement: Agreement) async {
        do {
            let signed = try await self.signer.sign(agreement)
            try await self.store.save(signed)
            self.logger.info(
                "agreement recorded",
                metadata: [
                    "agreement.id": "\(agreement.id)", "requester": "\(agreement.requester)",
                    "responder": "\(agreement.responder)",
                ])
            for party in [agreement.requester, agreement.responder] {
                for session in self.sessions.sessions(of: party.bare) {
                    session.deliver(signed.makeNotification(from: self.domain, to: session.jid))
                }
            }
        } catch {
            self.logger.error("cannot record an agreement", metadata: ["error": "\(error)"])
        }
    }

    /// docs/negotiation.md "Retrieval".
    func answerAgreementsQuery(_ stanza: Stanza, from sender: Session) {
        let query: AgreementsQuery
        do {
            query = try AgreementsQuery(stanza)
        } catch {
            sender.deliver(Self.errorReply(to: stanza, error))
            return
        }
        let caller = sender.jid.bare
        Task {
            do {
                let list = try await self.store.agreements(involving: caller)
                    .filter { query.matches($0.agreement, caller: caller) }
                sender.deliver(stanza.makeResult(payload: AgreementsQuery.makeResult(list)))
            } catch {
                sender.deliver(stanza.makeError(StanzaError(.internalServerError, text: "agreements unavailable")))
            }
        }
    }

    /// An iq error carrying the negotiation application condition (RFC 6120 §8.3.2).
    static func errorReply(to stanza: Stanza, _ error: NegotiationError) -> XMLElement {
        var reply = stanza.makeError(error.stanzaError)
        reply.children = reply.children.map { node in
            if case .element(let element) = node, element.name == "error" { return .element(error.makeErrorElement()) }
            return node
        }
        return reply
    }
}

/// The in-memory twin of ``AgreementStore``.
public final class InMemoryAgreementStore: AgreementStore {
    private let agreements = NIOLockedValueBox([SignedAgreement]())

    /// Creates an empty store.
    public init() {}

    /// Stores an agreement once.
    public func save(_ agreement: SignedAgreement) async throws {
        self.agreements.withLockedValue { list in
            if !list.contains(where: { $0.agreement.id == agreement.agreement.id }) { list.append(agreement) }
        }
    }

    /// The agreements of `party`, or all.
    public func agreements(involving party: JID?) async throws -> [SignedAgreement] {
        self.agreements.withLockedValue { list in
            guard let party = party?.bare else { return list }
            return list.filter { $0.agreement.requester.bare == party || $0.agreement.responder.bare == party }
        }
    }
}

/// Advertises `urn:intercloud:negotiation:0` in the server's disco#info (XEP-0030 §3.1): negotiation iqs are routed
/// between clouds and `<agreements/>` queries are taken by ``CloudNegotiation`` before any feature sees them.
public struct NegotiationDiscoFeature: IQFeature {
    /// Creates the feature.
    public init() {}
    /// Handles no payloads itself.
    public var namespaces: [String] { [] }
    /// The negotiation namespace.
    public var discoFeatures: [String] { [Namespace.negotiation] }
    /// Never asked to answer.
    public func handles(_ target: IQTarget) -> Bool { false }
    /// Never called.
    public func handle(_ iq: Stanza, target: IQTarget, context: FeatureContext) -> XMLElement {
        iq.makeError(StanzaError(.serviceUnavailable))
    }
}
