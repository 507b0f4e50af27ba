import Foundation
import Testing
import XMPPCore

@testable import Harness

@Suite("Negotiation plans (docs/negotiation.md \"Conversation\")")
struct NegotiationPlanTests {
    static let responder = DescriptionGenerator.profile(index: 1, name: "h1-t-1", domain: "d.test", seed: 1)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func plan(_ pair: Int) -> NegotiationPlan {
        NegotiationPlan.make(pair: pair, runID: "t", responder: Self.responder)
    }

    @Test("outcomes cycle over the pairs; ids are unique")
    func cycle() {
        #expect(
            (0..<8).map { Self.plan($0).outcome } == NegotiationPlan.Outcome.allCases + NegotiationPlan.Outcome.allCases
        )
        #expect(Set((0..<8).map { Self.plan($0).proposalID }).count == 8)
        #expect(Self.plan(0).proposalID == "t-n0")
    }

    @Test("the terms ask for the responder's first service; the counter costs a quarter more")
    func terms() {
        let plan = Self.plan(1)
        let service = Self.responder.services[0]
        #expect(plan.proposal.serviceType == CapabilityCatalog.ns + service.kind)
        #expect(plan.proposal.region == service.region)
        #expect(plan.proposal.currency == service.currency)
        #expect(plan.proposal.quantity == XSDDecimal(100))
        let ceiling = TenThousandths(service.price.value * 3_000)
        #expect(plan.proposal.priceCeiling == XSDDecimal(ceiling.description))
        #expect(plan.counter.priceCeiling == XSDDecimal(TenThousandths(ceiling.value * 5 / 4).description))
        #expect(plan.proposal.extensions["harness-pair"] == ["1"])
    }

    /// Plays the conversation: requester proposes, responder answers, requester follows up, responder acknowledges.
    static func play(_ plan: NegotiationPlan) throws -> (agreedRound: Int?, messages: Int) {
        let proposal = plan.proposal(expires: Self.now.addingTimeInterval(300))
        let answer = try plan.respond(to: proposal, now: Self.now).get()
        guard let next = try plan.requesterNext(after: answer) else {
            if case .accept(_, 1)? = answer { return (1, 2) }
            return (nil, 2)
        }
        let acknowledgement = try plan.respond(to: next, now: Self.now).get()
        #expect(acknowledgement == nil)
        if case .accept(_, 2) = next { return (2, 4) }
        return (nil, 4)
    }

    @Test("each outcome plays out as planned", arguments: 0..<4)
    func conversation(pair: Int) throws {
        let plan = Self.plan(pair)
        let (round, messages) = try Self.play(plan)
        #expect(round == plan.agreedRound)
        #expect(messages == (plan.outcome == .accept || plan.outcome == .reject ? 2 : 4))
        #expect((plan.agreedTerms == nil) == (plan.agreedRound == nil))
        if plan.outcome == .counterAccept { #expect(plan.agreedTerms == plan.counter) }
    }

    @Test("the requester refuses answers that do not follow the plan")
    func unexpectedAnswer() {
        let plan = Self.plan(0)
        #expect(throws: HarnessError.self) { try plan.requesterNext(after: nil) }
        #expect(throws: HarnessError.self) {
            try plan.requesterNext(after: .reject(proposalID: plan.proposalID, round: 1, reason: .price, text: nil))
        }
        let counterPlan = Self.plan(1)
        var other = counterPlan.counter
        other.region = "elsewhere"
        let offer = Offer(proposalID: counterPlan.proposalID, round: 2, expires: Self.now, terms: other)
        #expect(throws: HarnessError.self) { try counterPlan.requesterNext(after: .counter(offer)) }
    }

    @Test("the responder rejects unexpected terms and refuses messages outside the plan")
    func responderGuards() throws {
        let plan = Self.plan(0)
        var terms = plan.proposal
        terms.quantity = XSDDecimal(7)
        let odd = NegotiationPayload.propose(Offer(proposalID: plan.proposalID, expires: Self.now, terms: terms))
        guard case .reject(_, 1, .other, _)? = try plan.respond(to: odd, now: Self.now).get() else {
            Issue.record("expected a reject")
            return
        }
        let stray = plan.respond(to: .accept(proposalID: plan.proposalID, round: 3), now: Self.now)
        #expect(throws: StanzaError.self) { try stray.get() }
    }
}
