import Foundation
import Testing
import XMPPServer
import XMPPStorage

/// One contract, every backend (STYLE §11): PEP nodes on the account's bare JID (XEP-0163, XEP-0060 §7).
@Suite struct PubSubStoreContractTests {
    /// The node most tests publish to (XEP-0107 User Mood).
    static let mood = "http://jabber.org/protocol/mood"

    @Test(arguments: Backend.allCases)
    func publishingAutoCreatesTheNode(backend: Backend) async throws {
        let store = try backend.makeStore()
        #expect(try await store.nodes(owner: Fixtures.alice).isEmpty)
        #expect(try await store.nodeConfiguration(owner: Fixtures.alice, node: Self.mood) == nil)
        try await store.publish(owner: Fixtures.alice, node: Self.mood, item: Fixtures.item("a"), configuration: nil)
        #expect(try await store.nodeConfiguration(owner: Fixtures.alice, node: Self.mood) == .pepDefault)
        #expect(StoredNodeConfiguration.pepDefault == StoredNodeConfiguration(accessModel: "presence", maxItems: 1))

        let open = StoredNodeConfiguration(accessModel: "open", maxItems: 5)
        try await store.publish(
            owner: Fixtures.alice, node: "urn:xmpp:avatar:data", item: Fixtures.item("b"), configuration: open)
        #expect(try await store.nodeConfiguration(owner: Fixtures.alice, node: "urn:xmpp:avatar:data") == open)
        #expect(try await store.nodes(owner: Fixtures.alice) == [Self.mood, "urn:xmpp:avatar:data"])
        #expect(try await store.item(owner: Fixtures.alice, node: Self.mood, id: "a") == Fixtures.item("a"))

        // an existing node keeps its configuration; publish-options are the caller's preconditions
        try await store.publish(owner: Fixtures.alice, node: Self.mood, item: Fixtures.item("c"), configuration: open)
        #expect(try await store.nodeConfiguration(owner: Fixtures.alice, node: Self.mood) == .pepDefault)
    }

    @Test(arguments: Backend.allCases)
    func republishingAnIDReplacesTheItemAndMakesItNewest(backend: Backend) async throws {
        let store = try backend.makeStore()
        let config = StoredNodeConfiguration(accessModel: "presence", maxItems: 10)
        for (offset, id) in ["a", "b", "c"].enumerated() {
            try await store.publish(
                owner: Fixtures.alice, node: Self.mood, item: Fixtures.item(id, at: Double(offset)),
                configuration: config)
        }
        let replacement = Fixtures.item(
            "a", payload: "<mood xmlns='http://jabber.org/protocol/mood'><sad/></mood>", at: 9)
        try await store.publish(owner: Fixtures.alice, node: Self.mood, item: replacement, configuration: nil)
        let items = try await store.items(owner: Fixtures.alice, node: Self.mood, maxItems: nil)
        #expect(items.map(\.id) == ["a", "c", "b"])
        #expect(items.first == replacement)
        #expect(try await store.item(owner: Fixtures.alice, node: Self.mood, id: "a") == replacement)
    }

    @Test(arguments: Backend.allCases)
    func nodesRetainOnlyTheirNewestMaxItems(backend: Backend) async throws {
        let store = try backend.makeStore()
        try await store.publish(owner: Fixtures.alice, node: Self.mood, item: Fixtures.item("a"), configuration: nil)
        try await store.publish(owner: Fixtures.alice, node: Self.mood, item: Fixtures.item("b"), configuration: nil)
        #expect(try await store.items(owner: Fixtures.alice, node: Self.mood, maxItems: nil).map(\.id) == ["b"])
        #expect(try await store.item(owner: Fixtures.alice, node: Self.mood, id: "a") == nil)

        let node = "urn:xmpp:microblog:0"
        let three = StoredNodeConfiguration(accessModel: "open", maxItems: 3)
        for id in ["a", "b", "c", "d", "e"] {
            try await store.publish(owner: Fixtures.alice, node: node, item: Fixtures.item(id), configuration: three)
        }
        #expect(try await store.items(owner: Fixtures.alice, node: node, maxItems: nil).map(\.id) == ["e", "d", "c"])

        // reconfiguring trims at once; an unbounded node keeps everything
        try await store.configureNode(owner: Fixtures.alice, node: node, StoredNodeConfiguration(maxItems: 2))
        #expect(try await store.items(owner: Fixtures.alice, node: node, maxItems: nil).map(\.id) == ["e", "d"])
        #expect(try await store.nodeConfiguration(owner: Fixtures.alice, node: node)?.accessModel == "presence")
        try await store.configureNode(owner: Fixtures.alice, node: node, StoredNodeConfiguration(maxItems: .max))
        for id in ["f", "g", "h", "i"] {
            try await store.publish(owner: Fixtures.alice, node: node, item: Fixtures.item(id), configuration: nil)
        }
        #expect(try await store.items(owner: Fixtures.alice, node: node, maxItems: nil).count == 6)

        // configuring an absent node creates it
        let whitelist = StoredNodeConfiguration(accessModel: "whitelist", maxItems: 0)
        try await store.configureNode(owner: Fixtures.alice, node: "private", whitelist)
        #expect(try await store.nodeConfiguration(owner: Fixtures.alice, node: "private") == whitelist)
        for id in ["x", "y"] {
            try await store.publish(owner: Fixtures.alice, node: "private", item: Fixtures.item(id), configuration: nil)
        }
        #expect(try await store.items(owner: Fixtures.alice, node: "private", maxItems: nil).map(\.id) == ["y"])
    }

    @Test(arguments: Backend.allCases)
    func itemsAreListedNewestFirstUpToMaxItems(backend: Backend) async throws {
        let store = try backend.makeStore()
        let config = StoredNodeConfiguration(maxItems: 10)
        for id in ["a", "b", "c", "d"] {
            try await store.publish(
                owner: Fixtures.alice, node: Self.mood, item: Fixtures.item(id), configuration: config)
        }
        #expect(
            try await store.items(owner: Fixtures.alice, node: Self.mood, maxItems: nil).map(\.id) == [
                "d", "c", "b", "a",
            ])
        #expect(try await store.items(owner: Fixtures.alice, node: Self.mood, maxItems: 2).map(\.id) == ["d", "c"])
        #expect(try await store.items(owner: Fixtures.alice, node: Self.mood, maxItems: 0).isEmpty)
        #expect(try await store.items(owner: Fixtures.alice, node: Self.mood, maxItems: 99).count == 4)
        #expect(try await store.items(owner: Fixtures.alice, node: "absent", maxItems: nil).isEmpty)
    }

    @Test(arguments: Backend.allCases)
    func retractRemovesOneItem(backend: Backend) async throws {
        let store = try backend.makeStore()
        let config = StoredNodeConfiguration(maxItems: 10)
        for id in ["a", "b", "c"] {
            try await store.publish(
                owner: Fixtures.alice, node: Self.mood, item: Fixtures.item(id), configuration: config)
        }
        #expect(try await store.retract(owner: Fixtures.alice, node: Self.mood, itemID: "c"))
        #expect(try await store.retract(owner: Fixtures.alice, node: Self.mood, itemID: "c") == false)
        #expect(try await store.retract(owner: Fixtures.alice, node: "absent", itemID: "a") == false)
        #expect(try await store.items(owner: Fixtures.alice, node: Self.mood, maxItems: nil).map(\.id) == ["b", "a"])
        // a publish after retracting the newest is still the newest
        try await store.publish(owner: Fixtures.alice, node: Self.mood, item: Fixtures.item("d"), configuration: nil)
        #expect(try await store.items(owner: Fixtures.alice, node: Self.mood, maxItems: 1).map(\.id) == ["d"])
    }

    @Test(arguments: Backend.allCases)
    func nodesAreIsolatedPerOwner(backend: Backend) async throws {
        let store = try backend.makeStore()
        try await store.publish(owner: Fixtures.alice, node: Self.mood, item: Fixtures.item("a"), configuration: nil)
        #expect(try await store.nodes(owner: Fixtures.bob).isEmpty)
        #expect(try await store.item(owner: Fixtures.bob, node: Self.mood, id: "a") == nil)
        let open = StoredNodeConfiguration(accessModel: "open", maxItems: 1)
        try await store.publish(owner: Fixtures.bob, node: Self.mood, item: Fixtures.item("b"), configuration: open)
        #expect(try await store.items(owner: Fixtures.alice, node: Self.mood, maxItems: nil).map(\.id) == ["a"])
        #expect(try await store.items(owner: Fixtures.bob, node: Self.mood, maxItems: nil).map(\.id) == ["b"])
        #expect(try await store.nodeConfiguration(owner: Fixtures.alice, node: Self.mood) == .pepDefault)
        #expect(try await store.retract(owner: Fixtures.bob, node: Self.mood, itemID: "a") == false)
        try await store.deleteNode(owner: Fixtures.bob, node: Self.mood)
        #expect(try await store.nodes(owner: Fixtures.alice) == [Self.mood])
    }

    @Test(arguments: Backend.allCases)
    func deletingANodeDropsItsItems(backend: Backend) async throws {
        let store = try backend.makeStore()
        let config = StoredNodeConfiguration(accessModel: "roster", maxItems: 5)
        try await store.publish(owner: Fixtures.alice, node: Self.mood, item: Fixtures.item("a"), configuration: config)
        try await store.deleteNode(owner: Fixtures.alice, node: Self.mood)
        #expect(try await store.nodes(owner: Fixtures.alice).isEmpty)
        #expect(try await store.nodeConfiguration(owner: Fixtures.alice, node: Self.mood) == nil)
        #expect(try await store.items(owner: Fixtures.alice, node: Self.mood, maxItems: nil).isEmpty)
        let error = await #expect(throws: XMPPStoreError.self) {
            try await store.deleteNode(owner: Fixtures.alice, node: Self.mood)
        }
        #expect(error?.code == .notFound)
        // publishing again starts a fresh node with the new configuration
        try await store.publish(owner: Fixtures.alice, node: Self.mood, item: Fixtures.item("b"), configuration: nil)
        #expect(try await store.nodeConfiguration(owner: Fixtures.alice, node: Self.mood) == .pepDefault)
        #expect(try await store.items(owner: Fixtures.alice, node: Self.mood, maxItems: nil).map(\.id) == ["b"])
    }
}
