import Foundation

extension NegotiationStateMachine {
    /// The application accepts the counterpart's open offer (docs/negotiation.md "Conversation").
    ///
    /// A responder answers the held iq with `<accept/>` and the conversation is agreed; a requester sends
    /// `<accept/>` in a new `set` and the agreement is reached when its empty `result` arrives. An offer whose
    /// `expires` has passed can no longer be accepted: the conversation fails as expired (a responder answers the
    /// held iq with `<expired/>`). Throws `out-of-order` when no offer awaits a decision.
    public mutating func accept(now: Date) throws(NegotiationError) -> Action {
        let offer = try self.offerAwaitingDecision()
        if let expired = self.expireIfNeeded(offer, now: now) { return expired }
        let payload = NegotiationPayload.accept(proposalID: offer.proposalID, round: offer.round).makeElement()
        switch self.role {
        case .responder:
            self.state = .finished(.agreed(offer))
            return .agreementReached(offer, reply: .result(payload))
        case .requester:
            self.state = .awaitingAcknowledgement(offer, .accepted)
            return .send(payload)
        }
    }

    /// The application rejects the counterpart's open offer with a reason and optional text; the conversation ends
    /// (a requester's once the `result` acknowledging its `<reject/>` arrives). Throws `out-of-order` when no offer
    /// awaits a decision.
    public mutating func reject(reason: RejectReason, text: String? = nil, now: Date) throws(NegotiationError)
        -> Action
    {
        let offer = try self.offerAwaitingDecision()
        if let expired = self.expireIfNeeded(offer, now: now) { return expired }
        let payload = NegotiationPayload.reject(
            proposalID: offer.proposalID, round: offer.round, reason: reason, text: text
        ).makeElement()
        switch self.role {
        case .responder:
            let failure = Failure.rejected(by: .responder, reason: reason, text: text)
            return self.fail(failure, reply: .result(payload))
        case .requester:
            self.state = .awaitingAcknowledgement(offer, .rejected(reason, text))
            return .send(payload)
        }
    }

    /// The application counters the open offer with new terms, round + 1, valid until `expires`.
    ///
    /// A responder answers the held iq with `<counter/>`; a requester sends it in a new `set`. Throws, leaving the
    /// machine unchanged, when no offer awaits a decision (`out-of-order`), when the round would exceed
    /// ``Configuration/maxRounds`` (`too-many-rounds`) or `expires` is not in (`now`, `now + maxOfferLifetime`].
    public mutating func counter(terms: NegotiationTerms, expires: Date, now: Date) throws(NegotiationError)
        -> Action
    {
        let offer = try self.offerAwaitingDecision()
        if let expired = self.expireIfNeeded(offer, now: now) { return expired }
        let counter = Offer(proposalID: offer.proposalID, round: offer.round + 1, expires: expires, terms: terms)
        if let error = self.configuration.check(counter, expectedRound: offer.round + 1, now: now) { throw error }
        self.noteOffer(counter)
        let payload = NegotiationPayload.counter(counter).makeElement()
        switch self.role {
        case .responder:
            self.state = .awaitingRequest(counter)
            return .reply(.result(payload))
        case .requester:
            self.state = .awaitingResponse(counter)
            return .send(payload)
        }
    }

    private func offerAwaitingDecision() throws(NegotiationError) -> Offer {
        guard case .deciding(let offer) = self.state else {
            throw NegotiationError(.outOfOrder, "no offer awaits a decision")
        }
        return offer
    }

    /// Fails the conversation when the offer being decided on has expired (`now >= expires`).
    private mutating func expireIfNeeded(_ offer: Offer, now: Date) -> Action? {
        guard now >= offer.expires else { return nil }
        let reply = self.role == .responder ? Reply.error(Self.expiredError(offer)) : nil
        return self.fail(.expired, reply: reply)
    }
}
