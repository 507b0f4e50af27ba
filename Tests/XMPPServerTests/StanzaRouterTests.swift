import NIOCore
import NIOEmbedded
import Testing
import XMPPCore

@testable import XMPPServer

/// The router and the server's iq features, with sessions on `EmbeddedChannel`s instead of sockets.
@Suite struct StanzaRouterTests {
    let sessions = SessionManager()
    let router: StanzaRouter

    init() {
        self.router = StanzaRouter(
            domain: "d.example", sessions: self.sessions, features: StanzaRouter.coreFeatures, softwareVersion: "9.9")
    }

    func connect(_ jid: String, priority: Int? = 0) throws -> (Session, EmbeddedChannel) {
        try TestSupport.connect(jid, to: self.sessions, priority: priority)
    }

    func outbound(_ channel: EmbeddedChannel) throws -> [XMLElement] {
        try TestSupport.outbound(channel)
    }

    func send(_ xml: String, from session: Session) throws {
        self.router.route(try TestSupport.stanza(xml, from: session.jid), from: session)
    }

    @Test func messagesReachFullAndBareJIDs() throws {
        let (alice, _) = try self.connect("alice@d.example/a")
        let (_, bobChannel) = try self.connect("bob@d.example/b")
        try self.send("<message to='bob@d.example/b' type='chat'><body>1</body></message>", from: alice)
        try self.send("<message to='bob@d.example' type='chat'><body>2</body></message>", from: alice)
        let received = try self.outbound(bobChannel)
        #expect(received.map { $0.child(named: "body", namespace: Namespace.client)?.text } == ["1", "2"])
        #expect(received.allSatisfy { $0[attribute: "from"] == "alice@d.example/a" })
    }

    @Test func unhandledIQGetsServiceUnavailableAndResultsAreNotAnswered() throws {
        let (alice, channel) = try self.connect("alice@d.example/a")
        try self.send("<iq type='get' id='q1' to='d.example'><query xmlns='urn:unknown'/></iq>", from: alice)
        try self.send("<iq type='get' id='q2' to='bob@d.example'><query xmlns='urn:unknown'/></iq>", from: alice)
        try self.send("<iq type='result' id='q3' to='d.example'/>", from: alice)
        let replies = try self.outbound(channel)
        #expect(replies.map { $0[attribute: "id"] } == ["q1", "q2"])
        for reply in replies {
            #expect(reply[attribute: "type"] == "error")
            #expect(
                StanzaError(reply.child(named: "error", namespace: Namespace.client)!)?.condition == .serviceUnavailable
            )
        }
    }

    @Test func discoInfoPingAndVersion() throws {
        let (alice, channel) = try self.connect("alice@d.example/a")
        try self.send(
            "<iq type='get' id='d1' to='d.example'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>",
            from: alice)
        try self.send("<iq type='get' id='p1' to='d.example'><ping xmlns='urn:xmpp:ping'/></iq>", from: alice)
        try self.send("<iq type='get' id='v1' to='d.example'><query xmlns='jabber:iq:version'/></iq>", from: alice)
        try self.send(
            "<iq type='get' id='d2' to='d.example'><query xmlns='http://jabber.org/protocol/disco#info' node='x'/></iq>",
            from: alice)
        let replies = try self.outbound(channel)
        #expect(replies.map { $0[attribute: "type"] } == ["result", "result", "result", "error"])
        let info = replies[0].child(named: "query", namespace: Namespace.discoInfo)!
        let features = info.children(named: "feature", namespace: Namespace.discoInfo).compactMap {
            $0[attribute: "var"]
        }
        #expect(
            Set(features).isSuperset(of: [Namespace.discoInfo, Namespace.discoItems, Namespace.ping, Namespace.version])
        )
        #expect(info.child(named: "identity", namespace: Namespace.discoInfo)?[attribute: "category"] == "server")
        #expect(replies[1][attribute: "to"] == "alice@d.example/a")
        #expect(
            replies[2].child(named: "query", namespace: Namespace.version)?.child(
                named: "version", namespace: Namespace.version)?.text == "9.9")
        #expect(StanzaError(replies[3].child(named: "error", namespace: Namespace.client)!)?.condition == .itemNotFound)
    }

    @Test func replacedSessionIsNotUnregisteredByItsPredecessor() throws {
        let (old, _) = try self.connect("alice@d.example/same")
        let (new, _) = try self.connect("alice@d.example/same")
        #expect(self.sessions.count == 1)
        self.sessions.unregister(old)
        #expect(self.sessions.session(new.jid) === new)
        self.sessions.unregister(new)
        #expect(self.sessions.count == 0)
    }

    @Test func presenceSetsPriorityForBareJIDRouting() throws {
        let (alice, _) = try self.connect("alice@d.example/a")
        let (bobLow, lowChannel) = try self.connect("bob@d.example/low", priority: nil)
        let (bobHigh, highChannel) = try self.connect("bob@d.example/high", priority: nil)
        try self.send("<presence><priority>1</priority></presence>", from: bobLow)
        try self.send("<presence><priority>7</priority></presence>", from: bobHigh)
        #expect(bobHigh.priority == 7)
        _ = try self.outbound(lowChannel)
        _ = try self.outbound(highChannel)
        try self.send("<message to='bob@d.example' type='chat'><body>x</body></message>", from: alice)
        #expect(try self.outbound(highChannel).count == 1)
        #expect(try self.outbound(lowChannel).isEmpty)
        try self.send("<presence type='unavailable'/>", from: bobHigh)
        #expect(bobHigh.priority == nil)
    }
}
