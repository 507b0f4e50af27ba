import Foundation

extension AgreementLedger {
    /// Matches an iq `result` or `error` against the outstanding negotiation `set`s (docs/negotiation.md
    /// "The root").
    ///
    /// An `error` ends the conversation and is routed. A `result` must arrive within the open offer's expiry plus
    /// the grace period (`expired`); answering a proposal or counter it must carry `<accept/>` or `<reject/>` of
    /// that round or a valid `<counter/>` of the next; answering an accept or reject it must be empty. An accept of
    /// the requester's offer, or the acknowledgement of the requester's accept, records the agreement.
    mutating func observeResponse(_ stanza: Stanza, now: Date) -> Action {
        guard let from = stanza.from, let to = stanza.to, let id = stanza.id else { return .route }
        let exchange = Exchange(from: from, to: to, id: id)
        guard let key = self.exchanges[exchange], let conversation = self.conversations[key],
            case .awaitingResult(_, let sent) = conversation.phase
        else {
            let isNegotiation = stanza.type == "result" && stanza.payload?.namespace == Namespace.negotiation
            return isNegotiation ? .drop : .route
        }
        self.exchanges[exchange] = nil
        guard stanza.type == "result" else {
            self.finish(key, .failed)
            return .route
        }
        let offer = conversation.offer
        guard now <= offer.expires.addingTimeInterval(self.configuration.limits.grace) else {
            self.finish(key, .expired)
            return .replaceWithError(NegotiationStateMachine.expiredError(offer))
        }
        switch sent {
        case .accept, .reject:
            guard stanza.payload == nil else {
                self.finish(key, .failed)
                return .replaceWithError(NegotiationError(.malformed, "the acknowledgement must be an empty result"))
            }
            guard sent == .accept else {
                self.finish(key, .rejected)
                return .route
            }
            self.finish(key, .agreed)
            return .record(self.agreement(conversation, now: now))
        case .offer:
            return self.answer(stanza.payload, to: conversation, key: key, now: now)
        }
    }

    /// The responder's answer, in its `result`, to the requester's open offer.
    private mutating func answer(_ payload: XMLElement?, to conversation: Conversation, key: Key, now: Date)
        -> Action
    {
        let offer = conversation.offer
        guard let payload else {
            self.finish(key, .failed)
            return .replaceWithError(NegotiationError(.malformed, "the result must carry accept, reject or counter"))
        }
        let answer: NegotiationPayload
        do {
            answer = try NegotiationPayload(payload)
        } catch {
            self.finish(key, .failed)
            return .replaceWithError(error)
        }
        let expectedRound = if case .counter = answer { offer.round + 1 } else { offer.round }
        var failure: NegotiationError?
        if answer.proposalID != offer.proposalID {
            failure = NegotiationError(.unknownProposal, "the answer names proposal \(answer.proposalID)")
        } else if case .propose = answer {
            failure = NegotiationError(.outOfOrder, "a proposal cannot answer an offer")
        } else if answer.round != expectedRound {
            failure = NegotiationError(.wrongRound, "expected round \(expectedRound), got \(answer.round)")
        } else if let counter = answer.offer {
            failure = self.configuration.limits.check(counter, expectedRound: expectedRound, now: now)
        }
        if let failure {
            self.finish(key, .failed)
            return .replaceWithError(failure)
        }
        switch answer {
        case .accept:
            self.finish(key, .agreed)
            return .record(self.agreement(conversation, now: now))
        case .reject:
            self.finish(key, .rejected)
            return .route
        case .counter(let counter):
            var updated = conversation
            updated.offer = counter
            updated.latestExpiry = max(updated.latestExpiry, counter.expires)
            updated.phase = .awaitingRequest
            self.conversations[key] = updated
            return .route
        case .propose:
            return .route
        }
    }

    /// The agreement on the conversation's open offer, recorded at `now`.
    private func agreement(_ conversation: Conversation, now: Date) -> Agreement {
        Agreement(
            requester: conversation.requester.bare, responder: conversation.responder.bare,
            proposalID: conversation.offer.proposalID, round: conversation.offer.round,
            terms: conversation.offer.terms, proposedAt: conversation.proposedAt, agreedAt: now)
    }

    /// Ends an open conversation: it no longer counts as pending, its outstanding exchange is dropped, and it is
    /// remembered for replay detection within the per-requester cap.
    mutating func finish(_ key: Key, _ finish: Finish) {
        guard var conversation = self.conversations[key] else { return }
        switch conversation.phase {
        case .finished: return
        case .awaitingResult(let exchange, _): self.exchanges[exchange] = nil
        case .awaitingRequest: break
        }
        conversation.phase = .finished(finish)
        self.conversations[key] = conversation
        self.openCount[key.requester, default: 1] -= 1
        if self.openCount[key.requester] == 0 { self.openCount[key.requester] = nil }
        self.retainedCount[key.requester, default: 0] += 1
        if self.retainedCount[key.requester, default: 0] > self.configuration.maxRetainedPerParty {
            let oldest = self.conversations.filter { entry in
                guard entry.key.requester == key.requester, case .finished = entry.value.phase else { return false }
                return true
            }.min { self.retainUntil($0.value) < self.retainUntil($1.value) }
            if let oldest { self.forget(oldest.key) }
        }
    }

    /// Drops a finished conversation from memory.
    mutating func forget(_ key: Key) {
        guard let conversation = self.conversations[key], case .finished = conversation.phase else { return }
        self.conversations[key] = nil
        self.retainedCount[key.requester, default: 1] -= 1
        if self.retainedCount[key.requester] == 0 { self.retainedCount[key.requester] = nil }
    }
}
