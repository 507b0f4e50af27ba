import Foundation

extension AgreementLedger {
    /// Validates a negotiation iq `set` (docs/negotiation.md "Errors"), in this order:
    /// both addresses full JIDs (`full-jid-required`); both parties accounts of the root's domain
    /// (`not-a-cloud`); not the same cloud (`self-negotiation`); a well-formed payload (`malformed`,
    /// `invalid-terms`). A proposal then needs an unused id (`duplicate-id`), an expiry within limits (`expired`,
    /// `expiry-too-far`) and room among the requester's open proposals (`too-many-pending`). An accept, reject or
    /// counter needs a known conversation (`unknown-proposal`) between exactly these two full JIDs with the sender
    /// as requester (`not-party`, `out-of-order`), the responder's counter-offer open (`out-of-order`), the right
    /// round (`wrong-round`) and that offer not expired (`expired`); a counter is checked like a proposal.
    mutating func observeRequest(_ stanza: Stanza, payload: XMLElement, now: Date) -> Action {
        guard let from = stanza.from, let to = stanza.to, !from.isBare, !to.isBare else {
            return .refuse(NegotiationError(.fullJIDRequired, "negotiation iqs travel between full JIDs"))
        }
        guard self.isCloud(from), self.isCloud(to) else {
            return .refuse(NegotiationError(.notACloud, "both parties must be clouds of \(self.configuration.domain)"))
        }
        guard from.bare != to.bare else {
            return .refuse(NegotiationError(.selfNegotiation, "a cloud cannot negotiate with itself"))
        }
        let request: NegotiationPayload
        do {
            request = try NegotiationPayload(payload)
        } catch {
            self.endIfTurnHolder(error, from: from, to: to, proposalID: payload[attribute: "id"])
            return .refuse(error)
        }
        let exchange = Exchange(from: to, to: from, id: stanza.id ?? "")
        if case .propose(let offer) = request {
            return self.propose(offer, from: from, to: to, exchange: exchange, now: now)
        }
        let key = Key(requester: from.bare, proposalID: request.proposalID)
        guard let conversation = self.conversations[key] else {
            let reverse = Key(requester: to.bare, proposalID: request.proposalID)
            if let other = self.conversations[reverse], other.requester == to {
                return .refuse(
                    other.responder == from
                        ? NegotiationError(.outOfOrder, "the responder answers in iq results, not in new requests")
                        : NegotiationError(.notParty, "\(from) is not a party to proposal \(request.proposalID)"))
            }
            return .refuse(
                NegotiationError(.unknownProposal, "no open proposal \(request.proposalID) from \(from.bare)"))
        }
        guard conversation.requester == from, conversation.responder == to else {
            return .refuse(NegotiationError(.notParty, "proposal \(request.proposalID) is between other addresses"))
        }
        return self.follow(request, key: key, exchange: exchange, now: now)
    }

    private mutating func propose(_ offer: Offer, from: JID, to: JID, exchange: Exchange, now: Date) -> Action {
        let key = Key(requester: from.bare, proposalID: offer.proposalID)
        if let existing = self.conversations[key] {
            guard case .finished = existing.phase, now > self.retainUntil(existing) else {
                return .refuse(NegotiationError(.duplicateID, "proposal id \(offer.proposalID) was already used"))
            }
            self.forget(key)
        }
        if let error = self.configuration.limits.check(offer, expectedRound: 1, now: now) {
            return .refuse(error)
        }
        if self.openCount[from.bare, default: 0] >= self.configuration.maxPendingPerParty {
            self.expire(now: now)
            guard self.openCount[from.bare, default: 0] < self.configuration.maxPendingPerParty else {
                return .refuse(
                    NegotiationError(
                        .tooManyPending, "at most \(self.configuration.maxPendingPerParty) open proposals per cloud"))
            }
        }
        let conversation = Conversation(
            requester: from, responder: to, proposedAt: XSDDateTime.truncated(now), offer: offer,
            phase: .awaitingResult(exchange, .offer), latestExpiry: offer.expires)
        self.conversations[key] = conversation
        self.exchanges[exchange] = key
        self.openCount[from.bare, default: 0] += 1
        return .route
    }

    /// The requester's accept, reject or counter answering the responder's open counter-offer.
    private mutating func follow(_ request: NegotiationPayload, key: Key, exchange: Exchange, now: Date) -> Action {
        guard var conversation = self.conversations[key] else { return .route }
        if let deadline = self.deadline(conversation), now > deadline {
            self.finish(key, .expired)
            conversation.phase = .finished(.expired)
        }
        let offer = conversation.offer
        switch conversation.phase {
        case .finished(.expired):
            return .refuse(NegotiationStateMachine.expiredError(offer))
        case .finished:
            return .refuse(NegotiationError(.outOfOrder, "negotiation \(key.proposalID) is over"))
        case .awaitingResult:
            return .refuse(NegotiationError(.outOfOrder, "wait for the answer to your previous request"))
        case .awaitingRequest:
            break
        }
        let expectedRound = if case .counter = request { offer.round + 1 } else { offer.round }
        guard request.round == expectedRound else {
            return .refuse(NegotiationError(.wrongRound, "expected round \(expectedRound), got \(request.round)"))
        }
        let sent: Sent
        switch request {
        case .accept: sent = .accept
        case .reject: sent = .reject
        case .counter(let counter):
            if let error = self.configuration.limits.check(counter, expectedRound: expectedRound, now: now) {
                self.finish(key, .failed)
                return .refuse(error)
            }
            conversation.offer = counter
            conversation.latestExpiry = max(conversation.latestExpiry, counter.expires)
            sent = .offer
        case .propose:
            return .route
        }
        conversation.phase = .awaitingResult(exchange, sent)
        self.conversations[key] = conversation
        self.exchanges[exchange] = key
        return .route
    }

    /// A payload that did not parse ends the conversation when it came from the requester whose turn it was.
    private mutating func endIfTurnHolder(_ error: NegotiationError, from: JID, to: JID, proposalID: String?) {
        guard NegotiationStateMachine.isTerminal(error.code), let proposalID else { return }
        let key = Key(requester: from.bare, proposalID: proposalID)
        guard let conversation = self.conversations[key], conversation.requester == from,
            conversation.responder == to, conversation.phase == .awaitingRequest
        else { return }
        self.finish(key, .failed)
    }

    /// Whether a JID is an account of the root's domain (CONTRACT §3: clouds are `NAME@D`).
    func isCloud(_ jid: JID) -> Bool {
        jid.localpart != nil && jid.domainpart == self.configuration.domain
    }
}
