import Foundation
import Testing

@testable import XMPPCore

/// Whole conversations: the requester's machine, the root's ledger and the responder's machine wired together the
/// way the server routes iqs, checking that all three end the same way (docs/negotiation.md "Conversation").
@Suite struct NegotiationConversationTests {
    typealias F = NegotiationFixtures
    typealias Machine = NegotiationStateMachine

    /// What a side's application decides on each offer it receives.
    enum Decision {
        case accept
        case reject(RejectReason)
        case counter(price: String)
    }

    /// The three parties and the wire between them; the clock advances one second per stanza.
    struct Network {
        var ledger = AgreementLedger(configuration: .init(domain: F.domain))
        var requester = Machine(role: .requester)
        var responder = Machine(role: .responder)
        var recorded: [Agreement] = []
        var transcript: [String] = []
        var clock: TimeInterval = 0
        var iqNumber = 0

        var now: Date { F.at(self.clock) }

        mutating func tick() { self.clock += 1 }

        /// Runs a conversation to its end.
        mutating func negotiate(requester requesterScript: [Decision], responder responderScript: [Decision]) throws {
            var requesterScript = requesterScript[...]
            var responderScript = responderScript[...]
            var action = try self.requester.sendProposal(F.offer(), to: F.beta, now: self.now)
            while true {
                switch action {
                case .send(let payload):
                    action = try self.request(payload, responderScript: &responderScript)
                case .decide:
                    self.tick()
                    action = try Self.apply(requesterScript.popFirst()!, to: &self.requester, now: self.now)
                case .agreementReached, .failed, .none, .reply:
                    return
                }
            }
        }

        /// alpha → root → beta, and beta's answer back through the root; returns the requester's next action.
        private mutating func request(_ payload: XMLElement, responderScript: inout ArraySlice<Decision>) throws
            -> Machine.Action
        {
            self.tick()
            self.iqNumber += 1
            let set = F.iq("set", from: F.alpha, to: F.beta, id: "n\(self.iqNumber)", payload)
            self.transcript.append("alpha: \(payload.name) round \(payload[attribute: "round"] ?? "?")")
            if case .refuse(let error) = self.ledger.observe(set, now: self.now) {
                self.transcript.append("root refuses: \(error.code.rawValue)")
                return self.requester.receivedError(error.makeErrorElement(), from: F.beta)
            }
            var answer = self.responder.receivedRequest(payload, from: F.alpha, now: self.now)
            if case .decide = answer {
                self.tick()
                answer = try Self.apply(responderScript.popFirst()!, to: &self.responder, now: self.now)
            }
            let reply: Machine.Reply?
            switch answer {
            case .reply(let r), .agreementReached(_, let r?), .failed(_, let r?): reply = r
            default: reply = nil
            }
            self.tick()
            switch reply {
            case .result(let payload):
                self.transcript.append("beta: result \(payload?.name ?? "(empty)")")
                let result = F.iq("result", from: F.beta, to: F.alpha, id: set.id!, payload)
                switch self.ledger.observe(result, now: self.now) {
                case .record(let agreement):
                    self.recorded.append(agreement)
                    self.transcript.append("root records round \(agreement.round)")
                case .replaceWithError(let error):
                    return self.requester.receivedError(error.makeErrorElement(), from: F.beta)
                case .route, .refuse, .drop:
                    break
                }
                return self.requester.receivedResult(payload, from: F.beta, now: self.now)
            case .error(let error):
                self.transcript.append("beta: error \(error.code.rawValue)")
                var iq = XMLElement(
                    name: "iq", namespace: Namespace.client,
                    attributes: ["type": "error", "id": set.id!, "from": F.beta.description, "to": F.alpha.description])
                iq.append(error.makeErrorElement())
                _ = self.ledger.observe(try Stanza(iq), now: self.now)
                return self.requester.receivedError(error.makeErrorElement(), from: F.beta)
            case nil:
                return .none
            }
        }

        static func apply(_ decision: Decision, to machine: inout Machine, now: Date) throws -> Machine.Action {
            switch decision {
            case .accept: try machine.accept(now: now)
            case .reject(let reason): try machine.reject(reason: reason, now: now)
            case .counter(let price):
                try machine.counter(terms: F.terms(price: price), expires: now.addingTimeInterval(300), now: now)
            }
        }
    }

    @Test func acceptedProposal() throws {
        var network = Network()
        try network.negotiate(requester: [], responder: [.accept])
        #expect(network.transcript == ["alpha: propose round 1", "beta: result accept", "root records round 1"])
        #expect(network.requester.outcome == .agreed(F.offer()))
        #expect(network.responder.outcome == .agreed(F.offer()))
        #expect(network.recorded.map(\.terms) == [F.terms])
        #expect(network.ledger.openConversations == 0)
    }

    @Test func counterThenAccept() throws {
        var network = Network()
        try network.negotiate(requester: [.accept], responder: [.counter(price: "55")])
        #expect(
            network.transcript == [
                "alpha: propose round 1", "beta: result counter", "alpha: accept round 2", "beta: result (empty)",
                "root records round 2",
            ])
        guard case .agreed(let offer) = network.requester.outcome else {
            Issue.record("requester did not agree"); return
        }
        #expect(network.responder.outcome == .agreed(offer))
        #expect(offer.round == 2 && offer.terms == F.terms(price: "55"))
        #expect(network.recorded.count == 1 && network.recorded.first?.terms == offer.terms)
    }

    @Test func counterCounterAccept() throws {
        var network = Network()
        try network.negotiate(requester: [.counter(price: "48")], responder: [.counter(price: "55"), .accept])
        guard case .agreed(let offer) = network.responder.outcome else {
            Issue.record("responder did not agree"); return
        }
        #expect(network.requester.outcome == .agreed(offer))
        #expect(offer.round == 3 && offer.terms.priceCeiling == XSDDecimal("48"))
        #expect(network.recorded.map(\.round) == [3])
    }

    @Test func counterThenReject() throws {
        var network = Network()
        try network.negotiate(requester: [.reject(.price)], responder: [.counter(price: "55")])
        let rejected = Machine.Outcome.failed(.rejected(by: .requester, reason: .price, text: nil))
        #expect(network.requester.outcome == rejected)
        #expect(network.responder.outcome == rejected)
        #expect(network.recorded.isEmpty)
        #expect(network.ledger.openConversations == 0)
    }

    @Test func rejectedProposal() throws {
        var network = Network()
        try network.negotiate(requester: [], responder: [.reject(.capacity)])
        let rejected = Machine.Outcome.failed(.rejected(by: .responder, reason: .capacity, text: nil))
        #expect(network.requester.outcome == rejected && network.responder.outcome == rejected)
        #expect(network.recorded.isEmpty)
    }

    @Test func tooManyRoundsEndsEverywhere() throws {
        var network = Network()
        network.ledger = AgreementLedger(configuration: .init(domain: F.domain, limits: .init(maxRounds: 3)))
        network.responder = Machine(role: .responder, configuration: .init(maxRounds: 4))
        try network.negotiate(
            requester: [.counter(price: "48")], responder: [.counter(price: "55"), .counter(price: "52")])
        // The responder's round-4 counter exceeds the root's limit: the root replaces it with an error.
        guard case .failed(.errorReceived(_, let code))? = network.requester.outcome else {
            Issue.record("requester did not fail"); return
        }
        #expect(code == .tooManyRounds)
        #expect(network.recorded.isEmpty && network.ledger.openConversations == 0)
    }
}
