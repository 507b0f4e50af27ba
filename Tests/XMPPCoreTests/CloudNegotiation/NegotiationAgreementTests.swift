import Foundation
import Testing

@testable import XMPPCore

/// Agreements: canonical bytes, XML and JSON forms, retrieval (docs/negotiation.md "Agreements",
/// "Canonical form", "Retrieval").
@Suite struct NegotiationAgreementTests {
    typealias F = NegotiationFixtures

    static let agreement = Agreement(
        requester: F.alpha, responder: F.beta, proposalID: "p1", round: 2, terms: F.terms(price: "55"),
        proposedAt: F.t0, agreedAt: F.at(4.5))

    static let signed = SignedAgreement(
        agreement: Self.agreement,
        signature: AgreementSignature(
            algorithm: "ecdsa-with-SHA256", keyID: "0a1b", value: [0x30, 0x06, 0x02, 0x01, 0x01, 0xff]))

    /// The canonical bytes are fixed: a verifier in any language rebuilds exactly these.
    static let expectedCanonicalJSON =
        #"{"agreed":"2026-03-01T12:00:04.5Z","context":"urn:intercloud:negotiation:0#agreement","#
        + #""id":"a91a75197158f2002924fca60daae26c","proposal":"p1","proposed":"2026-03-01T12:00:00Z","#
        + #""requester":"alpha@intercloud.test","responder":"beta@intercloud.test","round":2,"#
        + #""terms":{"currency":["EUR"],"duration":["P30D"],"price-ceiling":["55"],"quantity":["500"],"#
        + #""region":["eu-west"],"replicas":["3"],"service-type":["https://w3id.org/intercloud/ns#ObjectStorage"],"#
        + #""sla-availability":["99.9"],"unit":["GB"]},"v":0}"#

    /// The agreement example of docs/negotiation.md, verbatim.
    static let documentedAgreement = """
        <agreement xmlns='urn:intercloud:negotiation:0' id='a91a75197158f2002924fca60daae26c' proposal='p1' round='2'
            requester='alpha@intercloud.test' responder='beta@intercloud.test'
            proposed='2026-03-01T12:00:00Z' agreed='2026-03-01T12:00:04.5Z'>
          <x xmlns='jabber:x:data' type='result'>
            <field type='hidden' var='FORM_TYPE'><value>urn:intercloud:negotiation:0#terms</value></field>
            <field var='service-type'><value>https://w3id.org/intercloud/ns#ObjectStorage</value></field>
            <field var='quantity'><value>500</value></field>
            <field var='unit'><value>GB</value></field>
            <field var='region'><value>eu-west</value></field>
            <field var='price-ceiling'><value>55</value></field>
            <field var='currency'><value>EUR</value></field>
            <field var='duration'><value>P30D</value></field>
            <field var='sla-availability'><value>99.9</value></field>
            <field var='replicas'><value>3</value></field>
          </x>
          <signature algorithm='ecdsa-with-SHA256' key-id='5f1c0e2a9b7d4c3e8a6b0d1f2e3c4b5a6d7e8f90'>CzBVep/E6Q4zWH2ix+wRNluApcrvFDleg6jN8hc8YYar0PUaP2SJrtP4HUJnjLHW+yBFao+02f4jSG2St9wBJktwlbrfBCk=</signature>
        </agreement>
        """

    @Test func theDocumentedAgreementParses() throws {
        let signed = try SignedAgreement(try F.element(Self.documentedAgreement))
        #expect(signed.agreement == Self.agreement)
        #expect(signed.signature.algorithm == "ecdsa-with-SHA256" && signed.signature.value.count == 71)
        #expect(signed.signature.keyID == "5f1c0e2a9b7d4c3e8a6b0d1f2e3c4b5a6d7e8f90")
    }

    @Test func canonicalBytesAreStable() {
        #expect(Self.agreement.canonicalJSON == Self.expectedCanonicalJSON)
        #expect(Self.agreement.canonicalBytes() == Array(Self.expectedCanonicalJSON.utf8))
        // SHA-256 of the same object without "id", computed independently (Python json, sort_keys, no spaces).
        #expect(Self.agreement.id == "a91a75197158f2002924fca60daae26c")
        // Equal terms written differently give the same bytes; any change gives other bytes and another id.
        var sameTerms = F.terms(price: "55.000")
        sameTerms.quantity = XSDDecimal("0500.0")!
        let same = Agreement(
            requester: F.alpha.bare, responder: F.beta, proposalID: "p1", round: 2, terms: sameTerms, proposedAt: F.t0,
            agreedAt: F.at(4.5))
        #expect(same.canonicalBytes() == Self.agreement.canonicalBytes())
        let other = Agreement(
            requester: F.alpha, responder: F.beta, proposalID: "p1", round: 2, terms: F.terms(price: "55.01"),
            proposedAt: F.t0, agreedAt: F.at(4.5))
        #expect(other.id != Self.agreement.id && other.canonicalBytes() != Self.agreement.canonicalBytes())
    }

    @Test func canonicalJSONEscapesLikeRFC8785() {
        let json = CanonicalJSON.object([
            "b": .string("quote\" backslash\\ tab\t nl\n bell\u{07} é €"), "a": .array([.integer(-1), .integer(0)]),
            "\u{20AC}": .string(""), "Z": .object([:]),
        ])
        #expect(json.text == #"{"Z":{},"a":[-1,0],"b":"quote\" backslash\\ tab\t nl\n bell\u0007 é €","€":""}"#)
    }

    @Test func theIDIsDerivedFromTheContent() {
        #expect(Self.agreement.id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let again = Agreement(
            requester: F.alpha, responder: F.beta, proposalID: "p1", round: 2, terms: F.terms(price: "55"),
            proposedAt: F.t0, agreedAt: F.at(4.5))
        #expect(again.id == Self.agreement.id)
    }

    @Test func signedAgreementsRoundTripThroughXML() throws {
        let element = Self.signed.makeElement()
        #expect(element.name == "agreement" && element.namespace == Namespace.negotiation)
        #expect(element[attribute: "requester"] == "alpha@intercloud.test")
        #expect(element[attribute: "agreed"] == "2026-03-01T12:00:04.5Z")
        #expect(element.child(named: "x", namespace: Namespace.dataForms)?[attribute: "type"] == "result")
        #expect(element.child(named: "signature", namespace: Namespace.negotiation)?.text == "MAYCAQH/")
        #expect(try SignedAgreement(element) == Self.signed)
        #expect(try SignedAgreement(try F.element(element.serialized())) == Self.signed)
        #expect(try Agreement(element).canonicalBytes() == Self.agreement.canonicalBytes())
    }

    @Test func tamperedAgreementsAreDetected() throws {
        var element = Self.signed.makeElement()
        element[attribute: "round"] = "1"
        #expect(throws: NegotiationError.self) { try SignedAgreement(element) }
        var unsigned = Self.agreement.makeElement()
        #expect(throws: NegotiationError.self) { try SignedAgreement(unsigned) }
        unsigned[attribute: "requester"] = "alpha@intercloud.test/agent"
        #expect(throws: NegotiationError.self) { try Agreement(unsigned) }
    }

    @Test func theJSONFormEmbedsTheSignedBytes() {
        let json = Self.signed.json
        #expect(json.hasPrefix(#"{"agreement":"# + Self.expectedCanonicalJSON + ","))
        #expect(json.hasSuffix(#""signature":{"algorithm":"ecdsa-with-SHA256","keyId":"0a1b","value":"MAYCAQH/"}}"#))
    }

    @Test func partiesRetrieveTheirAgreements() throws {
        let iq = F.iq(
            "get", from: F.beta, to: try #require(JID(F.domain)), id: "q1",
            AgreementsQuery(with: F.alpha).makeElement())
        let query = try AgreementsQuery(iq)
        #expect(query.with == F.alpha.bare && query.proposalID == nil)
        #expect(query.matches(Self.agreement, caller: F.beta))
        #expect(!query.matches(Self.agreement, caller: F.mallory))
        #expect(!AgreementsQuery().matches(Self.agreement, caller: F.mallory))
        #expect(AgreementsQuery(proposalID: "p1").matches(Self.agreement, caller: F.alpha))
        #expect(!AgreementsQuery(proposalID: "p2").matches(Self.agreement, caller: F.alpha))
        #expect(!AgreementsQuery(with: F.mallory).matches(Self.agreement, caller: F.alpha))
        let result = AgreementsQuery.makeResult([Self.signed])
        #expect(result.name == "agreements" && result.elements.count == 1)
        #expect(try SignedAgreement(result.elements[0]) == Self.signed)
        let set = F.iq("set", from: F.beta, to: try #require(JID(F.domain)), id: "q2", AgreementsQuery().makeElement())
        #expect(throws: NegotiationError.self) { try AgreementsQuery(set) }
    }

    @Test func bothPartiesAreNotified() throws {
        let domain = try #require(JID(F.domain))
        let message = Self.signed.makeNotification(from: domain, to: F.alpha)
        #expect(message.name == "message" && message[attribute: "type"] == "headline")
        #expect(message[attribute: "to"] == F.alpha.description && message[attribute: "from"] == F.domain)
        #expect(try SignedAgreement(try #require(message.elements.first)) == Self.signed)
    }
}
