import Foundation
import XMPPCore

extension RunContext {
    /// The clouds of pair `pair`: requester 2·pair, responder 2·pair + 1, when both are logged in and the responder
    /// published (its first service is what is negotiated).
    func pairAgents(_ pair: Int, _ state: CloudStates) -> (requester: CloudAgent, responder: CloudAgent)? {
        guard let requester = state.agents[2 * pair], let responder = state.agents[2 * pair + 1],
            state.published[2 * pair + 1] != nil
        else { return nil }
        return (requester, responder)
    }

    /// Step 6: each pair runs its planned conversation — accept, counter then accept, reject, counter then
    /// reject — through the root (docs/negotiation.md "Conversation"). One operation per pair, from the proposal to
    /// the last answer.
    func negotiate(_ state: CloudStates, conversations: Slots<NegotiationPlan>) async -> StepReport {
        let pairs = self.profiles.count / 2
        let runID = self.runID
        let profiles = self.profiles
        return await self.step(
            "negotiate", items: pairs, subject: { "\(runID)-n\($0)" }, eligible: { self.pairAgents($0, state) != nil }
        ) { pair in
            guard let (requester, responder) = self.pairAgents(pair, state) else { return }
            let plan = NegotiationPlan.make(pair: pair, runID: runID, responder: profiles[2 * pair + 1])
            self.book.register(plan)
            let expires = Date().addingTimeInterval(300)
            let answer = try await self.send(plan.proposal(expires: expires), from: requester, to: responder)
            if let next = try plan.requesterNext(after: answer) {
                let acknowledgement = try await self.send(next, from: requester, to: responder)
                if let acknowledgement {
                    throw HarnessError(.mismatch, "the acknowledgement is not empty: \(acknowledgement.makeElement())")
                }
            }
            conversations.set(pair, plan)
        }
    }

    /// Step 6, continued: for every finished conversation, both parties got the same signed agreement
    /// notification with the planned round and terms, its signature verifies with the CA chain, and `<agreements/>`
    /// lists it for the requester and the responder; a conversation that ended without agreement has none
    /// (docs/negotiation.md "Agreements", "Notification and retrieval").
    func checkAgreements(_ state: CloudStates, conversations: Slots<NegotiationPlan>) async -> StepReport {
        let pairs = self.profiles.count / 2
        let runID = self.runID
        let timeout = self.configuration.timeouts.agreement
        return await self.step(
            "agreements", items: pairs, subject: { "\(runID)-n\($0)" }, eligible: { conversations[$0] != nil }
        ) { pair in
            guard let plan = conversations[pair], let (requester, responder) = self.pairAgents(pair, state) else {
                throw HarnessError(.skipped, "a party went away")
            }
            guard let round = plan.agreedRound, let terms = plan.agreedTerms else {
                for agent in [requester, responder] {
                    let listed = try await self.agreements(of: agent, proposalID: plan.proposalID)
                    guard listed.isEmpty, agent.mailbox.received(plan.proposalID) == nil else {
                        throw HarnessError(.mismatch, "\(plan.outcome.rawValue) ended with an agreement")
                    }
                }
                return
            }
            async let first = requester.mailbox.wait(for: plan.proposalID, timeout: timeout)
            async let second = responder.mailbox.wait(for: plan.proposalID, timeout: timeout)
            let notifications = await (first, second)
            guard let signed = notifications.0, let other = notifications.1 else {
                let missing = notifications.0 == nil ? "requester" : "responder"
                throw HarnessError(.timeout, "no agreement notification to the \(missing) within \(timeout)")
            }
            guard signed == other else { throw HarnessError(.mismatch, "the two parties got different agreements") }
            let agreement = signed.agreement
            guard agreement.round == round, agreement.requester == requester.jid.bare,
                agreement.responder == responder.jid.bare, agreement.terms.fieldValues == terms.fieldValues
            else {
                throw HarnessError(.mismatch, "the agreement is not the planned one: \(agreement.canonicalJSON)")
            }
            try self.verifier.verify(signed)
            for agent in [requester, responder] {
                let listed = try await self.agreements(of: agent, proposalID: plan.proposalID)
                guard listed.map(\.agreement.id) == [agreement.id] else {
                    throw HarnessError(
                        .mismatch, "<agreements/> lists \(listed.count) agreements for \(plan.proposalID)")
                }
            }
        }
    }

    /// Sends a negotiation `set` from `requester` to `responder` and returns the payload of the `result`, nil when
    /// it is empty.
    func send(_ payload: NegotiationPayload, from requester: CloudAgent, to responder: CloudAgent)
        async throws(HarnessError) -> NegotiationPayload?
    {
        let iq = XMLElement(
            name: "iq", namespace: Namespace.client,
            attributes: ["type": "set", "to": responder.jid.description], children: [.element(payload.makeElement())])
        let result = try await requester.request(
            iq, what: "negotiation \(payload.proposalID)", timeout: self.configuration.timeouts.request)
        guard let element = result.payload else { return nil }
        do {
            return try NegotiationPayload(element)
        } catch {
            throw HarnessError(.unexpectedAnswer, "the responder's result: \(error)")
        }
    }

    /// `<iq type='get' to='D'><agreements proposal='…'/></iq>` as `agent` (docs/negotiation.md "Retrieval").
    func agreements(of agent: CloudAgent, proposalID: String) async throws(HarnessError) -> [SignedAgreement] {
        let iq = XMLElement(
            name: "iq", namespace: Namespace.client, attributes: ["type": "get", "to": self.domain],
            children: [.element(AgreementsQuery(proposalID: proposalID).makeElement())])
        let result = try await agent.request(iq, what: "agreements", timeout: self.configuration.timeouts.request)
        guard let list = result.payload, list.name == "agreements", list.namespace == Namespace.negotiation else {
            throw HarnessError(.unexpectedAnswer, "the <agreements/> result holds no list")
        }
        do {
            return try list.children(named: "agreement", namespace: Namespace.negotiation).map {
                try SignedAgreement($0)
            }
        } catch {
            throw HarnessError(.unexpectedAnswer, "an agreement in the list does not parse: \(error)")
        }
    }
}
