import Foundation
import Testing

@testable import XMPPCore

/// Transcripts of routed negotiation iqs as the root's ``AgreementLedger`` sees them (docs/negotiation.md
/// "The root", "Errors").
@Suite struct NegotiationLedgerTests {
    typealias F = NegotiationFixtures

    static func ledger(maxPending: Int = 32, maxRetained: Int = 256) -> AgreementLedger {
        AgreementLedger(
            configuration: .init(domain: F.domain, maxPendingPerParty: maxPending, maxRetainedPerParty: maxRetained))
    }

    static func set(_ payload: NegotiationPayload, from: JID = F.alpha, to: JID = F.beta, id: String = "n1") -> Stanza {
        F.iq("set", from: from, to: to, id: id, payload.makeElement())
    }

    static func result(_ payload: NegotiationPayload?, from: JID = F.beta, to: JID = F.alpha, id: String = "n1")
        -> Stanza
    {
        F.iq("result", from: from, to: to, id: id, payload?.makeElement())
    }

    static func code(_ action: AgreementLedger.Action) -> NegotiationError.Code? {
        switch action {
        case .refuse(let error), .replaceWithError(let error): error.code
        default: nil
        }
    }

    static let counter = F.offer(round: 2, expiresIn: 600, terms: F.terms(price: "55"))

    /// A ledger that routed p1 (iq n1) and beta's counter, round 2, expiring at t0 + 600 s.
    static func countered() -> AgreementLedger {
        var ledger = Self.ledger()
        _ = ledger.observe(Self.set(.propose(F.offer())), now: F.t0)
        _ = ledger.observe(Self.result(.counter(Self.counter)), now: F.at(1))
        return ledger
    }

    @Test func recordsExactlyOneAgreementWhenTheResponderAccepts() {
        var ledger = Self.ledger()
        // alpha → beta: <iq type='set' id='n1'><propose id='p1' …/></iq>
        #expect(ledger.observe(Self.set(.propose(F.offer())), now: F.t0) == .route)
        #expect(ledger.openConversations == 1)
        // beta → alpha: <iq type='result' id='n1'><accept id='p1' round='1'/></iq>
        let accept = Self.result(.accept(proposalID: "p1", round: 1))
        let expected = Agreement(
            requester: F.alpha.bare, responder: F.beta.bare, proposalID: "p1", round: 1, terms: F.terms,
            proposedAt: F.t0, agreedAt: F.at(2))
        #expect(ledger.observe(accept, now: F.at(2)) == .record(expected))
        #expect(ledger.openConversations == 0)
        // A duplicated result no longer matches an outstanding request.
        #expect(ledger.observe(accept, now: F.at(3)) == .drop)
        // A late accept in a new request is refused: the negotiation is over.
        let again = ledger.observe(Self.set(.accept(proposalID: "p1", round: 1), id: "n2"), now: F.at(4))
        #expect(Self.code(again) == .outOfOrder)
    }

    @Test func recordsTheCounterOfferWhenTheResponderAcknowledgesTheAccept() {
        var ledger = Self.countered()
        // alpha → beta: <iq type='set' id='n2'><accept id='p1' round='2'/></iq>
        #expect(ledger.observe(Self.set(.accept(proposalID: "p1", round: 2), id: "n2"), now: F.at(3)) == .route)
        // beta → alpha: <iq type='result' id='n2'/>
        guard case .record(let agreement) = ledger.observe(Self.result(nil, id: "n2"), now: F.at(4)) else {
            Issue.record("expected an agreement"); return
        }
        #expect(agreement.round == 2 && agreement.terms == Self.counter.terms && agreement.offeredBy == .responder)
        #expect(agreement.proposedAt == F.t0 && agreement.agreedAt == F.at(4))
        #expect(ledger.observe(Self.result(nil, id: "n2"), now: F.at(5)) == .route)
    }

    @Test func aRejectedCounterRecordsNothing() {
        var ledger = Self.countered()
        let reject = NegotiationPayload.reject(proposalID: "p1", round: 2, reason: .price, text: nil)
        #expect(ledger.observe(Self.set(reject, id: "n2"), now: F.at(3)) == .route)
        #expect(ledger.observe(Self.result(nil, id: "n2"), now: F.at(4)) == .route)
        #expect(ledger.openConversations == 0 && ledger.trackedConversations == 1)
    }

    @Test func aRejectedProposalRecordsNothing() {
        var ledger = Self.ledger()
        _ = ledger.observe(Self.set(.propose(F.offer())), now: F.t0)
        let reject = NegotiationPayload.reject(proposalID: "p1", round: 1, reason: .capacity, text: "full")
        #expect(ledger.observe(Self.result(reject), now: F.at(1)) == .route)
        #expect(ledger.openConversations == 0)
    }

    @Test func countersMayGoBackAndForth() {
        var ledger = Self.countered()
        let third = F.offer(round: 3, expiresIn: 900, terms: F.terms(price: "48"))
        #expect(ledger.observe(Self.set(.counter(third), id: "n2"), now: F.at(3)) == .route)
        guard
            case .record(let agreement) = ledger.observe(
                Self.result(.accept(proposalID: "p1", round: 3), id: "n2"), now: F.at(4))
        else { Issue.record("expected an agreement"); return }
        #expect(agreement.round == 3 && agreement.terms == third.terms)
    }

    @Test func expiredOffersGetNotAcceptable() {
        var ledger = Self.ledger()
        let stale = ledger.observe(Self.set(.propose(F.offer(expiresIn: 0))), now: F.t0)
        #expect(Self.code(stale) == .expired)
        let far = ledger.observe(Self.set(.propose(F.offer(expiresIn: 86_401))), now: F.t0)
        #expect(Self.code(far) == .expiryTooFar)
        // An answer later than expiry plus grace is replaced by an error to the requester.
        _ = ledger.observe(Self.set(.propose(F.offer())), now: F.t0)
        let late = ledger.observe(Self.result(.accept(proposalID: "p1", round: 1)), now: F.at(331))
        #expect(late == .replaceWithError(NegotiationStateMachine.expiredError(F.offer())))
        // Accepting a counter after it expired.
        var countered = Self.countered()
        let accept = countered.observe(Self.set(.accept(proposalID: "p1", round: 2), id: "n2"), now: F.at(601))
        #expect(accept == .refuse(NegotiationStateMachine.expiredError(Self.counter)))
        #expect(countered.openConversations == 0)
    }

    @Test func replayedProposalIDsGetConflict() {
        var ledger = Self.ledger()
        _ = ledger.observe(Self.set(.propose(F.offer())), now: F.t0)
        let open = ledger.observe(Self.set(.propose(F.offer()), id: "n9"), now: F.at(1))
        #expect(open == .refuse(NegotiationError(.duplicateID, "proposal id p1 was already used")))
        _ = ledger.observe(Self.result(.reject(proposalID: "p1", round: 1, reason: .policy, text: nil)), now: F.at(2))
        #expect(Self.code(ledger.observe(Self.set(.propose(F.offer()), id: "n9"), now: F.at(3))) == .duplicateID)
        // Once the retention (last expiry + grace) is over, the id may be used again.
        let fresh = F.offer(expiresIn: 700)
        #expect(ledger.observe(Self.set(.propose(fresh), id: "n9"), now: F.at(331)) == .route)
        // The same id from another requester is another conversation.
        #expect(ledger.observe(Self.set(.propose(F.offer()), from: F.beta, to: F.alpha, id: "m1"), now: F.t0) == .route)
    }

    @Test func onlyTheRequesterMayAnswerTheCounterOffer() throws {
        var ledger = Self.countered()
        let accept = NegotiationPayload.accept(proposalID: "p1", round: 2)
        let stranger = ledger.observe(Self.set(accept, from: F.mallory, to: F.alpha, id: "x1"), now: F.at(3))
        #expect(Self.code(stranger) == .notParty)
        let otherResource = try F.alpha.bare.withResource("laptop")
        #expect(Self.code(ledger.observe(Self.set(accept, from: otherResource, id: "x2"), now: F.at(3))) == .notParty)
        #expect(Self.code(ledger.observe(Self.set(accept, to: F.mallory, id: "x3"), now: F.at(3))) == .notParty)
        let responder = ledger.observe(Self.set(accept, from: F.beta, to: F.alpha, id: "x4"), now: F.at(3))
        #expect(Self.code(responder) == .outOfOrder)
        #expect(NegotiationError(.notParty, "").condition == .forbidden)
        // None of that disturbed the conversation.
        #expect(ledger.observe(Self.set(accept, id: "n2"), now: F.at(4)) == .route)
    }

    @Test func forgedResultsAreDropped() {
        var ledger = Self.ledger()
        _ = ledger.observe(Self.set(.propose(F.offer())), now: F.t0)
        let forged = Self.result(.accept(proposalID: "p1", round: 1), from: F.mallory)
        #expect(ledger.observe(forged, now: F.at(1)) == .drop)
        #expect(ledger.observe(F.iq("result", from: F.mallory, to: F.alpha, id: "n1"), now: F.at(1)) == .route)
        #expect(ledger.openConversations == 1)
    }

    @Test func unknownProposalsAndOutOfTurnRequests() {
        var ledger = Self.ledger()
        let unknown = ledger.observe(Self.set(.accept(proposalID: "nope", round: 1)), now: F.t0)
        #expect(Self.code(unknown) == .unknownProposal)
        #expect(NegotiationError(.unknownProposal, "").condition == .itemNotFound)
        _ = ledger.observe(Self.set(.propose(F.offer())), now: F.t0)
        let early = ledger.observe(Self.set(.accept(proposalID: "p1", round: 1), id: "n2"), now: F.at(1))
        #expect(Self.code(early) == .outOfOrder)
        var countered = Self.countered()
        let wrong = countered.observe(Self.set(.accept(proposalID: "p1", round: 1), id: "n2"), now: F.at(3))
        #expect(Self.code(wrong) == .wrongRound)
        #expect(countered.openConversations == 1)
    }

    @Test func addressingRules() throws {
        var ledger = Self.ledger()
        let propose = NegotiationPayload.propose(F.offer())
        #expect(Self.code(ledger.observe(Self.set(propose, to: F.beta.bare), now: F.t0)) == .fullJIDRequired)
        let outsider = try #require(JID("eve@elsewhere.test/x"))
        #expect(Self.code(ledger.observe(Self.set(propose, to: outsider), now: F.t0)) == .notACloud)
        let domain = try #require(JID("intercloud.test/admin"))
        #expect(Self.code(ledger.observe(Self.set(propose, to: domain), now: F.t0)) == .notACloud)
        let selfJID = try F.alpha.bare.withResource("other")
        #expect(Self.code(ledger.observe(Self.set(propose, to: selfJID), now: F.t0)) == .selfNegotiation)
        #expect(ledger.trackedConversations == 0)
    }

    @Test func malformedRequestsAreBadRequests() throws {
        var ledger = Self.ledger()
        func observe(_ xml: String) throws -> AgreementLedger.Action {
            ledger.observe(F.iq("set", from: F.alpha, to: F.beta, id: "n1", try F.element(xml)), now: F.t0)
        }
        let missingField =
            "<propose xmlns='urn:intercloud:negotiation:0' id='p1' expires='2026-03-01T12:05:00Z'>"
            + F.form(["region": nil]) + "</propose>"
        #expect(Self.code(try observe(missingField)) == .invalidTerms)
        let badNumber = missingField.replacingOccurrences(
            of: F.form(["region": nil]), with: F.form(["quantity": "1O0"]))
        #expect(Self.code(try observe(badNumber)) == .invalidTerms)
        let badDate =
            "<propose xmlns='urn:intercloud:negotiation:0' id='p1' expires='2026-03-01 12:05'>"
            + F.form() + "</propose>"
        #expect(Self.code(try observe(badDate)) == .malformed)
        #expect(Self.code(try observe("<haggle xmlns='urn:intercloud:negotiation:0'/>")) == .malformed)
        #expect(ledger.trackedConversations == 0)
        // Non-negotiation traffic is none of the ledger's business.
        let ping = F.iq(
            "get", from: F.alpha, to: F.beta, id: "ping", XMLElement(name: "ping", namespace: Namespace.ping))
        #expect(ledger.observe(ping, now: F.t0) == .route)
    }

    @Test func aMalformedCounterFromTheRequesterEndsTheConversation() throws {
        var ledger = Self.countered()
        let bad =
            "<counter xmlns='urn:intercloud:negotiation:0' id='p1' round='3' expires='2026-03-01T12:10:00Z'>"
            + F.form(["currency": "euro"]) + "</counter>"
        let action = ledger.observe(F.iq("set", from: F.alpha, to: F.beta, id: "n2", try F.element(bad)), now: F.at(3))
        #expect(Self.code(action) == .invalidTerms)
        #expect(ledger.openConversations == 0)
    }

    @Test func invalidResultsAreReplacedByAnErrorToTheRequester() throws {
        var ledger = Self.ledger()
        _ = ledger.observe(Self.set(.propose(F.offer())), now: F.t0)
        let result = Self.result(.accept(proposalID: "p1", round: 2))
        let action = ledger.observe(result, now: F.at(1))
        #expect(Self.code(action) == .wrongRound)
        guard case .replaceWithError(let error) = action else { return }
        let replacement = AgreementLedger.replacementError(for: result, error)
        #expect(replacement[attribute: "type"] == "error" && replacement[attribute: "id"] == "n1")
        #expect(
            replacement[attribute: "from"] == F.beta.description && replacement[attribute: "to"] == F.alpha.description)
        let errorElement = try #require(replacement.child(named: "error"))
        #expect(NegotiationError(errorElement: errorElement)?.code == .wrongRound)
        #expect(ledger.openConversations == 0)

        var empty = Self.ledger()
        _ = empty.observe(Self.set(.propose(F.offer())), now: F.t0)
        #expect(Self.code(empty.observe(Self.result(nil), now: F.at(1))) == .malformed)

        var tooMany = AgreementLedger(configuration: .init(domain: F.domain, limits: .init(maxRounds: 1)))
        _ = tooMany.observe(Self.set(.propose(F.offer())), now: F.t0)
        #expect(Self.code(tooMany.observe(Self.result(.counter(Self.counter)), now: F.at(1))) == .tooManyRounds)
    }

    @Test func anErrorFromTheResponderEndsTheConversation() {
        var ledger = Self.ledger()
        _ = ledger.observe(Self.set(.propose(F.offer())), now: F.t0)
        let error = StanzaError(.serviceUnavailable).makeElement()
        let reply = F.iq("error", from: F.beta, to: F.alpha, id: "n1", error)
        #expect(ledger.observe(reply, now: F.at(1)) == .route)
        #expect(ledger.openConversations == 0)
    }

    @Test func pendingProposalsAreCappedPerRequester() {
        var ledger = Self.ledger(maxPending: 2)
        #expect(ledger.observe(Self.set(.propose(F.offer("p1", expiresIn: 100)), id: "a"), now: F.t0) == .route)
        #expect(ledger.observe(Self.set(.propose(F.offer("p2")), id: "b"), now: F.t0) == .route)
        let third = ledger.observe(Self.set(.propose(F.offer("p3")), id: "c"), now: F.at(1))
        #expect(Self.code(third) == .tooManyPending)
        #expect(NegotiationError(.tooManyPending, "").condition == .resourceConstraint)
        // Another requester is not affected.
        #expect(
            ledger.observe(Self.set(.propose(F.offer("p3")), from: F.beta, to: F.alpha, id: "d"), now: F.at(1))
                == .route)
        // Once p1 has expired (plus grace for its outstanding result), there is room again.
        #expect(ledger.observe(Self.set(.propose(F.offer("p3")), id: "c"), now: F.at(131)) == .route)
    }

    @Test func sweepsBoundMemory() {
        var ledger = Self.ledger(maxRetained: 1)
        _ = ledger.observe(Self.set(.propose(F.offer("p1")), id: "a"), now: F.t0)
        _ = ledger.observe(Self.set(.propose(F.offer("p2", expiresIn: 100)), id: "b"), now: F.t0)
        _ = ledger.observe(
            Self.result(.reject(proposalID: "p1", round: 1, reason: .other, text: nil), id: "a"), now: F.at(1))
        #expect(ledger.trackedConversations == 2)
        #expect(ledger.expire(now: F.at(130)) == .init(expired: 0, forgotten: 0))
        #expect(ledger.expire(now: F.at(131)) == .init(expired: 1, forgotten: 0))
        // Two finished conversations, one retained slot: the one whose retention ends first went.
        #expect(ledger.trackedConversations == 1)
        #expect(ledger.expire(now: F.at(331)) == .init(expired: 0, forgotten: 1))
        #expect(ledger.trackedConversations == 0 && ledger.openConversations == 0)
    }
}
