import Foundation
import Logging
import NIOEmbedded
import Testing
import XMPPCore

@testable import XMPPServer

/// The presence engine without sockets: sessions on `EmbeddedChannel`s, the in-memory store, and a fixed account
/// list. Events are handled directly, in order, as the service's loop would.
@Suite struct PresenceEngineTests {
    struct Accounts: AccountDirectory {
        var names: Set<String>
        func accountExists(_ bareJID: JID) async -> Bool { self.names.contains(bareJID.description) }
    }

    let sessions = SessionManager()
    let store = InMemoryXMPPStore()
    let engine: PresenceEngine

    init() {
        self.engine = PresenceEngine(
            domain: "d.example", sessions: self.sessions, store: self.store,
            accounts: Accounts(names: ["alice@d.example", "bob@d.example", "carol@d.example"]), offlineLimit: 2,
            logger: Logger(label: "test"), now: { Date(timeIntervalSince1970: 1_700_000_000) },
            idGenerator: { "id" })
    }

    func connect(_ jid: String) throws -> (Session, EmbeddedChannel) {
        try TestSupport.connect(jid, to: self.sessions, priority: nil)
    }

    func presence(_ xml: String, from session: Session) async throws {
        await self.engine.handle(.presence(try TestSupport.stanza(xml, from: session.jid), session))
    }

    /// A disco#info answer whose XEP-0115 hash is computed, so it verifies.
    static func discoInfo(features: [String]) -> XMLElement {
        var query = XMLElement(name: "query", namespace: Namespace.discoInfo)
        query.append(
            XMLElement(
                name: "identity", namespace: Namespace.discoInfo,
                attributes: ["category": "client", "type": "bot", "name": "gw"]))
        for feature in features {
            query.append(XMLElement(name: "feature", namespace: Namespace.discoInfo, attributes: ["var": feature]))
        }
        return query
    }

    @Test func capabilitiesAreAskedOncePerHashAndShared() async throws {
        let info = Self.discoInfo(features: [Namespace.discoInfo, "urn:intercloud:capabilities:0+notify"])
        let ver = try EntityCapabilities.verificationString(for: info)
        let caps = "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='urn:gw' ver='\(ver)'/>"
        let (alice, aliceChannel) = try self.connect("alice@d.example/a")
        let (bob, bobChannel) = try self.connect("bob@d.example/b")
        try await self.presence("<presence>\(caps)</presence>", from: alice)
        try await self.presence("<presence>\(caps)</presence>", from: bob)
        let aliceQueries = try TestSupport.outbound(aliceChannel).filter { $0.name == "iq" }
        let bobQueries = try TestSupport.outbound(bobChannel).filter { $0.name == "iq" }
        #expect(aliceQueries.count == 1)
        #expect(bobQueries.isEmpty)  // XEP-0115 §6.3: one query per hash
        let query = try #require(aliceQueries.first)
        #expect(query.child(named: "query", namespace: Namespace.discoInfo)?[attribute: "node"] == "urn:gw#\(ver)")
        var answer = XMLElement(
            name: "iq", namespace: Namespace.client,
            attributes: ["type": "result", "id": query[attribute: "id"]!, "to": "d.example"])
        answer.append(info)
        await self.engine.handle(.iqResponse(try TestSupport.stanza(answer.serialized(), from: alice.jid), alice))
        for session in [alice, bob] {
            #expect(session.withPresenceState { $0.notifyNodes } == ["urn:intercloud:capabilities:0"])
        }
        // A third session with the same hash is served from the cache, with no query.
        let (carol, carolChannel) = try self.connect("carol@d.example/c")
        try await self.presence("<presence>\(caps)</presence>", from: carol)
        #expect(try TestSupport.outbound(carolChannel).filter { $0.name == "iq" }.isEmpty)
        #expect(carol.withPresenceState { $0.notifyNodes } == ["urn:intercloud:capabilities:0"])
    }

    @Test func aHashThatDoesNotVerifyIsNotCached() async throws {
        let info = Self.discoInfo(features: ["urn:x+notify"])
        let caps = "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='urn:gw' ver='bogus='/>"
        let (alice, aliceChannel) = try self.connect("alice@d.example/a")
        try await self.presence("<presence>\(caps)</presence>", from: alice)
        let query = try #require(try TestSupport.outbound(aliceChannel).first { $0.name == "iq" })
        var answer = XMLElement(
            name: "iq", namespace: Namespace.client,
            attributes: ["type": "result", "id": query[attribute: "id"]!, "to": "d.example"])
        answer.append(info)
        await self.engine.handle(.iqResponse(try TestSupport.stanza(answer.serialized(), from: alice.jid), alice))
        #expect(alice.withPresenceState { $0.notifyNodes } == ["urn:x"])  // used for the session that answered
        let (bob, bobChannel) = try self.connect("bob@d.example/b")
        try await self.presence("<presence>\(caps)</presence>", from: bob)
        #expect(try TestSupport.outbound(bobChannel).filter { $0.name == "iq" }.count == 1)  // asked again
    }

    @Test func offlineStorageIsBoundedPerRecipient() async throws {
        let (alice, aliceChannel) = try self.connect("alice@d.example/a")
        for i in 0..<3 {
            let message = try TestSupport.stanza(
                "<message to='carol@d.example' type='chat' id='m\(i)'><body>\(i)</body></message>", from: alice.jid)
            await self.engine.handle(.offline(message, alice))
        }
        #expect(try await self.store.offlineMessageCount(owner: "carol@d.example") == 2)
        let errors = try TestSupport.outbound(aliceChannel).filter { $0[attribute: "type"] == "error" }
        #expect(errors.map { $0[attribute: "id"] } == ["m2"])
        let condition = errors.first?.child(named: "error", namespace: Namespace.client).flatMap(StanzaError.init)
        #expect(condition?.condition == .resourceConstraint)
        // Unknown accounts are bounced, not stored.
        let stray = try TestSupport.stanza(
            "<message to='nobody@d.example' id='x'><body>?</body></message>", from: alice.jid)
        await self.engine.handle(.offline(stray, alice))
        #expect(try TestSupport.outbound(aliceChannel).first?[attribute: "type"] == "error")
        #expect(try await self.store.offlineMessageCount(owner: "nobody@d.example") == 0)
    }

    @Test func rosterSetPushesAndVersionedGetIsEmptyWhenCurrent() async throws {
        let (alice, channel) = try self.connect("alice@d.example/a")
        let get = "<iq type='get' id='g1'><query xmlns='jabber:iq:roster'/></iq>"
        await self.engine.handle(.roster(try TestSupport.stanza(get, from: alice.jid), alice))
        let first = try TestSupport.outbound(channel)
        #expect(first.first?.child(named: "query", namespace: Namespace.roster)?[attribute: "ver"] == "0")
        let set =
            "<iq type='set' id='s1'><query xmlns='jabber:iq:roster'><item jid='bob@d.example' name='Bob'/></query></iq>"
        await self.engine.handle(.roster(try TestSupport.stanza(set, from: alice.jid), alice))
        let afterSet = try TestSupport.outbound(channel)
        #expect(afterSet.count == 2)  // the push to the interested resource, then the result
        let push = afterSet.first { $0[attribute: "type"] == "set" }?.child(named: "query", namespace: Namespace.roster)
        #expect(push?[attribute: "ver"] == "1")
        #expect(push?.child(named: "item", namespace: Namespace.roster)?[attribute: "name"] == "Bob")
        let versioned = "<iq type='get' id='g2'><query xmlns='jabber:iq:roster' ver='1'/></iq>"
        await self.engine.handle(.roster(try TestSupport.stanza(versioned, from: alice.jid), alice))
        let reply = try #require(try TestSupport.outbound(channel).first)
        #expect(reply[attribute: "type"] == "result")
        #expect(reply.elements.isEmpty)  // RFC 6121 §2.6.3: unchanged roster, empty result
    }

    @Test func subscriptionHandshakeUpdatesBothRostersAndDeliversPresence() async throws {
        let (alice, aliceChannel) = try self.connect("alice@d.example/a")
        let (bob, bobChannel) = try self.connect("bob@d.example/b")
        try await self.presence("<presence/>", from: alice)
        try await self.presence("<presence/>", from: bob)
        _ = try TestSupport.outbound(aliceChannel)
        _ = try TestSupport.outbound(bobChannel)
        try await self.presence("<presence to='bob@d.example' type='subscribe'/>", from: alice)
        let request = try TestSupport.outbound(bobChannel).first { $0.name == "presence" }
        #expect(request?[attribute: "type"] == "subscribe")
        #expect(request?[attribute: "from"] == "alice@d.example")
        #expect(
            try await self.store.rosterItem(owner: "bob@d.example", contact: "alice@d.example")?.subscription
                == "noneIn")
        try await self.presence("<presence to='alice@d.example' type='subscribed'/>", from: bob)
        #expect(
            try await self.store.rosterItem(owner: "alice@d.example", contact: "bob@d.example")?.subscription == "to")
        #expect(
            try await self.store.rosterItem(owner: "bob@d.example", contact: "alice@d.example")?.subscription == "from")
        let toAlice = try TestSupport.outbound(aliceChannel).filter { $0.name == "presence" }
        #expect(toAlice.contains { $0[attribute: "type"] == "subscribed" })
        #expect(toAlice.contains { $0[attribute: "type"] == nil && $0[attribute: "from"] == "bob@d.example/b" })
        // Bob's session ends: Alice, subscribed to Bob, gets unavailable presence.
        self.sessions.unregister(bob)
        await self.engine.handle(.sessionEnded(bob))
        let gone = try TestSupport.outbound(aliceChannel).filter { $0.name == "presence" }
        #expect(gone.map { $0[attribute: "type"] } == ["unavailable"])
    }

    @Test func directedPresenceRecipientsGetUnavailableWhenTheSessionEnds() async throws {
        let router = StanzaRouter(
            domain: "d.example", sessions: self.sessions, features: [], softwareVersion: "t", presence: self.engine)
        let (alice, _) = try self.connect("alice@d.example/a")
        let (carol, carolChannel) = try self.connect("carol@d.example/c")
        try await self.presence("<presence/>", from: alice)
        try await self.presence("<presence/>", from: carol)
        _ = try TestSupport.outbound(carolChannel)
        // RFC 6121 §4.6: presence to someone not in the roster, remembered for the unavailable broadcast.
        router.route(try TestSupport.stanza("<presence to='carol@d.example/c'/>", from: alice.jid), from: alice)
        #expect(try TestSupport.outbound(carolChannel).map { $0[attribute: "from"] } == ["alice@d.example/a"])
        self.sessions.unregister(alice)
        await self.engine.handle(.sessionEnded(alice))
        let last = try TestSupport.outbound(carolChannel)
        #expect(last.map { $0[attribute: "type"] } == ["unavailable"])
        #expect(last.first?[attribute: "from"] == "alice@d.example/a")
    }

    @Test func everySessionWaitingOnAHashGetsTheLastItemsAndOnlyTheAskedOneMayAnswer() async throws {
        let info = Self.discoInfo(features: ["urn:x+notify"])
        let ver = try EntityCapabilities.verificationString(for: info)
        let caps = "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='urn:gw' ver='\(ver)'/>"
        let (publisher, _) = try self.connect("alice@d.example/pub")
        let publish = """
            <iq type='set' id='p1'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='urn:x'>\
            <item id='current'><doc xmlns='urn:x'>v1</doc></item></publish></pubsub></iq>
            """
        await self.engine.handle(.pubsub(try TestSupport.stanza(publish, from: publisher.jid), publisher))
        let (first, firstChannel) = try self.connect("alice@d.example/b")
        let (second, secondChannel) = try self.connect("alice@d.example/c")
        try await self.presence("<presence>\(caps)</presence>", from: first)
        try await self.presence("<presence>\(caps)</presence>", from: second)
        let query = try #require(try TestSupport.outbound(firstChannel).first { $0.name == "iq" })
        _ = try TestSupport.outbound(secondChannel)
        var answer = XMLElement(
            name: "iq", namespace: Namespace.client,
            attributes: ["type": "result", "id": query[attribute: "id"]!, "to": "d.example"])
        answer.append(info)
        // The session that was not asked cannot answer for the one that was.
        await self.engine.handle(.iqResponse(try TestSupport.stanza(answer.serialized(), from: second.jid), second))
        #expect(first.withPresenceState { $0.notifyNodes } == nil)
        await self.engine.handle(.iqResponse(try TestSupport.stanza(answer.serialized(), from: first.jid), first))
        for channel in [firstChannel, secondChannel] {
            let events = try TestSupport.outbound(channel).filter { $0.name == "message" }
            #expect(events.count == 1)
            let item = events.first?.child(named: "event", namespace: Namespace.pubsubEvent)?
                .child(named: "items", namespace: Namespace.pubsubEvent)?.child(
                    named: "item", namespace: Namespace.pubsubEvent)
            #expect(item?[attribute: "id"] == "current")
        }
    }
}
