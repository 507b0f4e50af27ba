import Foundation

/// The two sides of a negotiation (docs/negotiation.md "Roles").
public enum NegotiationRole: String, Sendable, Hashable, CaseIterable {
    /// The cloud that sent the proposal; it makes the odd-numbered offers, always in iq `set`s.
    case requester
    /// The cloud the proposal was sent to; it makes the even-numbered offers, always in iq `result`s.
    case responder

    /// The other side.
    public var counterpart: NegotiationRole { self == .requester ? .responder : .requester }
}

/// One offer in a conversation: the proposal (round 1) or a counter-offer (round 2, 3, …)
/// (docs/negotiation.md "Conversation").
///
/// Making an offer commits its author to those terms until ``expires``: if the other side accepts in time, there is
/// an agreement. Odd rounds are the requester's offers, even rounds the responder's.
public struct Offer: Sendable, Hashable {
    /// The conversation's proposal id, chosen by the requester and unique among its proposals.
    public var proposalID: String
    /// The round, 1 for the proposal, one more for each counter-offer.
    public var round: Int
    /// Until when the offer can be accepted (XEP-0082 §3.3), kept to the millisecond.
    public var expires: Date
    /// The terms offered.
    public var terms: NegotiationTerms

    /// Creates an offer; `expires` is truncated to milliseconds like the wire form (XEP-0082 §3.3).
    public init(proposalID: String, round: Int = 1, expires: Date, terms: NegotiationTerms) {
        self.proposalID = proposalID
        self.round = round
        self.expires = XSDDateTime.truncated(expires)
        self.terms = terms
    }

    /// Who made the offer: the requester for odd rounds, the responder for even ones.
    public var offeredBy: NegotiationRole { self.round % 2 == 1 ? .requester : .responder }
}

/// Why an offer was rejected: the `reason` attribute of `<reject/>` (docs/negotiation.md "Payloads").
public enum RejectReason: String, Sendable, Hashable, CaseIterable {
    /// The price is not acceptable.
    case price
    /// The responder lacks capacity for the quantity.
    case capacity
    /// The region cannot be served or is not acceptable.
    case region
    /// A policy of the rejecting cloud forbids the deal.
    case policy
    /// Anything else; the text says what.
    case other
}
