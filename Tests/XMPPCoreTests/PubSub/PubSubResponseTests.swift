import Testing

@testable import XMPPCore

/// The exact shape of results and notifications (XEP-0060 §6.5.2, §7.1.2, §7.1.2.1, §7.2.2.1; XEP-0163 §4.3).
@Suite struct PubSubResponseTests {
    /// A trimmed XEP-0163 §3 tune payload.
    static let tune = XMLElement(
        name: "tune", namespace: "http://jabber.org/protocol/tune",
        children: [
            .element(
                XMLElement(
                    name: "title", namespace: "http://jabber.org/protocol/tune", children: [.text("Brief Prelude")]))
        ])

    @Test func publishResult() {
        let result = PubSubResponse.publishResult(node: "urn:n", itemID: "current")
        #expect(
            result.serialized()
                == "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='urn:n'><item id='current'/>"
                + "</publish></pubsub>")
    }

    @Test func itemsResultKeepsOrderAndPayloads() {
        let mood = XMLElement(name: "mood", namespace: "http://jabber.org/protocol/mood")
        let result = PubSubResponse.itemsResult(
            node: "urn:n", items: [(id: "a", payload: Self.tune), (id: "b", payload: mood)])
        #expect(result.name == "pubsub")
        #expect(result.namespace == Namespace.pubsub)
        let items = result.child(named: "items", namespace: Namespace.pubsub)
        #expect(items?.attributes == ["node": "urn:n"])
        let children = items?.children(named: "item", namespace: Namespace.pubsub) ?? []
        #expect(children.map { $0[attribute: "id"] } == ["a", "b"])
        #expect(children.map(\.elements) == [[Self.tune], [mood]])
        #expect(
            PubSubResponse.itemsResult(node: "urn:n", items: []).serialized().hasSuffix(
                "<items node='urn:n'/></pubsub>"))
    }

    @Test func notificationAndRetraction() {
        let event = PubSubResponse.notification(
            node: "http://jabber.org/protocol/tune", itemID: "current", payload: Self.tune)
        #expect(
            event.serialized()
                == "<event xmlns='http://jabber.org/protocol/pubsub#event'><items node='http://jabber.org/protocol/tune'>"
                + "<item id='current'><tune xmlns='http://jabber.org/protocol/tune'><title>Brief Prelude</title></tune>"
                + "</item></items></event>")
        let retract = PubSubResponse.retractNotification(node: "urn:n", itemID: "a")
        #expect(
            retract.serialized()
                == "<event xmlns='http://jabber.org/protocol/pubsub#event'><items node='urn:n'><retract id='a'/></items></event>"
        )
    }

    @Test func notificationMessageComesFromTheBareJID() throws {
        let message = PubSubResponse.notificationMessage(
            from: PubSubFixtures.juliet, to: PubSubFixtures.romeo, node: "urn:n", itemID: "current", payload: Self.tune,
            id: "n1")
        #expect(message.name == "message")
        #expect(message.namespace == Namespace.client)
        #expect(
            message.attributes == [
                "from": "juliet@capulet.lit", "to": "romeo@montague.lit/orchard", "type": "headline", "id": "n1",
            ])
        #expect(message.elements == [PubSubResponse.notification(node: "urn:n", itemID: "current", payload: Self.tune)])
        let stanza = try Stanza(message)
        #expect(stanza.kind == .message)
        #expect(stanza.from == PubSubFixtures.juliet.bare)
    }
}
