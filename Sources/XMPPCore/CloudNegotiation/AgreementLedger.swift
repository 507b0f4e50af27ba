import Foundation

/// The root's view of every negotiation it routes: it validates each negotiation iq before routing it and
/// records an agreement when both sides have accepted the same round's terms (docs/negotiation.md "The root").
///
/// Pure: the server feeds it every iq routed between two full JIDs with ``observe(_:now:)`` and carries out the
/// returned ``Action``; it calls ``expire(now:)`` from a periodic timer to evict expired conversations. Memory is
/// bounded: each requester has at most ``Configuration/maxPendingPerParty`` open conversations (more get
/// `resource-constraint`), and finished ones are remembered only until their last offer expired (to refuse a
/// replayed proposal id with `conflict`), at most ``Configuration/maxRetainedPerParty`` per requester.
public struct AgreementLedger: Sendable {
    /// The root's policy.
    public struct Configuration: Sendable, Hashable {
        /// The root's XMPP domain: both parties must be accounts `NAME@domain` (CONTRACT §3, §5).
        public var domain: String
        /// Rounds, offer lifetime and grace, shared with the parties' ``NegotiationStateMachine``.
        public var limits: NegotiationStateMachine.Configuration
        /// Open conversations a requester may have at once.
        public var maxPendingPerParty: Int
        /// Finished conversations remembered per requester for replay detection; beyond it the one whose
        /// retention ends first is forgotten.
        public var maxRetainedPerParty: Int

        /// Creates a configuration; defaults: 32 open and 256 remembered conversations per requester.
        public init(
            domain: String, limits: NegotiationStateMachine.Configuration = .init(), maxPendingPerParty: Int = 32,
            maxRetainedPerParty: Int = 256
        ) {
            self.domain = domain
            self.limits = limits
            self.maxPendingPerParty = maxPendingPerParty
            self.maxRetainedPerParty = maxRetainedPerParty
        }
    }

    /// What the server does with the observed stanza.
    public enum Action: Sendable, Hashable {
        /// Route it unchanged: a valid negotiation message, or not a negotiation stanza at all.
        case route
        /// An iq `set` the root refuses: answer the sender with ``Stanza/makeError(_:)-(NegotiationError)`` and do
        /// not route it (RFC 6120 §8.3.1).
        case refuse(NegotiationError)
        /// An iq `result` from the responder that is invalid: do not route it; send the requester
        /// ``AgreementLedger/replacementError(for:_:)`` instead, since a result cannot be answered with an error
        /// (RFC 6120 §8.3.1). The conversation is over.
        case replaceWithError(NegotiationError)
        /// An unsolicited negotiation `result` (no such request outstanding): discard it.
        case drop
        /// Route it unchanged, then sign and store this agreement and send it to both parties
        /// (docs/negotiation.md "Agreements").
        case record(Agreement)
    }

    /// A conversation's identity: the requester's bare JID and its proposal id.
    struct Key: Hashable, Sendable {
        var requester: JID
        var proposalID: String
    }

    /// The iq `result` the root expects: from the responder's full JID to the requester's, with the `set`'s id.
    struct Exchange: Hashable, Sendable {
        var from: JID
        var to: JID
        var id: String
    }

    /// What the requester's outstanding `set` carried.
    enum Sent: Hashable, Sendable {
        case offer, accept, reject
    }

    enum Finish: Hashable, Sendable {
        case agreed, rejected, failed, expired
    }

    enum Phase: Hashable, Sendable {
        /// The requester's `set` is outstanding; the responder answers in its `result`.
        case awaitingResult(Exchange, Sent)
        /// The responder's counter-offer is open; the requester's next `set` is due.
        case awaitingRequest
        /// Over; remembered until ``Conversation/retainUntil``.
        case finished(Finish)
    }

    struct Conversation: Hashable, Sendable {
        let requester: JID
        let responder: JID
        let proposedAt: Date
        var offer: Offer
        var phase: Phase
        var latestExpiry: Date
    }

    /// The policy.
    public let configuration: Configuration
    var conversations: [Key: Conversation] = [:]
    var exchanges: [Exchange: Key] = [:]
    var openCount: [JID: Int] = [:]
    var retainedCount: [JID: Int] = [:]

    /// Creates an empty ledger.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Conversations still open.
    public var openConversations: Int { self.openCount.values.reduce(0, +) }
    /// Conversations held in memory, open or remembered.
    public var trackedConversations: Int { self.conversations.count }

    /// Looks at an iq routed between two JIDs and says what to do with it (docs/negotiation.md "The root").
    ///
    /// `set`s whose payload is in `urn:intercloud:negotiation:0` are validated (see ``observeRequest``); `result`s
    /// and `error`s are matched by (from, to, id) against the outstanding negotiation `set`s; everything else is
    /// ``Action/route``.
    public mutating func observe(_ stanza: Stanza, now: Date) -> Action {
        guard stanza.kind == .iq else { return .route }
        switch stanza.type {
        case "set":
            guard let payload = stanza.payload, payload.namespace == Namespace.negotiation else { return .route }
            return self.observeRequest(stanza, payload: payload, now: now)
        case "result", "error":
            return self.observeResponse(stanza, now: now)
        default:
            return .route
        }
    }

    /// An iq `error` with the result's addresses and id, standing in for an invalid `result` (RFC 6120 §8.3.1,
    /// §8.3.2): from the responder to the requester, carrying the negotiation condition.
    public static func replacementError(for result: Stanza, _ error: NegotiationError) -> XMLElement {
        var element = XMLElement(name: "iq", namespace: Namespace.client, attributes: ["type": "error"])
        element[attribute: "id"] = result.id
        element[attribute: "from"] = result.from?.description
        element[attribute: "to"] = result.to?.description
        element.append(error.makeErrorElement())
        return element
    }

    /// The result of a sweep by ``expire(now:)``.
    public struct Sweep: Sendable, Hashable {
        /// Open conversations that ended because their open offer expired.
        public var expired: Int
        /// Finished conversations forgotten because their retention ended.
        public var forgotten: Int
    }

    /// Ends open conversations whose deadline passed and forgets finished ones whose retention ended; call it
    /// periodically (every few seconds) to bound memory.
    @discardableResult
    public mutating func expire(now: Date) -> Sweep {
        var sweep = Sweep(expired: 0, forgotten: 0)
        for (key, conversation) in self.conversations {
            if case .finished = conversation.phase {
                if now > self.retainUntil(conversation) {
                    self.forget(key)
                    sweep.forgotten += 1
                }
            } else if let deadline = self.deadline(conversation), now > deadline {
                self.finish(key, .expired)
                sweep.expired += 1
            }
        }
        return sweep
    }

    /// When an open conversation expires: the open offer's expiry while the requester must send, one grace
    /// period later while the responder's result is outstanding.
    func deadline(_ conversation: Conversation) -> Date? {
        switch conversation.phase {
        case .awaitingRequest: conversation.offer.expires
        case .awaitingResult: conversation.offer.expires.addingTimeInterval(self.configuration.limits.grace)
        case .finished: nil
        }
    }

    func retainUntil(_ conversation: Conversation) -> Date {
        conversation.latestExpiry.addingTimeInterval(self.configuration.limits.grace)
    }
}
