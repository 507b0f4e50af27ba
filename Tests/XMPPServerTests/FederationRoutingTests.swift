import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOEmbedded
import Testing
import XMPPCore

@testable import XMPPServer

/// Routing and presence across domains without sockets: a recorder stands in for the s2s pool (RFC 6120 §10.4,
/// RFC 6121 §3–§4 with a remote contact).
@Suite struct FederationRoutingTests {
    final class Recorder: FederationRouting {
        let sent = NIOLockedValueBox<[XMLElement]>([])
        func send(_ element: XMLElement) { self.sent.withLockedValue { $0.append(element) } }
        func take() -> [XMLElement] {
            self.sent.withLockedValue { sent in
                defer { sent = [] }
                return sent
            }
        }
    }

    let sessions = SessionManager()
    let store = InMemoryXMPPStore()
    let federation = Recorder()
    let engine: PresenceEngine
    let router: StanzaRouter

    init() {
        self.engine = PresenceEngine(
            domain: "d.example", sessions: self.sessions, store: self.store,
            accounts: PresenceEngineTests.Accounts(names: ["alice@d.example"]), logger: Logger(label: "test"),
            now: { Date(timeIntervalSince1970: 1_700_000_000) }, idGenerator: { "id" }, federation: self.federation)
        self.router = StanzaRouter(
            domain: "d.example", sessions: self.sessions, features: StanzaRouter.coreFeatures, softwareVersion: "1",
            presence: self.engine, federation: self.federation)
    }

    /// A stanza from a remote server, as the s2s handler hands it over.
    func remote(_ xml: String) throws -> Stanza {
        try Stanza(try #require(try TestSupport.elements(xml).first))
    }

    func remoteSession(_ jid: String) throws -> Session {
        Session(remote: try JID(parsing: jid), id: self.sessions.makeID(), federation: self.federation)
    }

    @Test func policySendsEveryKindToOtherDomainsWithFederation() throws {
        let policy = RoutingPolicy(domain: "d.example", federation: true)
        let from = try JID(parsing: "alice@d.example/a")
        for xml in [
            "<message to='bob@r.example'/>", "<presence to='bob@r.example'/>",
            "<iq type='error' id='1' to='bob@r.example/x'/>",
        ] {
            let stanza = try TestSupport.stanza(xml, from: from)
            #expect(policy.decide(stanza, resources: []) == .remote("r.example"))
        }
        let alone = RoutingPolicy(domain: "d.example")
        let message = try TestSupport.stanza("<message to='bob@r.example'/>", from: from)
        guard case .bounce(let error) = alone.decide(message, resources: []) else { return #expect(Bool(false)) }
        #expect(error.condition == .remoteServerNotFound)
    }

    @Test func localStanzasGoOutAndRemoteOnesComeIn() throws {
        let (alice, channel) = try TestSupport.connect("alice@d.example/a", to: self.sessions)
        self.router.route(
            try TestSupport.stanza(
                "<message to='bob@r.example' type='chat'><body>out</body></message>", from: alice.jid),
            from: alice)
        let out = self.federation.take()
        #expect(out.map { $0[attribute: "from"] } == ["alice@d.example/a"])
        #expect(out.first?.child(named: "body", namespace: Namespace.client)?.text == "out")

        self.router.routeFromRemote(
            try self.remote(
                "<message from='bob@r.example/x' to='alice@d.example' type='chat'><body>in</body></message>"))
        let delivered = try TestSupport.outbound(channel)
        #expect(delivered.map { $0.child(named: "body", namespace: Namespace.client)?.text } == ["in"])
    }

    @Test func remoteQueriesAreAnsweredBackOverFederation() throws {
        self.router.routeFromRemote(
            try self.remote(
                "<iq from='bob@r.example/x' to='d.example' type='get' id='q1'><query xmlns='\(Namespace.discoInfo)'/></iq>"
            ))
        self.router.routeFromRemote(
            try self.remote("<iq from='bob@r.example/x' to='d.example' type='get' id='q2'><x xmlns='urn:none'/></iq>"))
        let answers = self.federation.take()
        #expect(answers.map { $0[attribute: "id"] } == ["q1", "q2"])
        #expect(answers.map { $0[attribute: "to"] } == ["bob@r.example/x", "bob@r.example/x"])
        #expect(answers.map { $0[attribute: "type"] } == ["result", "error"])
    }

    @Test func componentsAnswerQueriesFromOtherDomainsFromTheirOwnAddress() throws {
        let component = ComponentRoutingTests.Recorder()
        let router = StanzaRouter(
            domain: "d.example", sessions: self.sessions, features: [], softwareVersion: "1", components: [component],
            federation: self.federation)
        router.routeFromRemote(
            try self.remote(
                "<iq from='cloud@r.example/gw' to='directory.d.example' type='get' id='m1'><match xmlns='urn:x'/></iq>")
        )
        #expect(component.received.withLockedValue { $0 } == ["m1"])
        let answer = try #require(self.federation.take().first)
        #expect(answer[attribute: "from"] == "directory.d.example")
        #expect(answer[attribute: "to"] == "cloud@r.example/gw")
        #expect(answer[attribute: "type"] == "result")
    }

    @Test func subscribingToARemoteContactAndApprovingTheirRequest() async throws {
        let (alice, channel) = try TestSupport.connect("alice@d.example/a", to: self.sessions, priority: nil)
        await self.engine.handle(.presence(try TestSupport.stanza("<presence/>", from: alice.jid), alice))
        _ = try TestSupport.outbound(channel)
        // Outbound subscribe: alice's item asks, the stanza leaves from her bare JID (RFC 6121 §3.1.2).
        await self.engine.handle(
            .presence(try TestSupport.stanza("<presence to='bob@r.example' type='subscribe'/>", from: alice.jid), alice)
        )
        let request = try #require(self.federation.take().first)
        #expect(request[attribute: "type"] == "subscribe" && request[attribute: "from"] == "alice@d.example")
        #expect(
            try await self.store.rosterItem(owner: "alice@d.example", contact: "bob@r.example")?.subscription
                == "noneOut")
        // Bob approves from his server: alice's item becomes To and she is told.
        let bob = try self.remoteSession("bob@r.example")
        await self.engine.handle(
            .presence(try self.remote("<presence from='bob@r.example' to='alice@d.example' type='subscribed'/>"), bob))
        #expect(
            try await self.store.rosterItem(owner: "alice@d.example", contact: "bob@r.example")?.subscription == "to")
        #expect(try TestSupport.outbound(channel).contains { $0[attribute: "type"] == "subscribed" })
        // Bob asks in turn; alice approves: subscribed and her presence go to bob's server (RFC 6121 §3.1.5).
        await self.engine.handle(
            .presence(try self.remote("<presence from='bob@r.example' to='alice@d.example' type='subscribe'/>"), bob))
        #expect(try TestSupport.outbound(channel).contains { $0[attribute: "type"] == "subscribe" })
        await self.engine.handle(
            .presence(
                try TestSupport.stanza("<presence to='bob@r.example' type='subscribed'/>", from: alice.jid), alice))
        let sent = self.federation.take()
        #expect(sent.map { $0[attribute: "type"] ?? "available" } == ["subscribed", "available"])
        #expect(sent.last?[attribute: "from"] == "alice@d.example/a")
        #expect(
            try await self.store.rosterItem(owner: "alice@d.example", contact: "bob@r.example")?.subscription == "both")
        // A new broadcast reaches the remote subscriber; a probe from it is answered; initial presence probes it.
        await self.engine.handle(
            .presence(try TestSupport.stanza("<presence><show>away</show></presence>", from: alice.jid), alice))
        #expect(self.federation.take().map { $0[attribute: "to"] } == ["bob@r.example"])
        await self.engine.handle(
            .presence(try self.remote("<presence from='bob@r.example' to='alice@d.example' type='probe'/>"), bob))
        let probeAnswer = self.federation.take()
        #expect(probeAnswer.map { $0[attribute: "from"] } == ["alice@d.example/a"])
        #expect(probeAnswer.first?.child(named: "show", namespace: Namespace.client)?.text == "away")
        let (second, _) = try TestSupport.connect("alice@d.example/b", to: self.sessions, priority: nil)
        await self.engine.handle(.presence(try TestSupport.stanza("<presence/>", from: second.jid), second))
        let initial = self.federation.take()
        #expect(initial.contains { $0[attribute: "type"] == "probe" && $0[attribute: "from"] == "alice@d.example" })
    }

    @Test func probesWithoutSubscriptionRevealNothingAndUnknownAccountsAreUnsubscribed() async throws {
        let mallory = try self.remoteSession("mallory@r.example")
        await self.engine.handle(
            .presence(
                try self.remote("<presence from='mallory@r.example' to='alice@d.example' type='probe'/>"), mallory))
        #expect(self.federation.take().isEmpty)
        await self.engine.handle(
            .presence(
                try self.remote("<presence from='mallory@r.example' to='nobody@d.example' type='subscribe'/>"), mallory)
        )
        let answer = self.federation.take()
        #expect(answer.map { $0[attribute: "type"] } == ["unsubscribed"])
        #expect(answer.first?[attribute: "from"] == "nobody@d.example")
        #expect(try await self.store.rosterItem(owner: "mallory@r.example", contact: "nobody@d.example") == nil)
    }
}
