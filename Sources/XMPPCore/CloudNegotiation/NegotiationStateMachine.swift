import Foundation

/// One side of one negotiation conversation, as a pure state machine (docs/negotiation.md "Conversation").
///
/// The requester sends the proposal in an iq `set` and every later message of its own in a new `set`; the
/// responder answers each `set` in its iq `result`. Offers alternate: odd rounds are the requester's, even rounds
/// the responder's; the side that receives an offer accepts it, rejects it or counters with the next round. Each
/// input is one `mutating func` returning an ``Action`` for the driver, which owns the iq ids, the timer (see
/// ``deadline``) and the application that decides on offers (``Action/decide(_:)``). Time is passed in as `now`.
///
/// Errors the machine sends to the counterpart follow one rule, shared with ``AgreementLedger``: an invalid answer
/// from the side whose turn it is (malformed, invalid terms, expired, too many rounds) ends the conversation; a
/// message that is merely out of place (wrong round, out of order, duplicate id, wrong sender) is refused and the
/// conversation goes on.
public struct NegotiationStateMachine: Sendable {
    /// Limits shared with the root's ``AgreementLedger/Configuration``.
    public struct Configuration: Sendable, Hashable {
        /// The highest round a counter-offer may have (docs/negotiation.md "Limits").
        public var maxRounds: Int
        /// The furthest an offer's `expires` may lie in the future, in seconds.
        public var maxOfferLifetime: TimeInterval
        /// How late, in seconds, an answer may arrive after the root forwarded it in time: covers transit and
        /// clock skew between the parties and the root (docs/negotiation.md "Time").
        public var grace: TimeInterval

        /// Creates a configuration; the defaults match the root's: 10 rounds, one day, 30 seconds.
        public init(maxRounds: Int = 10, maxOfferLifetime: TimeInterval = 86_400, grace: TimeInterval = 30) {
            self.maxRounds = maxRounds
            self.maxOfferLifetime = maxOfferLifetime
            self.grace = grace
        }
    }

    /// Why a conversation ended without agreement.
    public enum Failure: Sendable, Hashable {
        /// A side rejected the open offer.
        case rejected(by: NegotiationRole, reason: RejectReason, text: String?)
        /// The open offer expired before it was answered.
        case expired
        /// The counterpart, or the root on its behalf, answered with a stanza error (RFC 6120 §8.3); `code` is the
        /// negotiation condition when the error has one.
        case errorReceived(StanzaError, code: NegotiationError.Code?)
        /// The counterpart sent an invalid answer; a responder has replied with this error.
        case protocolViolation(NegotiationError)
    }

    /// How the driver answers the iq `set` it is holding (RFC 6120 §8.2.3).
    public enum Reply: Sendable, Hashable {
        /// An iq `result`, with this payload if any.
        case result(XMLElement?)
        /// An iq `error` built with ``Stanza/makeError(_:)-(NegotiationError)``.
        case error(NegotiationError)
    }

    /// What the driver must do next.
    public enum Action: Sendable, Hashable {
        /// Nothing (an input that does not concern this conversation's current state).
        case none
        /// Ask the application to decide on the counterpart's offer, then call ``accept(now:)``,
        /// ``reject(reason:text:now:)`` or ``counter(terms:expires:now:)`` before ``deadline``.
        case decide(Offer)
        /// Send an iq `set` with this payload to the counterpart's full JID (requester only).
        case send(XMLElement)
        /// Answer the iq `set` being held; the conversation goes on.
        case reply(Reply)
        /// The conversation ended in agreement on `offer`'s terms; answer the held iq with `reply` if set. The
        /// root's signed record is authoritative (docs/negotiation.md "Agreements").
        case agreementReached(Offer, reply: Reply?)
        /// The conversation ended without agreement; answer the held iq with `reply` if set.
        case failed(Failure, reply: Reply?)
    }

    /// How a finished conversation ended.
    public enum Outcome: Sendable, Hashable {
        case agreed(Offer)
        case failed(Failure)
    }

    /// What the requester did with the responder's offer, while it waits for the acknowledging `result`.
    enum Decision: Sendable, Hashable {
        case accepted
        case rejected(RejectReason, String?)
    }

    enum State: Sendable, Hashable {
        /// Nothing sent or received yet.
        case idle
        /// Requester: the iq `set` carrying this offer (proposal or counter) awaits its `result`.
        case awaitingResponse(Offer)
        /// Requester: the iq `set` accepting or rejecting this offer of the responder awaits its empty `result`.
        case awaitingAcknowledgement(Offer, Decision)
        /// The counterpart's offer awaits the application's decision; a responder holds the iq `set`.
        case deciding(Offer)
        /// Responder: this counter-offer went out in a `result`; the requester's next iq `set` is due.
        case awaitingRequest(Offer)
        /// Over.
        case finished(Outcome)
    }

    /// This side's role.
    public let role: NegotiationRole
    /// The limits.
    public let configuration: Configuration
    /// The counterpart's full JID, known after the proposal is sent or received.
    public internal(set) var counterpart: JID?
    var state: State = .idle
    /// The latest `expires` of any offer seen, for ``retainUntil``.
    var latestExpiry: Date?
    /// The last offer made by either side, for answering late or replayed messages once finished.
    var lastOffer: Offer?

    /// Creates the machine for one conversation on one side.
    public init(role: NegotiationRole, configuration: Configuration = Configuration()) {
        self.role = role
        self.configuration = configuration
    }

    /// How the conversation ended, or `nil` while it is open.
    public var outcome: Outcome? {
        if case .finished(let outcome) = self.state { return outcome }
        return nil
    }

    /// The offer currently on the table, if any.
    public var openOffer: Offer? {
        switch self.state {
        case .awaitingResponse(let offer), .awaitingAcknowledgement(let offer, _), .deciding(let offer),
            .awaitingRequest(let offer):
            offer
        case .idle, .finished: nil
        }
    }

    /// When the driver must call ``timeout(now:)``: the open offer's expiry for a pending decision, two grace
    /// periods later while waiting for the other side (which the root may still forward until one grace period
    /// after expiry); `nil` when idle or finished.
    public var deadline: Date? {
        switch self.state {
        case .deciding(let offer): offer.expires
        case .awaitingResponse(let offer), .awaitingAcknowledgement(let offer, _), .awaitingRequest(let offer):
            offer.expires.addingTimeInterval(2 * self.configuration.grace)
        case .idle, .finished: nil
        }
    }

    /// Until when a finished machine should be kept so that a replayed proposal id is refused with `conflict`
    /// rather than starting a new conversation: the latest offer expiry plus the grace period; `nil` while open.
    public var retainUntil: Date? {
        guard case .finished = self.state else { return nil }
        return self.latestExpiry?.addingTimeInterval(self.configuration.grace)
    }

    /// The timer fired: ends the conversation as expired once ``deadline`` has passed.
    ///
    /// A responder holding the requester's iq answers it with `not-acceptable` + `<expired/>`.
    public mutating func timeout(now: Date) -> Action {
        guard let deadline = self.deadline, now >= deadline, let offer = self.openOffer else { return .none }
        let holdsRequest: Bool
        if case .deciding = self.state { holdsRequest = self.role == .responder } else { holdsRequest = false }
        self.state = .finished(.failed(.expired))
        let reply = holdsRequest ? Reply.error(Self.expiredError(offer)) : nil
        return .failed(.expired, reply: reply)
    }

    /// `not-acceptable` + `<expired/>` of type `cancel` for an answer to an offer that is no longer open.
    static func expiredError(_ offer: Offer) -> NegotiationError {
        NegotiationError(
            .expired, "offer \(offer.proposalID) round \(offer.round) expired at \(XSDDateTime.format(offer.expires))",
            type: .cancel)
    }

    /// Records a new offer: the last one, and its expiry for ``retainUntil``.
    mutating func noteOffer(_ offer: Offer) {
        self.lastOffer = offer
        if let latest = self.latestExpiry, latest >= offer.expires { return }
        self.latestExpiry = offer.expires
    }

    /// Whether an error ends the conversation when the side whose turn it is caused it (see the type's summary).
    static func isTerminal(_ code: NegotiationError.Code) -> Bool {
        switch code {
        case .malformed, .invalidTerms, .expired, .expiryTooFar, .tooManyRounds: true
        default: false
        }
    }
}
