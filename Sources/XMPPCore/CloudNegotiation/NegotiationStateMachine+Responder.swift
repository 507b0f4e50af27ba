import Foundation

extension NegotiationStateMachine {
    /// Responder: an iq `set` from `from` arrived with this payload; the driver holds the iq until the action
    /// says how to answer it (docs/negotiation.md "Conversation", "Errors").
    ///
    /// On an idle machine it must be a `<propose/>`: a valid one records `from` as the counterpart and asks for a
    /// decision; an invalid or expired one is refused and ends the conversation. Later, only the counterpart may
    /// send (`forbidden` + `<not-party/>`), only for this proposal id (`item-not-found`), never a second proposal
    /// (`conflict`), and only while this side's counter-offer is open: `<accept/>` or `<reject/>` of its round, or a
    /// `<counter/>` of the next round, checked against expiry with the grace period.
    public mutating func receivedRequest(_ payload: XMLElement, from: JID, now: Date) -> Action {
        guard self.role == .responder else {
            return .reply(.error(NegotiationError(.outOfOrder, "a requester only receives results")))
        }
        let request: NegotiationPayload
        do {
            request = try NegotiationPayload(payload)
        } catch {
            return self.refuse(error, from: from, proposalID: payload[attribute: "id"])
        }
        if case .idle = self.state {
            return self.receivedProposal(request, from: from, now: now)
        }
        guard from == self.counterpart else {
            return .reply(.error(NegotiationError(.notParty, "\(from) is not a party to this negotiation")))
        }
        guard request.proposalID == self.openOfferOrLast?.proposalID else {
            return .reply(.error(NegotiationError(.unknownProposal, "no proposal \(request.proposalID)")))
        }
        if case .propose = request {
            return .reply(.error(NegotiationError(.duplicateID, "proposal id \(request.proposalID) already used")))
        }
        switch self.state {
        case .awaitingRequest(let offer):
            return self.answer(request, to: offer, now: now)
        case .finished(.failed(.expired)):
            guard let offer = self.openOfferOrLast else { return .none }
            return .reply(.error(Self.expiredError(offer)))
        case .idle, .awaitingResponse, .awaitingAcknowledgement, .deciding, .finished:
            return .reply(.error(NegotiationError(.outOfOrder, "no offer awaits an answer from you")))
        }
    }

    private mutating func receivedProposal(_ request: NegotiationPayload, from: JID, now: Date) -> Action {
        guard case .propose(let offer) = request else {
            return .reply(.error(NegotiationError(.unknownProposal, "no proposal \(request.proposalID)")))
        }
        self.counterpart = from
        self.noteOffer(offer)
        let tolerance = self.configuration.grace
        if let error = self.configuration.check(offer, expectedRound: 1, now: now, tolerance: tolerance) {
            return self.fail(.protocolViolation(error), reply: .error(error))
        }
        self.state = .deciding(offer)
        return .decide(offer)
    }

    /// The requester's answer to this side's open counter-offer.
    private mutating func answer(_ request: NegotiationPayload, to offer: Offer, now: Date) -> Action {
        let expectedRound = if case .counter = request { offer.round + 1 } else { offer.round }
        guard request.round == expectedRound else {
            let error = NegotiationError(.wrongRound, "expected round \(expectedRound), got \(request.round)")
            return .reply(.error(error))
        }
        guard offer.expires.addingTimeInterval(self.configuration.grace) > now else {
            let error = Self.expiredError(offer)
            return self.fail(.expired, reply: .error(error))
        }
        switch request {
        case .accept:
            self.state = .finished(.agreed(offer))
            return .agreementReached(offer, reply: .result(nil))
        case .reject(_, _, let reason, let text):
            return self.fail(.rejected(by: .requester, reason: reason, text: text), reply: .result(nil))
        case .counter(let counter):
            self.noteOffer(counter)
            let tolerance = self.configuration.grace
            if let error = self.configuration.check(
                counter, expectedRound: expectedRound, now: now, tolerance: tolerance)
            {
                return self.fail(.protocolViolation(error), reply: .error(error))
            }
            self.state = .deciding(counter)
            return .decide(counter)
        case .propose:
            return .none
        }
    }

    /// Refuses a payload that did not parse: it ends the conversation only when it came from the counterpart whose
    /// turn it is, for this proposal (or as the first message).
    private mutating func refuse(_ error: NegotiationError, from: JID, proposalID: String?) -> Action {
        switch self.state {
        case .idle:
            self.counterpart = from
            return self.fail(.protocolViolation(error), reply: .error(error))
        case .awaitingRequest(let offer)
        where from == self.counterpart && proposalID == offer.proposalID && Self.isTerminal(error.code):
            return self.fail(.protocolViolation(error), reply: .error(error))
        default:
            return .reply(.error(error))
        }
    }

    /// The open offer, or the last one seen once the conversation is over.
    var openOfferOrLast: Offer? { self.openOffer ?? self.lastOffer }
}
