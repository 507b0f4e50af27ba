import Foundation
import Testing

@testable import XMPPCore

/// The payload elements and the terms form (docs/negotiation.md "Payloads", "Terms", "Errors").
@Suite struct NegotiationPayloadTests {
    typealias F = NegotiationFixtures

    static func propose(_ form: String = F.form(), id: String = "p1", expires: String = "2026-03-01T12:05:00Z")
        -> String
    {
        "<propose xmlns='urn:intercloud:negotiation:0' id='\(id)' round='1' expires='\(expires)'>\(form)</propose>"
    }

    @Test func parsesTheDocumentedProposal() throws {
        let payload = try NegotiationPayload(try F.element(Self.propose()))
        #expect(payload == .propose(F.offer()))
        #expect(payload.offer?.terms.priceCeiling.description == "42.5")
        #expect(payload.offer?.offeredBy == .requester)
        #expect(payload.offer?.terms.duration == XSDDuration(days: 30))
    }

    @Test func everyPayloadRoundTrips() throws {
        var terms = F.terms
        terms.start = F.at(3_600)
        terms.slaDurability = XSDDecimal("99.999999999")
        terms.extensions = ["x-egress": ["free"], "x-zones": ["a", "b"]]
        let payloads: [NegotiationPayload] = [
            .propose(F.offer(terms: terms)),
            .counter(F.offer(round: 2, expiresIn: 600.125, terms: F.terms(price: "55"))),
            .accept(proposalID: "p1", round: 2),
            .reject(proposalID: "p1", round: 3, reason: .capacity, text: "only 200 GB left"),
            .reject(proposalID: "p1", round: 1, reason: .other, text: nil),
        ]
        for payload in payloads {
            let element = payload.makeElement()
            #expect(try NegotiationPayload(element) == payload)
            #expect(try NegotiationPayload(try F.element(element.serialized())) == payload)
        }
    }

    @Test func acceptWithoutRoundAnswersRoundOne() throws {
        let payload = try NegotiationPayload(try F.element("<accept xmlns='urn:intercloud:negotiation:0' id='p1'/>"))
        #expect(payload == .accept(proposalID: "p1", round: 1))
    }

    @Test func theTermsFormIsCanonical() {
        let form = F.terms.makeForm()
        #expect(form.type == .submit)
        #expect(form.formType == Namespace.negotiationTerms)
        #expect(
            form.fields.compactMap(\.variable) == [
                "FORM_TYPE", "service-type", "quantity", "unit", "region", "price-ceiling", "currency", "duration",
                "sla-availability", "replicas",
            ])
        #expect(form.values("price-ceiling") == ["42.5"])
    }

    @Test(arguments: [
        ("<propose xmlns='urn:intercloud:negotiation:0' round='1' expires='2026-03-01T12:05:00Z'/>", "malformed"),
        ("<offer xmlns='urn:intercloud:negotiation:0' id='p1'/>", "malformed"),
        ("<accept xmlns='urn:other' id='p1'/>", "malformed"),
        ("<accept xmlns='urn:intercloud:negotiation:0' id='p 1'/>", "malformed"),
        ("<accept xmlns='urn:intercloud:negotiation:0' id='p1' round='0'/>", "malformed"),
        ("<accept xmlns='urn:intercloud:negotiation:0' id='p1' round='two'/>", "malformed"),
        ("<accept xmlns='urn:intercloud:negotiation:0' id='p1' round='-1'/>", "malformed"),
        ("<reject xmlns='urn:intercloud:negotiation:0' id='p1' round='1'/>", "malformed"),
        ("<reject xmlns='urn:intercloud:negotiation:0' id='p1' round='1' reason='mood'/>", "malformed"),
        (
            "<counter xmlns='urn:intercloud:negotiation:0' id='p1' round='1' expires='2026-03-01T12:05:00Z'/>",
            "malformed"
        ),
    ])
    func malformedPayloadsAreBadRequests(xml: String, code: String) throws {
        let error = try F.payloadError(xml)
        #expect(error?.code.rawValue == code)
        #expect(error?.condition == .badRequest)
    }

    @Test func anOfferNeedsAValidExpiryAndOneForm() throws {
        #expect(try F.payloadError(Self.propose(expires: "2026-03-01T12:05:00"))?.code == .malformed)
        #expect(try F.payloadError(Self.propose(expires: "soon"))?.code == .malformed)
        #expect(
            try F.payloadError(
                "<propose xmlns='urn:intercloud:negotiation:0' id='p1' expires='2026-03-01T12:05:00Z'/>")?.code
                == .malformed)
        #expect(try F.payloadError(Self.propose(F.form() + F.form()))?.code == .malformed)
        #expect(
            try F.payloadError(Self.propose().replacingOccurrences(of: "round='1'", with: "round='2'"))?.code
                == .malformed)
    }

    @Test(
        arguments: [
            ["quantity": nil], ["service-type": nil], ["duration": nil], ["currency": nil], ["region": nil],
            ["unit": nil], ["price-ceiling": nil], ["quantity": ""],
            ["quantity": "five hundred"], ["quantity": "0"], ["quantity": "-5"], ["quantity": "1e3"],
            ["price-ceiling": "-1"], ["price-ceiling": "12,50"], ["currency": "eur"], ["currency": "EURO"],
            ["duration": "30 days"], ["duration": "P0D"], ["duration": "-P1D"], ["start": "2026-03-02"],
            ["start": "2026-03-02T25:00:00Z"], ["sla-availability": "101"], ["sla-durability": "high"],
            ["replicas": "0"], ["replicas": "2.5"], ["service-type": "ObjectStorage"], ["region": " eu-west"],
            ["FORM_TYPE": "urn:other"],
        ] as [[String: String?]])
    func invalidTermsAreRefused(changes: [String: String?]) throws {
        let error = try F.payloadError(Self.propose(F.form(changes)))
        #expect(error?.code == .invalidTerms)
        #expect(error?.condition == .badRequest)
    }

    @Test func termsFormsMustBeSubmittedAndSingleValued() throws {
        #expect(try F.payloadError(Self.propose(F.form(type: "result")))?.code == .invalidTerms)
        let twoPrices = F.form().replacingOccurrences(
            of: "<value>42.50</value>", with: "<value>42.50</value><value>43</value>")
        #expect(try F.payloadError(Self.propose(twoPrices))?.code == .invalidTerms)
    }

    @Test func errorsCarryTheApplicationCondition() throws {
        let error = NegotiationError(.expired, "offer p1 round 1 expired")
        let iq = F.iq(
            "set", from: F.alpha, to: F.beta, id: "n1",
            NegotiationPayload.accept(proposalID: "p1", round: 1).makeElement())
        let reply = iq.makeError(error)
        #expect(reply[attribute: "type"] == "error")
        #expect(reply[attribute: "to"] == F.alpha.description)
        let errorElement = try #require(reply.child(named: "error"))
        #expect(errorElement[attribute: "type"] == "modify")
        #expect(errorElement.child(named: "not-acceptable", namespace: Namespace.stanzaErrors) != nil)
        #expect(errorElement.child(named: "expired", namespace: Namespace.negotiation) != nil)
        #expect(NegotiationError(errorElement: errorElement) == error)
        #expect(NegotiationError(.outOfOrder, "x").type == .cancel)
        #expect(NegotiationError(.tooManyPending, "x").stanzaError.condition == .resourceConstraint)
        #expect(NegotiationError(.notParty, "x").stanzaError.type == .auth)
        #expect(NegotiationError(errorElement: StanzaError(.badRequest).makeElement()) == nil)
    }
}
