import Foundation
import Testing

@testable import XMPPCore

/// Conversation transcripts replayed against one side's machine (docs/negotiation.md "Conversation").
@Suite struct NegotiationStateMachineTests {
    typealias F = NegotiationFixtures
    typealias Machine = NegotiationStateMachine

    static func payload(_ payload: NegotiationPayload) -> XMLElement { payload.makeElement() }

    /// A requester that has sent proposal p1 (expires t0 + 300 s) to beta.
    static func proposingRequester() throws -> Machine {
        var machine = Machine(role: .requester)
        _ = try machine.sendProposal(F.offer(), to: F.beta, now: F.t0)
        return machine
    }

    /// A responder that received proposal p1 from alpha and countered with round 2 (expires t0 + 600 s).
    static func counteringResponder() throws -> Machine {
        var machine = Machine(role: .responder)
        _ = machine.receivedRequest(Self.payload(.propose(F.offer())), from: F.alpha, now: F.at(1))
        _ = try machine.counter(terms: F.terms(price: "55"), expires: F.at(600), now: F.at(2))
        return machine
    }

    // MARK: requester

    @Test func requesterProposesAndTheResponderAccepts() throws {
        var machine = Machine(role: .requester)
        // alpha → beta: <iq type='set'><propose id='p1' round='1' expires='…'>form</propose></iq>
        #expect(try machine.sendProposal(F.offer(), to: F.beta, now: F.t0) == .send(Self.payload(.propose(F.offer()))))
        #expect(machine.deadline == F.at(360))
        // beta → alpha: <iq type='result'><accept id='p1' round='1'/></iq>
        let action = machine.receivedResult(
            Self.payload(.accept(proposalID: "p1", round: 1)), from: F.beta, now: F.at(5))
        #expect(action == .agreementReached(F.offer(), reply: nil))
        #expect(machine.outcome == .agreed(F.offer()))
        #expect(machine.retainUntil == F.at(330))
    }

    @Test func requesterIsRejected() throws {
        var machine = try Self.proposingRequester()
        let reject = NegotiationPayload.reject(proposalID: "p1", round: 1, reason: .capacity, text: "full")
        let action = machine.receivedResult(Self.payload(reject), from: F.beta, now: F.at(5))
        #expect(action == .failed(.rejected(by: .responder, reason: .capacity, text: "full"), reply: nil))
    }

    @Test func requesterAcceptsACounterOffer() throws {
        var machine = try Self.proposingRequester()
        let counter = F.offer(round: 2, expiresIn: 600, terms: F.terms(price: "55"))
        // beta → alpha: <iq type='result'><counter id='p1' round='2' …/></iq>
        #expect(machine.receivedResult(Self.payload(.counter(counter)), from: F.beta, now: F.at(5)) == .decide(counter))
        #expect(machine.deadline == F.at(600))
        // alpha → beta: <iq type='set'><accept id='p1' round='2'/></iq>
        #expect(try machine.accept(now: F.at(10)) == .send(Self.payload(.accept(proposalID: "p1", round: 2))))
        #expect(machine.outcome == nil)
        // beta → alpha: <iq type='result'/>
        #expect(machine.receivedResult(nil, from: F.beta, now: F.at(11)) == .agreementReached(counter, reply: nil))
    }

    @Test func requesterRejectsACounterOffer() throws {
        var machine = try Self.proposingRequester()
        let counter = F.offer(round: 2, expiresIn: 600, terms: F.terms(price: "55"))
        _ = machine.receivedResult(Self.payload(.counter(counter)), from: F.beta, now: F.at(5))
        let reject = NegotiationPayload.reject(proposalID: "p1", round: 2, reason: .price, text: nil)
        #expect(try machine.reject(reason: .price, now: F.at(10)) == .send(Self.payload(reject)))
        let action = machine.receivedResult(nil, from: F.beta, now: F.at(11))
        #expect(action == .failed(.rejected(by: .requester, reason: .price, text: nil), reply: nil))
    }

    @Test func requesterCountersACounterOffer() throws {
        var machine = try Self.proposingRequester()
        let counter = F.offer(round: 2, expiresIn: 600, terms: F.terms(price: "55"))
        _ = machine.receivedResult(Self.payload(.counter(counter)), from: F.beta, now: F.at(5))
        let third = F.offer(round: 3, expiresIn: 900, terms: F.terms(price: "48"))
        let action = try machine.counter(terms: F.terms(price: "48"), expires: F.at(900), now: F.at(10))
        #expect(action == .send(Self.payload(.counter(third))))
        #expect(machine.openOffer == third)
        let accept = Self.payload(.accept(proposalID: "p1", round: 3))
        #expect(machine.receivedResult(accept, from: F.beta, now: F.at(12)) == .agreementReached(third, reply: nil))
    }

    @Test func requesterTimesOutAndIgnoresLateAnswers() throws {
        var machine = try Self.proposingRequester()
        #expect(machine.timeout(now: F.at(359)) == .none)
        #expect(machine.timeout(now: F.at(360)) == .failed(.expired, reply: nil))
        let late = Self.payload(.accept(proposalID: "p1", round: 1))
        #expect(machine.receivedResult(late, from: F.beta, now: F.at(361)) == .none)
        #expect(machine.outcome == .failed(.expired))
    }

    @Test func requesterCannotAcceptAnExpiredCounter() throws {
        var machine = try Self.proposingRequester()
        let counter = F.offer(round: 2, expiresIn: 60, terms: F.terms(price: "55"))
        _ = machine.receivedResult(Self.payload(.counter(counter)), from: F.beta, now: F.at(5))
        #expect(try machine.accept(now: F.at(60)) == .failed(.expired, reply: nil))
    }

    @Test func requesterFailsOnAnErrorReply() throws {
        var machine = try Self.proposingRequester()
        let error = NegotiationError(.tooManyPending, "at most 32 open proposals per cloud")
        let action = machine.receivedError(error.makeErrorElement(), from: F.beta)
        #expect(action == .failed(.errorReceived(error.stanzaError, code: .tooManyPending), reply: nil))
    }

    @Test func requesterTreatsInvalidAnswersAsProtocolViolations() throws {
        var wrongRound = try Self.proposingRequester()
        let accept2 = Self.payload(.accept(proposalID: "p1", round: 2))
        guard
            case .failed(.protocolViolation(let error), nil) = wrongRound.receivedResult(
                accept2, from: F.beta, now: F.at(1))
        else { Issue.record("expected a protocol violation"); return }
        #expect(error.code == .wrongRound)

        var empty = try Self.proposingRequester()
        guard case .failed(.protocolViolation(let error), nil) = empty.receivedResult(nil, from: F.beta, now: F.at(1))
        else { Issue.record("expected a protocol violation"); return }
        #expect(error.code == .malformed)

        var tooMany = Machine(role: .requester, configuration: .init(maxRounds: 1))
        _ = try tooMany.sendProposal(F.offer(), to: F.beta, now: F.t0)
        let counter = Self.payload(.counter(F.offer(round: 2)))
        guard
            case .failed(.protocolViolation(let error), nil) = tooMany.receivedResult(
                counter, from: F.beta, now: F.at(1))
        else { Issue.record("expected a protocol violation"); return }
        #expect(error.code == .tooManyRounds)
    }

    @Test func requesterIgnoresResultsFromOthers() throws {
        var machine = try Self.proposingRequester()
        let accept = Self.payload(.accept(proposalID: "p1", round: 1))
        #expect(machine.receivedResult(accept, from: F.mallory, now: F.at(1)) == .none)
        #expect(machine.openOffer == F.offer())
    }

    @Test func requesterRefusesInvalidLocalCalls() throws {
        var machine = Machine(role: .requester)
        #expect(throws: NegotiationError.self) { try machine.sendProposal(F.offer(), to: F.beta.bare, now: F.t0) }
        #expect(throws: NegotiationError.self) {
            try machine.sendProposal(F.offer(expiresIn: 0), to: F.beta, now: F.t0)
        }
        #expect(throws: NegotiationError.self) {
            try machine.sendProposal(F.offer(expiresIn: 90_000), to: F.beta, now: F.t0)
        }
        #expect(throws: NegotiationError.self) { try machine.accept(now: F.t0) }
        _ = try machine.sendProposal(F.offer(), to: F.beta, now: F.t0)
        #expect(throws: NegotiationError.self) { try machine.sendProposal(F.offer("p2"), to: F.beta, now: F.t0) }
    }

    // MARK: responder

    @Test func responderAcceptsAProposal() throws {
        var machine = Machine(role: .responder)
        let action = machine.receivedRequest(Self.payload(.propose(F.offer())), from: F.alpha, now: F.at(1))
        #expect(action == .decide(F.offer()))
        #expect(machine.deadline == F.at(300))
        let accept = Self.payload(.accept(proposalID: "p1", round: 1))
        #expect(try machine.accept(now: F.at(2)) == .agreementReached(F.offer(), reply: .result(accept)))
    }

    @Test func responderRejectsAProposal() throws {
        var machine = Machine(role: .responder)
        _ = machine.receivedRequest(Self.payload(.propose(F.offer())), from: F.alpha, now: F.at(1))
        let reject = Self.payload(.reject(proposalID: "p1", round: 1, reason: .region, text: "no eu-west"))
        let action = try machine.reject(reason: .region, text: "no eu-west", now: F.at(2))
        #expect(
            action == .failed(.rejected(by: .responder, reason: .region, text: "no eu-west"), reply: .result(reject)))
    }

    @Test func responderCountersThenTheRequesterAccepts() throws {
        var machine = Machine(role: .responder)
        _ = machine.receivedRequest(Self.payload(.propose(F.offer())), from: F.alpha, now: F.at(1))
        let counter = F.offer(round: 2, expiresIn: 600, terms: F.terms(price: "55"))
        let action = try machine.counter(terms: F.terms(price: "55"), expires: F.at(600), now: F.at(2))
        #expect(action == .reply(.result(Self.payload(.counter(counter)))))
        #expect(machine.deadline == F.at(660))
        let accept = Self.payload(.accept(proposalID: "p1", round: 2))
        #expect(
            machine.receivedRequest(accept, from: F.alpha, now: F.at(3))
                == .agreementReached(counter, reply: .result(nil)))
    }

    @Test func responderCountersThenTheRequesterRejects() throws {
        var machine = try Self.counteringResponder()
        let reject = Self.payload(.reject(proposalID: "p1", round: 2, reason: .price, text: "too much"))
        let action = machine.receivedRequest(reject, from: F.alpha, now: F.at(3))
        #expect(action == .failed(.rejected(by: .requester, reason: .price, text: "too much"), reply: .result(nil)))
    }

    @Test func responderReceivesACounterToItsCounter() throws {
        var machine = try Self.counteringResponder()
        let third = F.offer(round: 3, expiresIn: 900, terms: F.terms(price: "48"))
        #expect(machine.receivedRequest(Self.payload(.counter(third)), from: F.alpha, now: F.at(3)) == .decide(third))
        let accept = Self.payload(.accept(proposalID: "p1", round: 3))
        #expect(try machine.accept(now: F.at(4)) == .agreementReached(third, reply: .result(accept)))
    }

    @Test func responderRefusesAnExpiredProposal() {
        var machine = Machine(role: .responder)
        let stale = F.offer(expiresIn: -31)
        guard
            case .failed(.protocolViolation(let error), .error(let replied)) = machine.receivedRequest(
                Self.payload(.propose(stale)), from: F.alpha, now: F.t0)
        else { Issue.record("expected a refusal"); return }
        #expect(error == replied)
        #expect(error.code == .expired && error.condition == .notAcceptable)
        // Within the grace period the root's verdict stands.
        var lenient = Machine(role: .responder)
        let late = F.offer(expiresIn: -29)
        #expect(lenient.receivedRequest(Self.payload(.propose(late)), from: F.alpha, now: F.t0) == .decide(late))
    }

    @Test func responderCannotDecideAfterExpiry() throws {
        var machine = Machine(role: .responder)
        _ = machine.receivedRequest(Self.payload(.propose(F.offer())), from: F.alpha, now: F.at(1))
        let expired = Machine.expiredError(F.offer())
        #expect(try machine.accept(now: F.at(300)) == .failed(.expired, reply: .error(expired)))
        #expect(expired.type == .cancel)
    }

    @Test func responderTimesOutWhileDeciding() {
        var machine = Machine(role: .responder)
        _ = machine.receivedRequest(Self.payload(.propose(F.offer())), from: F.alpha, now: F.at(1))
        #expect(machine.timeout(now: F.at(299)) == .none)
        #expect(machine.timeout(now: F.at(300)) == .failed(.expired, reply: .error(Machine.expiredError(F.offer()))))
    }

    @Test func responderRefusesALateAcceptOfItsCounter() throws {
        var machine = try Self.counteringResponder()
        let accept = Self.payload(.accept(proposalID: "p1", round: 2))
        let counter = F.offer(round: 2, expiresIn: 600, terms: F.terms(price: "55"))
        let action = machine.receivedRequest(accept, from: F.alpha, now: F.at(630))
        #expect(action == .failed(.expired, reply: .error(Machine.expiredError(counter))))
        // A retransmission after the conversation ended gets the same answer.
        #expect(
            machine.receivedRequest(accept, from: F.alpha, now: F.at(631))
                == .reply(.error(Machine.expiredError(counter))))
    }

    @Test func responderRefusesAReplayedProposalID() throws {
        var machine = Machine(role: .responder)
        let propose = Self.payload(.propose(F.offer()))
        _ = machine.receivedRequest(propose, from: F.alpha, now: F.at(1))
        guard case .reply(.error(let error)) = machine.receivedRequest(propose, from: F.alpha, now: F.at(2)) else {
            Issue.record("expected conflict"); return
        }
        #expect(error.code == .duplicateID && error.condition == .conflict)
        _ = try machine.reject(reason: .policy, now: F.at(3))
        #expect(machine.retainUntil == F.at(330))
        guard case .reply(.error(let again)) = machine.receivedRequest(propose, from: F.alpha, now: F.at(4)) else {
            Issue.record("expected conflict"); return
        }
        #expect(again.code == .duplicateID)
    }

    @Test func responderRefusesStrangersAndKeepsGoing() throws {
        var machine = try Self.counteringResponder()
        let accept = Self.payload(.accept(proposalID: "p1", round: 2))
        guard case .reply(.error(let error)) = machine.receivedRequest(accept, from: F.mallory, now: F.at(3)) else {
            Issue.record("expected forbidden"); return
        }
        #expect(error.code == .notParty && error.condition == .forbidden)
        // Another resource of the requester is not the party either.
        let otherResource = try F.alpha.bare.withResource("laptop")
        guard case .reply(.error(let other)) = machine.receivedRequest(accept, from: otherResource, now: F.at(3)) else {
            Issue.record("expected forbidden"); return
        }
        #expect(other.code == .notParty)
        let unknown = Self.payload(.accept(proposalID: "p9", round: 2))
        guard case .reply(.error(let missing)) = machine.receivedRequest(unknown, from: F.alpha, now: F.at(3)) else {
            Issue.record("expected item-not-found"); return
        }
        #expect(missing.condition == .itemNotFound)
        let counter = F.offer(round: 2, expiresIn: 600, terms: F.terms(price: "55"))
        #expect(
            machine.receivedRequest(accept, from: F.alpha, now: F.at(4))
                == .agreementReached(counter, reply: .result(nil)))
    }

    @Test func responderRefusesAWrongRoundButKeepsTheOfferOpen() throws {
        var machine = try Self.counteringResponder()
        let wrong = Self.payload(.accept(proposalID: "p1", round: 1))
        guard case .reply(.error(let error)) = machine.receivedRequest(wrong, from: F.alpha, now: F.at(3)) else {
            Issue.record("expected unexpected-request"); return
        }
        #expect(error.code == .wrongRound && error.condition == .unexpectedRequest)
        #expect(machine.outcome == nil)
    }

    @Test func responderEndsTheConversationOnAMalformedCounter() throws {
        var machine = try Self.counteringResponder()
        let bad = try F.element(
            "<counter xmlns='urn:intercloud:negotiation:0' id='p1' round='3' expires='2026-03-01T12:10:00Z'>"
                + F.form(["quantity": "lots"]) + "</counter>")
        guard
            case .failed(.protocolViolation(let error), .error(let replied)) = machine.receivedRequest(
                bad, from: F.alpha, now: F.at(3))
        else { Issue.record("expected a terminal refusal"); return }
        #expect(error == replied && error.code == .invalidTerms)
    }

    @Test func responderRefusesAMalformedProposal() throws {
        var machine = Machine(role: .responder)
        let bad = try F.element(
            "<propose xmlns='urn:intercloud:negotiation:0' id='p1' expires='2026-03-01T12:05:00Z'>"
                + F.form(["duration": nil]) + "</propose>")
        guard
            case .failed(.protocolViolation(let error), .error) = machine.receivedRequest(bad, from: F.alpha, now: F.t0)
        else { Issue.record("expected a refusal"); return }
        #expect(error.code == .invalidTerms)
        #expect(machine.retainUntil == nil)
    }

    @Test func responderEnforcesTheRoundLimitOnItsOwnCounters() throws {
        var machine = Machine(role: .responder, configuration: .init(maxRounds: 2))
        _ = machine.receivedRequest(Self.payload(.propose(F.offer())), from: F.alpha, now: F.at(1))
        _ = try machine.counter(terms: F.terms, expires: F.at(600), now: F.at(2))
        guard
            case .failed(.protocolViolation(let error), .error) = machine.receivedRequest(
                Self.payload(.counter(F.offer(round: 3, expiresIn: 900))), from: F.alpha, now: F.at(3))
        else { Issue.record("expected too-many-rounds"); return }
        #expect(error.code == .tooManyRounds && error.condition == .policyViolation)
    }
}
