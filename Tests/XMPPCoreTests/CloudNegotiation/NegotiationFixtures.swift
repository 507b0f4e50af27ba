import Foundation
import Testing

@testable import XMPPCore

/// Shared parties, clock and terms for the negotiation transcripts (docs/negotiation.md).
enum NegotiationFixtures {
    static let domain = "intercloud.test"
    /// The requester's full JID.
    static let alpha = JID("alpha@intercloud.test/agent")!
    /// The responder's full JID.
    static let beta = JID("beta@intercloud.test/agent")!
    /// A third cloud, party to nothing.
    static let mallory = JID("mallory@intercloud.test/x")!
    /// 2026-03-01T12:00:00Z.
    static let t0 = Date(timeIntervalSince1970: 1_772_366_400)

    /// `t0` plus `seconds`.
    static func at(_ seconds: TimeInterval) -> Date { Self.t0.addingTimeInterval(seconds) }

    /// 500 GB of object storage in eu-west for 30 days, at most 42.50 EUR, 99.9 % availability, 3 replicas.
    static let terms = NegotiationTerms(
        serviceType: "https://w3id.org/intercloud/ns#ObjectStorage", quantity: XSDDecimal("500")!, unit: "GB",
        region: "eu-west", priceCeiling: XSDDecimal("42.50")!, currency: "EUR", duration: XSDDuration("P30D")!,
        slaAvailability: XSDDecimal("99.9"), replicas: 3)

    /// The same terms at a higher price.
    static func terms(price: String) -> NegotiationTerms {
        var terms = Self.terms
        terms.priceCeiling = XSDDecimal(price)!
        return terms
    }

    /// An offer expiring `expiresIn` seconds after `t0`.
    static func offer(
        _ id: String = "p1", round: Int = 1, expiresIn: TimeInterval = 300, terms: NegotiationTerms = Self.terms
    ) -> Offer {
        Offer(proposalID: id, round: round, expires: Self.at(expiresIn), terms: terms)
    }

    /// An iq as the server sees it after stamping `from`.
    static func iq(_ type: String, from: JID, to: JID, id: String, _ payload: XMLElement? = nil) -> Stanza {
        var element = XMLElement(
            name: "iq", namespace: Namespace.client,
            attributes: ["type": type, "id": id, "from": from.description, "to": to.description])
        if let payload { element.append(payload) }
        return try! Stanza(element)
    }

    /// Parses one element from its XML text, as a `jabber:client` stream would deliver it.
    static func element(_ xml: String) throws -> XMLElement {
        var parser = XMLStreamParser()
        let events = try parser.feed(
            "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" + xml)
        guard events.count == 2, case .element(let element) = events[1] else {
            throw NegotiationError(.malformed, "fixture did not parse to one element")
        }
        return element
    }

    /// A payload parse, returning the thrown error instead.
    static func payloadError(_ xml: String) throws -> NegotiationError? {
        do {
            _ = try NegotiationPayload(try Self.element(xml))
            return nil
        } catch let error as NegotiationError {
            return error
        }
    }

    /// The terms form of docs/negotiation.md, with `fields` replacing or adding fields (`nil` removes one).
    static func form(_ changes: [String: String?] = [:], type: String = "submit") -> String {
        var fields: [(String, String?)] = [
            ("FORM_TYPE", Namespace.negotiationTerms), ("service-type", "https://w3id.org/intercloud/ns#ObjectStorage"),
            ("quantity", "500"), ("unit", "GB"), ("region", "eu-west"), ("price-ceiling", "42.50"),
            ("currency", "EUR"), ("duration", "P30D"), ("sla-availability", "99.9"), ("replicas", "3"),
        ]
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) {
            if let index = fields.firstIndex(where: { $0.0 == name }) {
                fields[index].1 = value
            } else {
                fields.append((name, value))
            }
        }
        var xml = "<x xmlns='jabber:x:data' type='\(type)'>"
        for case (let name, let value?) in fields {
            let type = name == "FORM_TYPE" ? " type='hidden'" : ""
            xml += "<field var='\(name)'\(type)><value>\(value)</value></field>"
        }
        return xml + "</x>"
    }
}
