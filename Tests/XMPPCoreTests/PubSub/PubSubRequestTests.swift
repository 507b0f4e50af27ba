import Testing

@testable import XMPPCore

/// Parsing PEP requests (XEP-0060 §6.5, §7.1, §7.2, §8.4; XEP-0163 §3).
@Suite struct PubSubRequestTests {
    @Test func parsesTheXEP0163TunePublish() throws {
        let request = try PubSubRequest(try PubSubFixtures.stanza(PubSubFixtures.tunePublish))
        guard case .publish(let node, let itemID, let payload, let options) = request else {
            Issue.record("expected publish, got \(request)")
            return
        }
        #expect(node == "http://jabber.org/protocol/tune")
        #expect(itemID == "current")
        #expect(options == nil)
        #expect(payload?.name == "tune")
        #expect(payload?.namespace == "http://jabber.org/protocol/tune")
        #expect(payload?.child(named: "title")?.text == "Brief Prelude")
        #expect(request.node == "http://jabber.org/protocol/tune")
    }

    @Test func parsesTheContractCapabilitiesPublish() throws {
        let request = try PubSubRequest(try PubSubFixtures.stanza(PubSubFixtures.capabilitiesPublish))
        guard case .publish(let node, let itemID, let payload, nil) = request else {
            Issue.record("expected publish without options, got \(request)")
            return
        }
        #expect(node == "urn:intercloud:capabilities:0")
        #expect(itemID == "current")
        #expect(payload?.name == "capabilities")
        #expect(payload?.namespace == "urn:intercloud:capabilities:0")
        #expect(payload?.text.hasPrefix("@prefix ic: <https://w3id.org/intercloud/ns#> .") == true)
        #expect(payload?.text.contains("<xmpp:alpha@intercloud.test> a ic:Cloud .") == true)
    }

    @Test func publishWithoutItemIDLeavesItToTheService() throws {
        let request = try PubSubRequest(
            try PubSubFixtures.iq(
                "set",
                "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'><item><p xmlns='urn:p'/></item>"
                    + "</publish></pubsub>"))
        #expect(
            request
                == .publish(node: "n", itemID: nil, payload: XMLElement(name: "p", namespace: "urn:p"), options: nil))
    }

    @Test func parsesPublishOptions() throws {
        let fields = """
            <field var='pubsub#access_model'><value>open</value></field>
            <field var='pubsub#max_items'><value>max</value></field>
            <field var='pubsub#persist_items'><value>true</value></field>
            """
        let request = try PubSubRequest(
            try PubSubFixtures.iq("set", PubSubFixtures.moodPublish(options: PubSubFixtures.publishOptions(fields))))
        guard case .publish(_, _, _, let options?) = request else {
            Issue.record("expected publish with options, got \(request)")
            return
        }
        #expect(options.accessModel == "open")
        #expect(options.parsedAccessModel == .open)
        #expect(options.maxItems == Int.max)
        #expect(options.other == ["pubsub#persist_items": ["true"]])
    }

    @Test func publishOptionsMaxItemsNumberAndRoundTrip() throws {
        let fields =
            "<field var='pubsub#access_model'><value>presence</value></field>"
            + "<field var='pubsub#max_items'><value> 10 </value></field>"
        let request = try PubSubRequest(
            try PubSubFixtures.iq("set", PubSubFixtures.moodPublish(options: PubSubFixtures.publishOptions(fields))))
        let expected = PublishOptions(accessModel: "presence", maxItems: 10)
        guard case .publish(_, _, _, let options?) = request else {
            Issue.record("expected publish with options, got \(request)")
            return
        }
        #expect(options == expected)
        #expect(try PublishOptions(form: expected.makeForm()) == expected)
        let unbounded = PublishOptions(maxItems: .max, other: ["pubsub#title": ["Mood"]])
        #expect(try PublishOptions(form: unbounded.makeForm()) == unbounded)
    }

    @Test(arguments: [
        ("<field var='pubsub#max_items'><value>0</value></field>", Namespace.pubsubPublishOptions),
        ("<field var='pubsub#max_items'><value>many</value></field>", Namespace.pubsubPublishOptions),
        ("<field var='pubsub#access_model'><value>open</value></field>", "urn:example:other-form"),
    ])
    func rejectsInvalidPublishOptions(fields: String, formType: String) throws {
        let options = PubSubFixtures.publishOptions(fields, formType: formType)
        let error = try PubSubFixtures.error("set", PubSubFixtures.moodPublish(options: options))
        #expect(error?.stanzaError.condition == .badRequest)
        #expect(error?.applicationCondition == nil)
    }

    @Test func parsesRetract() throws {
        let retract = """
            <pubsub xmlns='http://jabber.org/protocol/pubsub'><retract node='urn:n' notify='true'>
            <item id='ae890ac52d0df67ed7cfdf51b644e901'/></retract></pubsub>
            """
        #expect(
            try PubSubRequest(try PubSubFixtures.iq("set", retract))
                == .retract(node: "urn:n", itemID: "ae890ac52d0df67ed7cfdf51b644e901", notify: true))
        let quiet =
            "<pubsub xmlns='http://jabber.org/protocol/pubsub'><retract node='urn:n'><item id='a'/></retract></pubsub>"
        #expect(
            try PubSubRequest(try PubSubFixtures.iq("set", quiet))
                == .retract(node: "urn:n", itemID: "a", notify: false))
    }

    @Test func parsesItemsWithMaxItemsAndIDs() throws {
        let newest = "<pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:n' max_items='2'/></pubsub>"
        #expect(
            try PubSubRequest(try PubSubFixtures.iq("get", newest)) == .items(node: "urn:n", itemIDs: [], maxItems: 2))
        let byID = """
            <pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:n'>
            <item id='a'/><item id='b'/></items></pubsub>
            """
        #expect(
            try PubSubRequest(try PubSubFixtures.iq("get", byID))
                == .items(node: "urn:n", itemIDs: ["a", "b"], maxItems: nil))
        let zero = "<pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:n' max_items='0'/></pubsub>"
        #expect(try PubSubFixtures.error("get", zero)?.stanzaError.condition == .badRequest)
    }

    @Test func parsesOwnerDeleteAndRefusesOtherOwnerActions() throws {
        let delete = "<pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><delete node='urn:n'/></pubsub>"
        #expect(try PubSubRequest(try PubSubFixtures.iq("set", delete)) == .delete(node: "urn:n"))
        let configure = "<pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><configure node='urn:n'/></pubsub>"
        #expect(try PubSubRequest(try PubSubFixtures.iq("get", configure)) == .unsupported(feature: "config-node"))
        let anonymous = "<pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><delete/></pubsub>"
        #expect(try PubSubFixtures.error("set", anonymous) == .nodeIDRequired)
    }

    @Test(arguments: [("subscribe", "subscribe"), ("unsubscribe", "subscribe"), ("create", "create-nodes")])
    func subscriptionsAreLeftToTheServer(action: String, feature: String) throws {
        let pubsub =
            "<pubsub xmlns='http://jabber.org/protocol/pubsub'><\(action) node='urn:n' jid='juliet@capulet.lit'/></pubsub>"
        #expect(try PubSubRequest(try PubSubFixtures.iq("set", pubsub)) == .unsupported(feature: feature))
    }
}
