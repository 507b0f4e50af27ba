import Testing

@testable import XMPPCore

/// The XEP-0060 error tables for malformed requests and the `<error/>` they produce (XEP-0060 §7.1.3, §7.2.3).
@Suite struct PubSubErrorTests {
    static let pubsub = "<pubsub xmlns='http://jabber.org/protocol/pubsub'>"

    /// Each malformed request with the error XEP-0060 assigns it.
    static let rows: [(String, String, PubSubError)] = [
        // §7.1.3: publish without a node.
        ("set", "\(pubsub)<publish><item id='a'><p xmlns='urn:p'/></item></publish></pubsub>", .nodeIDRequired),
        ("set", "\(pubsub)<publish node=''><item><p xmlns='urn:p'/></item></publish></pubsub>", .nodeIDRequired),
        // §7.1.3.6: publish without an item.
        ("set", "\(pubsub)<publish node='n'/></pubsub>", .itemRequired),
        // §7.1.3.5: more than one item, or more than one payload.
        (
            "set",
            "\(pubsub)<publish node='n'><item id='a'><p xmlns='urn:p'/></item><item id='b'><p xmlns='urn:p'/></item>"
                + "</publish></pubsub>", .invalidPayload
        ),
        (
            "set", "\(pubsub)<publish node='n'><item><p xmlns='urn:p'/><q xmlns='urn:p'/></item></publish></pubsub>",
            .invalidPayload
        ),
        // §7.1.3.6: an item without payload (PEP, XEP-0163 §3).
        ("set", "\(pubsub)<publish node='n'><item id='current'> </item></publish></pubsub>", .payloadRequired),
        // §7.2.3: retract without node, without item, without item id.
        ("set", "\(pubsub)<retract><item id='a'/></retract></pubsub>", .nodeIDRequired),
        ("set", "\(pubsub)<retract node='n'/></pubsub>", .itemRequired),
        ("set", "\(pubsub)<retract node='n'><item/></retract></pubsub>", .itemRequired),
        // §6.5: items without node.
        ("get", "\(pubsub)<items/></pubsub>", .nodeIDRequired),
        // Wrong iq type, unknown action, empty pubsub, wrong namespace.
        (
            "get", "\(pubsub)<publish node='n'><item><p xmlns='urn:p'/></item></publish></pubsub>",
            .badRequest("wrong iq type for <publish/>")
        ),
        ("set", "\(pubsub)<items node='n'/></pubsub>", .badRequest("wrong iq type for <items/>")),
        ("set", "\(pubsub)</pubsub>", .badRequest("<pubsub/> names no action")),
        (
            "set", "<pubsub xmlns='urn:other'><publish node='n'/></pubsub>",
            .badRequest("<pubsub/> in an unknown namespace")
        ),
        (
            "set", "\(pubsub)<frobnicate node='n'/></pubsub>",
            PubSubError(.featureNotImplemented, text: "unknown pubsub action <frobnicate/>")
        ),
    ]

    @Test(arguments: Self.rows.indices)
    func malformedRequestGetsItsTableError(row: Int) throws {
        let (type, pubsub, expected) = Self.rows[row]
        #expect(try PubSubFixtures.error(type, pubsub) == expected)
    }

    @Test func nonIQStanzasAreRejected() throws {
        let message = try PubSubFixtures.stanza(
            "<message to='a@b'><pubsub xmlns='http://jabber.org/protocol/pubsub'/></message>")
        #expect(throws: PubSubError.self) { try PubSubRequest(message) }
    }

    @Test func conditionsAndTypes() {
        #expect(
            PubSubError.preconditionNotMet("access model differs").stanzaError
                == StanzaError(.conflict, text: "access model differs"))
        #expect(PubSubError.preconditionNotMet().applicationCondition == "precondition-not-met")
        #expect(PubSubError.unsupported(feature: "subscribe").stanzaError.condition == .featureNotImplemented)
        #expect(PubSubError.presenceSubscriptionRequired.stanzaError.type == .auth)
        #expect(PubSubError.closedNode.stanzaError.type == .cancel)
        #expect(PubSubError.invalidPayload.stanzaError.type == .modify)
    }

    @Test func errorElementCarriesBothConditions() {
        let element = PubSubError.unsupported(feature: "subscribe").makeErrorElement()
        #expect(element.name == "error")
        #expect(element.namespace == Namespace.client)
        #expect(element[attribute: "type"] == "cancel")
        #expect(element.elements.map(\.name) == ["feature-not-implemented", "unsupported"])
        #expect(element.elements.map(\.namespace) == [Namespace.stanzaErrors, Namespace.pubsubErrors])
        #expect(element.elements[1].attributes == ["feature": "subscribe"])
        #expect(PubSubError(element) == .unsupported(feature: "subscribe"))

        let conflict = PubSubError.preconditionNotMet("x").makeErrorElement()
        #expect(conflict.elements.map(\.name) == ["conflict", "text", "precondition-not-met"])
        #expect(conflict.elements[2].attributes.isEmpty)
        #expect(PubSubError(conflict) == .preconditionNotMet("x"))
    }

    @Test func stanzaErrorReplyIsAddressedBackWithTheApplicationCondition() throws {
        let iq = try PubSubFixtures.iq("set", "\(Self.pubsub)<publish node='n'/></pubsub>")
        let reply = iq.makeError(PubSubError.itemRequired)
        #expect(reply.name == "iq")
        #expect(reply[attribute: "type"] == "error")
        #expect(reply[attribute: "id"] == "pub1")
        #expect(reply[attribute: "to"] == "juliet@capulet.lit/balcony")
        let errors = reply.children(named: "error", namespace: Namespace.client)
        #expect(errors.count == 1)
        #expect(errors.first.flatMap(PubSubError.init) == .itemRequired)
        #expect(reply.child(named: "pubsub", namespace: Namespace.pubsub) != nil)
    }
}
