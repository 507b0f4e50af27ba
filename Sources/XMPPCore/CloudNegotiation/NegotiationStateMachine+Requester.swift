import Foundation

extension NegotiationStateMachine.Configuration {
    /// Checks a new offer against the limits (docs/negotiation.md "Limits", "Time"): its round must be
    /// `expectedRound` (`wrong-round`) and at most ``maxRounds`` (`too-many-rounds`); its `expires` must be after
    /// `now - tolerance` (`expired`) and no later than `now + maxOfferLifetime + tolerance` (`expiry-too-far`).
    ///
    /// The root checks with no tolerance; parties receiving an offer the root already checked allow ``grace``.
    public func check(_ offer: Offer, expectedRound: Int, now: Date, tolerance: TimeInterval = 0)
        -> NegotiationError?
    {
        guard offer.round == expectedRound else {
            return NegotiationError(.wrongRound, "expected round \(expectedRound), got \(offer.round)")
        }
        guard offer.round <= self.maxRounds else {
            return NegotiationError(.tooManyRounds, "at most \(self.maxRounds) rounds")
        }
        guard offer.expires.addingTimeInterval(tolerance) > now else {
            return NegotiationError(
                .expired,
                "offer \(offer.proposalID) round \(offer.round) expires in the past: "
                    + XSDDateTime.format(offer.expires))
        }
        guard offer.expires <= now.addingTimeInterval(self.maxOfferLifetime + tolerance) else {
            return NegotiationError(
                .expiryTooFar, "expires may be at most \(Int(self.maxOfferLifetime)) seconds ahead")
        }
        return nil
    }
}

extension NegotiationStateMachine {
    /// Requester: sends the proposal to the candidate's full JID (docs/negotiation.md "Conversation").
    ///
    /// Throws, leaving the machine unchanged, when this is not an idle requester (`out-of-order`), when `to` is a
    /// bare JID (`full-jid-required`), or when the offer is not round 1 or expires outside (`now`,
    /// `now + maxOfferLifetime`].
    public mutating func sendProposal(_ offer: Offer, to: JID, now: Date) throws(NegotiationError) -> Action {
        guard self.role == .requester, case .idle = self.state else {
            throw NegotiationError(.outOfOrder, "only an idle requester sends a proposal")
        }
        guard !to.isBare else { throw NegotiationError(.fullJIDRequired, "proposals go to a full JID") }
        if let error = self.configuration.check(offer, expectedRound: 1, now: now) { throw error }
        self.counterpart = to
        self.noteOffer(offer)
        self.state = .awaitingResponse(offer)
        return .send(NegotiationPayload.propose(offer).makeElement())
    }

    /// Requester: the iq `result` answering this side's latest `set` arrived, with its payload if any.
    ///
    /// After a proposal or counter the result must carry `<accept/>`, `<reject/>` or `<counter/>` for the open
    /// round; after an accept or reject it must be empty. Anything else ends the conversation as a
    /// ``Failure/protocolViolation(_:)`` (a result cannot be answered with an error, RFC 6120 §8.3.1). Results are
    /// not checked against the clock: the root already did (docs/negotiation.md "Time").
    public mutating func receivedResult(_ payload: XMLElement?, from: JID, now: Date) -> Action {
        guard self.role == .requester, from == self.counterpart else { return .none }
        switch self.state {
        case .awaitingResponse(let offer):
            return self.answer(to: offer, payload: payload)
        case .awaitingAcknowledgement(let offer, let decision):
            guard payload == nil else {
                return self.fail(.protocolViolation(NegotiationError(.malformed, "an acknowledgement is empty")))
            }
            switch decision {
            case .accepted:
                self.state = .finished(.agreed(offer))
                return .agreementReached(offer, reply: nil)
            case .rejected(let reason, let text):
                return self.fail(.rejected(by: .requester, reason: reason, text: text))
            }
        case .idle, .deciding, .awaitingRequest, .finished:
            return .none
        }
    }

    /// Requester: the iq `error` answering this side's latest `set` arrived (RFC 6120 §8.3); the conversation
    /// ends. `error` is the `<error/>` child.
    public mutating func receivedError(_ error: XMLElement, from: JID) -> Action {
        guard self.role == .requester, from == self.counterpart else { return .none }
        switch self.state {
        case .awaitingResponse, .awaitingAcknowledgement:
            let stanzaError = StanzaError(error) ?? StanzaError(.undefinedCondition)
            return self.fail(.errorReceived(stanzaError, code: NegotiationError(errorElement: error)?.code))
        case .idle, .deciding, .awaitingRequest, .finished:
            return .none
        }
    }

    /// The responder's answer to the requester's open `offer`.
    private mutating func answer(to offer: Offer, payload: XMLElement?) -> Action {
        guard let payload else {
            return self.fail(.protocolViolation(NegotiationError(.malformed, "the result must carry an answer")))
        }
        let answer: NegotiationPayload
        do {
            answer = try NegotiationPayload(payload)
        } catch {
            return self.fail(.protocolViolation(error))
        }
        guard answer.proposalID == offer.proposalID else {
            return self.fail(.protocolViolation(NegotiationError(.unknownProposal, "answer for another proposal")))
        }
        let expectedRound = if case .counter = answer { offer.round + 1 } else { offer.round }
        guard answer.round == expectedRound else {
            let error = NegotiationError(.wrongRound, "expected round \(expectedRound), got \(answer.round)")
            return self.fail(.protocolViolation(error))
        }
        switch answer {
        case .accept:
            self.state = .finished(.agreed(offer))
            return .agreementReached(offer, reply: nil)
        case .reject(_, _, let reason, let text):
            return self.fail(.rejected(by: .responder, reason: reason, text: text))
        case .counter(let counter):
            guard counter.round <= self.configuration.maxRounds else {
                let error = NegotiationError(.tooManyRounds, "at most \(self.configuration.maxRounds) rounds")
                return self.fail(.protocolViolation(error))
            }
            self.noteOffer(counter)
            self.state = .deciding(counter)
            return .decide(counter)
        case .propose:
            return self.fail(.protocolViolation(NegotiationError(.outOfOrder, "a proposal cannot answer an offer")))
        }
    }

    /// Ends the conversation without a reply.
    mutating func fail(_ failure: Failure, reply: Reply? = nil) -> Action {
        self.state = .finished(.failed(failure))
        return .failed(failure, reply: reply)
    }
}
