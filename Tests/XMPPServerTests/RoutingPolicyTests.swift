import Testing
import XMPPCore

@testable import XMPPServer

/// Routing decisions of RFC 6120 §10 and RFC 6121 §8, without sockets.
@Suite struct RoutingPolicyTests {
    let policy = RoutingPolicy(domain: "d.example")
    static let alice = try! JID(parsing: "alice@d.example/home")
    static let bobPhone = try! JID(parsing: "bob@d.example/phone")
    static let bobDesk = try! JID(parsing: "bob@d.example/desk")

    static func stanza(_ kind: String, to: String?, type: String? = nil, payload: String? = nil) throws -> Stanza {
        var element = XMLElement(name: kind, namespace: Namespace.client, attributes: ["id": "s1"])
        element[attribute: "to"] = to
        element[attribute: "type"] = type
        if let payload { element.append(XMLElement(name: "query", namespace: payload)) }
        var stanza = try Stanza(element)
        stanza.stamp(from: Self.alice)
        return stanza
    }

    @Test func messageToConnectedFullJIDIsDelivered() throws {
        let decision = self.policy.decide(
            try Self.stanza("message", to: "bob@d.example/phone"),
            resources: [ResourceSnapshot(jid: Self.bobPhone, priority: nil)])
        #expect(decision == .deliver([Self.bobPhone]))
    }

    @Test func messageToBareJIDGoesToHighestPriorityAvailableResources() throws {
        let resources = [
            ResourceSnapshot(jid: Self.bobPhone, priority: 5), ResourceSnapshot(jid: Self.bobDesk, priority: 1),
        ]
        #expect(
            self.policy.decide(try Self.stanza("message", to: "bob@d.example", type: "chat"), resources: resources)
                == .deliver([Self.bobPhone]))
        let negative = [ResourceSnapshot(jid: Self.bobPhone, priority: -1)]
        #expect(
            self.policy.decide(try Self.stanza("message", to: "bob@d.example"), resources: negative)
                == .storeOffline)
    }

    @Test func messageToUnavailableFullJIDFallsBackToBare() throws {
        let decision = self.policy.decide(
            try Self.stanza("message", to: "bob@d.example/gone", type: "chat"),
            resources: [ResourceSnapshot(jid: Self.bobDesk, priority: 0)])
        #expect(decision == .deliver([Self.bobDesk]))
    }

    @Test func messageToUnknownOrOfflineUserGoesToOfflineStorage() throws {
        // The engine stores it (XEP-0160) or bounces service-unavailable for an unknown account.
        #expect(self.policy.decide(try Self.stanza("message", to: "nobody@d.example"), resources: []) == .storeOffline)
        #expect(
            self.policy.decide(try Self.stanza("message", to: "nobody@d.example/x", type: "chat"), resources: [])
                == .storeOffline)
    }

    @Test func errorsAndResultsAreNeverAnsweredWithErrors() throws {
        #expect(
            self.policy.decide(try Self.stanza("message", to: "nobody@d.example", type: "error"), resources: [])
                == .drop)
        #expect(
            self.policy.decide(try Self.stanza("iq", to: "bob@d.example/x", type: "result"), resources: []) == .drop)
        #expect(self.policy.decide(try Self.stanza("iq", to: "other.example", type: "error"), resources: []) == .drop)
    }

    @Test func iqRouting() throws {
        #expect(
            self.policy.decide(try Self.stanza("iq", to: "d.example", type: "get", payload: "urn:x"), resources: [])
                == .handleByServer)
        #expect(
            self.policy.decide(try Self.stanza("iq", to: "bob@d.example", type: "get", payload: "urn:x"), resources: [])
                == .handleForAccount(try JID(parsing: "bob@d.example")))
        #expect(
            self.policy.decide(try Self.stanza("iq", to: nil, type: "get", payload: "urn:x"), resources: [])
                == .handleForAccount(try JID(parsing: "alice@d.example")))
        guard
            case .bounce(let error) = self.policy.decide(
                try Self.stanza("iq", to: "bob@d.example/gone", type: "get", payload: "urn:x"), resources: [])
        else {
            Issue.record("expected bounce")
            return
        }
        #expect(error.condition == .serviceUnavailable)
        #expect(
            self.policy.decide(
                try Self.stanza("iq", to: "bob@d.example/phone", type: "set", payload: "urn:x"),
                resources: [ResourceSnapshot(jid: Self.bobPhone, priority: nil)]) == .deliver([Self.bobPhone]))
    }

    @Test func remoteDomainsBounceUntilFederationExists() throws {
        guard
            case .bounce(let error) = self.policy.decide(
                try Self.stanza("message", to: "x@other.example"), resources: [])
        else {
            Issue.record("expected bounce")
            return
        }
        #expect(error.condition == .remoteServerNotFound)
        #expect(self.policy.decide(try Self.stanza("presence", to: "x@other.example"), resources: []) == .drop)
    }

    @Test func presenceRouting() throws {
        let resources = [
            ResourceSnapshot(jid: Self.bobPhone, priority: 0), ResourceSnapshot(jid: Self.bobDesk, priority: nil),
        ]
        #expect(
            self.policy.decide(try Self.stanza("presence", to: "bob@d.example"), resources: resources)
                == .deliver([Self.bobPhone]))
        #expect(
            self.policy.decide(try Self.stanza("presence", to: "bob@d.example/nowhere"), resources: resources) == .drop)
        #expect(self.policy.decide(try Self.stanza("presence", to: "d.example"), resources: []) == .drop)
    }

    @Test func headlineAndGroupchatToUnavailableResources() throws {
        #expect(
            self.policy.decide(try Self.stanza("message", to: "bob@d.example/x", type: "headline"), resources: [])
                == .drop)
        guard
            case .bounce = self.policy.decide(
                try Self.stanza("message", to: "bob@d.example/x", type: "groupchat"), resources: [])
        else {
            Issue.record("expected bounce")
            return
        }
    }
}
