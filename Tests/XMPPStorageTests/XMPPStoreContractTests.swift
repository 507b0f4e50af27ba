import Foundation
import Testing
import XMPPServer
import XMPPStorage

/// An XMPP store backend under test, created fresh for each test.
enum Backend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case inMemory
    case sqlite

    /// The backend's name in test output.
    var testDescription: String { self.rawValue }

    /// A new, empty store of this kind (SQLite in a fresh temporary file).
    func makeStore() throws -> any XMPPStore {
        switch self {
        case .inMemory: InMemoryXMPPStore()
        case .sqlite: try SQLiteXMPPStore(path: Fixtures.temporaryPath())
        }
    }
}

/// Shared values for the store tests; times have fractional seconds to prove they round-trip exactly.
enum Fixtures {
    /// The owner most tests use.
    static let alice = "alice@cloud-a.example"
    /// A second owner, for isolation.
    static let bob = "bob@cloud-b.example"
    /// A fixed instant.
    static let now = Date(timeIntervalSince1970: 1_700_000_000.123_456)

    /// `now` plus `seconds`.
    static func at(_ seconds: Double) -> Date { Self.now.addingTimeInterval(seconds) }

    /// A fresh SQLite file path in the temporary directory.
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("xmpp-\(UUID().uuidString).sqlite").path
    }

    /// A serialized message stanza numbered `index`.
    static func message(_ index: Int, to owner: String = Self.alice) -> String {
        "<message to='\(owner)' type='chat'><body>message \(index)</body></message>"
    }

    /// A PEP item with id `id`, published `seconds` after `now`.
    static func item(_ id: String, payload: String? = nil, at seconds: Double = 0) -> StoredPubSubItem {
        StoredPubSubItem(
            id: id,
            payload: payload ?? "<mood xmlns='http://jabber.org/protocol/mood'><happy/><text>\(id)</text></mood>",
            publisher: "\(Self.alice)/phone", published: Self.at(seconds))
    }
}

/// One contract, every backend (STYLE §11): rosters (RFC 6121 §2, §2.6) and offline messages (XEP-0160).
@Suite struct XMPPStoreContractTests {
    @Test(arguments: Backend.allCases)
    func anUnknownOwnerHasAnEmptyRosterAtVersionZero(backend: Backend) async throws {
        let store = try backend.makeStore()
        let (items, version) = try await store.rosterItems(owner: Fixtures.alice)
        #expect(items.isEmpty && version == 0)
        #expect(try await store.rosterItem(owner: Fixtures.alice, contact: Fixtures.bob) == nil)
    }

    @Test(arguments: Backend.allCases)
    func rosterPutsRoundTripAndBumpTheVersion(backend: Backend) async throws {
        let store = try backend.makeStore()
        let bob = StoredRosterItem(
            contact: Fixtures.bob, name: "Bob", subscription: "both", groups: ["Friends", "Work"], approved: false)
        let carol = StoredRosterItem(contact: "carol@cloud-c.example", subscription: "noneOut", approved: true)
        #expect(try await store.putRosterItem(owner: Fixtures.alice, carol) == 1)
        #expect(try await store.putRosterItem(owner: Fixtures.alice, bob) == 2)
        #expect(try await store.rosterItem(owner: Fixtures.alice, contact: Fixtures.bob) == bob)
        var (items, version) = try await store.rosterItems(owner: Fixtures.alice)
        #expect(items == [bob, carol] && version == 2)

        var renamed = bob
        renamed.name = nil
        renamed.groups = []
        renamed.subscription = "from"
        #expect(try await store.putRosterItem(owner: Fixtures.alice, renamed) == 3)
        (items, version) = try await store.rosterItems(owner: Fixtures.alice)
        #expect(items == [renamed, carol] && version == 3)
        #expect(try await store.rosterItems(owner: Fixtures.bob).version == 0)
    }

    @Test(arguments: Backend.allCases)
    func removingBumpsTheVersionOnlyWhenAnItemWasRemoved(backend: Backend) async throws {
        let store = try backend.makeStore()
        #expect(try await store.removeRosterItem(owner: Fixtures.alice, contact: Fixtures.bob) == 0)
        #expect(try await store.putRosterItem(owner: Fixtures.alice, StoredRosterItem(contact: Fixtures.bob)) == 1)
        #expect(try await store.removeRosterItem(owner: Fixtures.alice, contact: "ghost@nowhere.example") == 1)
        #expect(try await store.removeRosterItem(owner: Fixtures.alice, contact: Fixtures.bob) == 2)
        #expect(try await store.removeRosterItem(owner: Fixtures.alice, contact: Fixtures.bob) == 2)
        let (items, version) = try await store.rosterItems(owner: Fixtures.alice)
        #expect(items.isEmpty && version == 2)
        #expect(try await store.rosterItem(owner: Fixtures.alice, contact: Fixtures.bob) == nil)
    }

    @Test(arguments: Backend.allCases)
    func offlineMessagesAreDeliveredOldestFirstAndOnlyOnce(backend: Backend) async throws {
        let store = try backend.makeStore()
        let expected = (0..<3).map {
            StoredOfflineMessage(stanza: Fixtures.message($0), stored: Fixtures.at(-Double($0)))
        }
        for message in expected {
            try await store.storeOfflineMessage(
                owner: Fixtures.alice, stanza: message.stanza, at: message.stored, limit: 10)
        }
        try await store.storeOfflineMessage(owner: Fixtures.bob, stanza: "<message/>", at: Fixtures.now, limit: 10)
        #expect(try await store.offlineMessageCount(owner: Fixtures.alice) == 3)
        // insertion order, not timestamp order
        #expect(try await store.takeOfflineMessages(owner: Fixtures.alice) == expected)
        #expect(try await store.offlineMessageCount(owner: Fixtures.alice) == 0)
        #expect(try await store.takeOfflineMessages(owner: Fixtures.alice).isEmpty)
        #expect(try await store.offlineMessageCount(owner: Fixtures.bob) == 1)
    }

    @Test(arguments: Backend.allCases)
    func theOfflineQuotaHoldsExactlyLimitMessages(backend: Backend) async throws {
        let store = try backend.makeStore()
        for index in 0..<3 {
            try await store.storeOfflineMessage(
                owner: Fixtures.alice, stanza: Fixtures.message(index), at: Fixtures.now, limit: 3)
        }
        let error = await #expect(throws: XMPPStoreError.self) {
            try await store.storeOfflineMessage(
                owner: Fixtures.alice, stanza: Fixtures.message(3), at: Fixtures.now, limit: 3)
        }
        #expect(error?.code == .quotaExceeded)
        #expect(try await store.offlineMessageCount(owner: Fixtures.alice) == 3)
        // the quota is per owner, and taking frees it
        try await store.storeOfflineMessage(owner: Fixtures.bob, stanza: "<message/>", at: Fixtures.now, limit: 3)
        #expect(
            try await store.takeOfflineMessages(owner: Fixtures.alice).map(\.stanza)
                == (0..<3).map { Fixtures.message($0) })
        try await store.storeOfflineMessage(owner: Fixtures.alice, stanza: "<message/>", at: Fixtures.now, limit: 3)
        let zero = await #expect(throws: XMPPStoreError.self) {
            try await store.storeOfflineMessage(owner: Fixtures.alice, stanza: "<message/>", at: Fixtures.now, limit: 0)
        }
        #expect(zero?.code == .quotaExceeded)
    }

    @Test(arguments: Backend.allCases)
    func deletingAnAccountForgetsEverythingItOwned(backend: Backend) async throws {
        let store = try backend.makeStore()
        for owner in [Fixtures.alice, Fixtures.bob] {
            _ = try await store.putRosterItem(owner: owner, StoredRosterItem(contact: "carol@cloud-c.example"))
            try await store.storeOfflineMessage(owner: owner, stanza: "<message/>", at: Fixtures.now, limit: 5)
            try await store.publish(
                owner: owner, node: "urn:xmpp:avatar:metadata", item: Fixtures.item("a"), configuration: nil)
        }
        try await store.deleteAccount(owner: Fixtures.alice)
        let (items, version) = try await store.rosterItems(owner: Fixtures.alice)
        #expect(items.isEmpty && version == 0)
        #expect(try await store.offlineMessageCount(owner: Fixtures.alice) == 0)
        #expect(try await store.nodes(owner: Fixtures.alice).isEmpty)
        #expect(try await store.items(owner: Fixtures.alice, node: "urn:xmpp:avatar:metadata", maxItems: nil).isEmpty)
        // bob is untouched
        #expect(try await store.rosterItems(owner: Fixtures.bob).version == 1)
        #expect(try await store.offlineMessageCount(owner: Fixtures.bob) == 1)
        #expect(try await store.nodes(owner: Fixtures.bob) == ["urn:xmpp:avatar:metadata"])
        // deleting an unknown account is not an error
        try await store.deleteAccount(owner: "ghost@nowhere.example")
    }

    @Test(arguments: Backend.allCases)
    func storesAreUsableConcurrently(backend: Backend) async throws {
        let store = try backend.makeStore()
        let versions = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await store.storeOfflineMessage(
                        owner: Fixtures.alice, stanza: Fixtures.message(index), at: Fixtures.now, limit: 100)
                    return try await store.putRosterItem(
                        owner: Fixtures.alice, StoredRosterItem(contact: "contact-\(index)@cloud.example"))
                }
            }
            return try await group.reduce(into: Set<UInt64>()) { $0.insert($1) }
        }
        #expect(versions == Set(1...20))
        let taken = try await store.takeOfflineMessages(owner: Fixtures.alice)
        #expect(Set(taken.map(\.stanza)) == Set((0..<20).map { Fixtures.message($0) }))
        #expect(try await store.rosterItems(owner: Fixtures.alice).items.count == 20)
    }
}
