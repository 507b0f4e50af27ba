import Foundation
import XMPPCore

/// How one pair of clouds negotiates in the harness: the requester proposes terms for a service the responder
/// offers, and the conversation ends as the plan says (docs/negotiation.md "Conversation").
///
/// Kept pure: the requester's next message and the responder's answer are functions of the plan and the payload
/// received, so the scripted conversations can be tested without a server.
public struct NegotiationPlan: Sendable, Hashable {
    /// How the conversation ends, cycled over the pairs.
    public enum Outcome: String, Sendable, Hashable, CaseIterable, Codable {
        /// The responder accepts the proposal: an agreement on round 1.
        case accept
        /// The responder counters with a higher price and the requester accepts: an agreement on round 2.
        case counterAccept = "counter-accept"
        /// The responder rejects the proposal: no agreement.
        case reject
        /// The responder counters and the requester rejects: no agreement.
        case counterReject = "counter-reject"
    }

    /// The proposal id, unique per run: `<runID>-n<pair>` (docs/negotiation.md: 1–128, no whitespace).
    public var proposalID: String
    /// The outcome.
    public var outcome: Outcome
    /// The terms of the proposal (round 1).
    public var proposal: NegotiationTerms
    /// The terms of the responder's counter-offer (round 2): the proposal at a 25 % higher price ceiling.
    public var counter: NegotiationTerms

    /// The plan of pair `pair` (requester 2·pair, responder 2·pair + 1): the terms ask for 100 units of the
    /// responder's first service in its region, at its price for 30 periods, within its availability.
    public static func make(pair: Int, runID: String, responder: CloudProfile) -> NegotiationPlan {
        let outcome = Outcome.allCases[pair % Outcome.allCases.count]
        let service = responder.services.first
        let price = service?.price.value ?? 100
        let ceiling = TenThousandths(price * 100 * 30)
        var terms = NegotiationTerms(
            serviceType: CapabilityCatalog.ns + (service?.kind ?? "ObjectStorage"), quantity: XSDDecimal(100),
            unit: service?.unit ?? "GBMonth", region: service?.region ?? "DEFRA",
            priceCeiling: XSDDecimal(ceiling.description) ?? XSDDecimal(1), currency: service?.currency ?? "EUR",
            duration: XSDDuration(days: 30), slaAvailability: service.flatMap { XSDDecimal($0.availability) },
            replicas: service?.replicas)
        terms.extensions["harness-pair"] = [String(pair)]
        var counter = terms
        counter.priceCeiling =
            XSDDecimal(TenThousandths(ceiling.value + ceiling.value / 4).description) ?? terms.priceCeiling
        return NegotiationPlan(proposalID: "\(runID)-n\(pair)", outcome: outcome, proposal: terms, counter: counter)
    }

    /// The round whose terms the root must record as agreed, nil when the plan ends without an agreement.
    public var agreedRound: Int? {
        switch self.outcome {
        case .accept: 1
        case .counterAccept: 2
        case .reject, .counterReject: nil
        }
    }

    /// The terms that must be agreed, nil when none.
    public var agreedTerms: NegotiationTerms? {
        switch self.outcome {
        case .accept: self.proposal
        case .counterAccept: self.counter
        case .reject, .counterReject: nil
        }
    }

    /// The requester's opening message, expiring at `expires`.
    public func proposal(expires: Date) -> NegotiationPayload {
        .propose(Offer(proposalID: self.proposalID, round: 1, expires: expires, terms: self.proposal))
    }

    /// The responder's answer to a `set` carrying `payload`: the payload of its `result` (nil for an empty
    /// acknowledgement) or an error (docs/negotiation.md "Conversation").
    public func respond(to payload: NegotiationPayload, now: Date, lifetime: TimeInterval = 300) -> Result<
        NegotiationPayload?, StanzaError
    > {
        switch payload {
        case .propose(let offer):
            guard offer.terms == self.proposal else {
                return .success(
                    .reject(proposalID: self.proposalID, round: 1, reason: .other, text: "unexpected terms"))
            }
            switch self.outcome {
            case .accept: return .success(.accept(proposalID: self.proposalID, round: 1))
            case .reject:
                return .success(.reject(proposalID: self.proposalID, round: 1, reason: .capacity, text: "harness plan"))
            case .counterAccept, .counterReject:
                let offer = Offer(
                    proposalID: self.proposalID, round: 2, expires: now.addingTimeInterval(lifetime),
                    terms: self.counter)
                return .success(.counter(offer))
            }
        case .accept(_, 2), .reject(_, 2, _, _):
            return .success(nil)
        default:
            return .failure(StanzaError(.unexpectedRequest, type: .cancel, text: "not in the harness plan"))
        }
    }

    /// What the requester does after the responder's `result` to its proposal: the next `set` to send, or nil when
    /// the conversation is over as planned. Throws ``HarnessError/Code/mismatch`` for any other answer.
    public func requesterNext(after answer: NegotiationPayload?) throws(HarnessError) -> NegotiationPayload? {
        switch (self.outcome, answer) {
        case (.accept, .accept(_, 1)?), (.reject, .reject(_, 1, _, _)?):
            return nil
        case (.counterAccept, .counter(let offer)?) where offer.round == 2 && offer.terms == self.counter:
            return .accept(proposalID: self.proposalID, round: 2)
        case (.counterReject, .counter(let offer)?) where offer.round == 2 && offer.terms == self.counter:
            return .reject(proposalID: self.proposalID, round: 2, reason: .price, text: "harness plan")
        default:
            let shown = answer.map { "\($0.makeElement())" } ?? "an empty result"
            throw HarnessError(.mismatch, "\(self.proposalID) (\(self.outcome.rawValue)): unexpected answer \(shown)")
        }
    }
}
