import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing
import XMPPCore

@testable import XMPPServer

/// Stanzas to a component's subdomain reach that component, and the server lists it in disco#items.
@Suite struct ComponentRoutingTests {
    final class Recorder: ServerComponent {
        let domain = "directory.d.example"
        let name = "Directory"
        let received = NIOLockedValueBox<[String]>([])
        func handle(_ stanza: Stanza, from sender: Session) {
            self.received.withLockedValue { $0.append(stanza.id ?? "") }
            if stanza.isIQRequest { sender.deliver(stanza.makeResult()) }
        }
    }

    @Test func componentGetsItsStanzasAndIsListed() throws {
        let sessions = SessionManager()
        let recorder = Recorder()
        let router = StanzaRouter(
            domain: "d.example", sessions: sessions, features: StanzaRouter.coreFeatures, softwareVersion: "1",
            components: [recorder])
        let (alice, channel) = try TestSupport.connect("alice@d.example/a", to: sessions, priority: 0)
        for xml in [
            "<iq type='get' id='c1' to='directory.d.example'><match xmlns='urn:intercloud:match:0'/></iq>",
            "<message id='c2' to='bot@directory.d.example/x'><body>hi</body></message>",
            "<iq type='get' id='s1' to='d.example'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>",
            "<iq type='get' id='r1' to='elsewhere.example'><ping xmlns='urn:xmpp:ping'/></iq>",
        ] {
            router.route(try TestSupport.stanza(xml, from: alice.jid), from: alice)
        }
        #expect(recorder.received.withLockedValue { $0 } == ["c1", "c2"])
        let replies = try TestSupport.outbound(channel)
        #expect(replies.map { $0[attribute: "id"] } == ["c1", "s1", "r1"])
        let items = replies[1].elements.first?.children(named: "item", namespace: Namespace.discoItems) ?? []
        #expect(items.map { $0[attribute: "jid"] } == ["directory.d.example"])
        #expect(replies[2][attribute: "type"] == "error")
    }

    @Test func policyRoutesComponentDomains() throws {
        let policy = RoutingPolicy(domain: "d.example", components: ["directory.d.example"])
        var element = XMLElement(name: "iq", namespace: Namespace.client, attributes: ["type": "get", "id": "1"])
        element.append(XMLElement(name: "match", namespace: "urn:intercloud:match:0"))
        element[attribute: "to"] = "directory.d.example"
        var stanza = try Stanza(element)
        stanza.stamp(from: try JID(parsing: "alice@d.example/a"))
        #expect(policy.decide(stanza, resources: []) == .handleByComponent("directory.d.example"))
    }
}
