import Foundation
import Testing
import XMPPServer
import XMPPStorage

/// What only the embedded backend has to prove: durability across reopening, WAL mode, and failure mapping.
@Suite struct SQLiteXMPPStoreTests {
    @Test func everythingSurvivesReopening() async throws {
        let path = Fixtures.temporaryPath()
        defer { Self.remove(path) }
        let bob = StoredRosterItem(contact: Fixtures.bob, name: "Bob", subscription: "both", groups: ["Friends"])
        let config = StoredNodeConfiguration(accessModel: "open", maxItems: 3)
        do {
            let store = try SQLiteXMPPStore(path: path)
            _ = try await store.putRosterItem(owner: Fixtures.alice, StoredRosterItem(contact: "carol@cloud-c.example"))
            _ = try await store.putRosterItem(owner: Fixtures.alice, bob)
            for index in 0..<2 {
                try await store.storeOfflineMessage(
                    owner: Fixtures.alice, stanza: Fixtures.message(index), at: Fixtures.at(Double(index)), limit: 5)
            }
            for id in ["a", "b"] {
                try await store.publish(
                    owner: Fixtures.alice, node: "mood", item: Fixtures.item(id), configuration: config)
            }
        }
        let reopened = try SQLiteXMPPStore(path: path)
        let (items, version) = try await reopened.rosterItems(owner: Fixtures.alice)
        #expect(items.map(\.contact) == [Fixtures.bob, "carol@cloud-c.example"] && version == 2)
        #expect(try await reopened.rosterItem(owner: Fixtures.alice, contact: Fixtures.bob) == bob)
        #expect(try await reopened.putRosterItem(owner: Fixtures.alice, bob) == 3)
        #expect(
            try await reopened.takeOfflineMessages(owner: Fixtures.alice) == [
                StoredOfflineMessage(stanza: Fixtures.message(0), stored: Fixtures.at(0)),
                StoredOfflineMessage(stanza: Fixtures.message(1), stored: Fixtures.at(1)),
            ])
        #expect(try await reopened.nodeConfiguration(owner: Fixtures.alice, node: "mood") == config)
        #expect(
            try await reopened.items(owner: Fixtures.alice, node: "mood", maxItems: nil) == [
                Fixtures.item("b"), Fixtures.item("a"),
            ])
        // publication order survives too: a new publish is the newest
        try await reopened.publish(owner: Fixtures.alice, node: "mood", item: Fixtures.item("c"), configuration: nil)
        #expect(try await reopened.items(owner: Fixtures.alice, node: "mood", maxItems: 1).map(\.id) == ["c"])
        #expect(try await SQLiteXMPPStore(path: path).offlineMessageCount(owner: Fixtures.alice) == 0)
    }

    @Test func theDatabaseIsInWALMode() async throws {
        let path = Fixtures.temporaryPath()
        defer { Self.remove(path) }
        let store = try SQLiteXMPPStore(path: path)
        _ = try await store.putRosterItem(owner: Fixtures.alice, StoredRosterItem(contact: Fixtures.bob))
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func anUnopenablePathIsAStorageFailure() {
        let error = #expect(throws: XMPPStoreError.self) {
            try SQLiteXMPPStore(path: "/nonexistent-directory-\(UUID().uuidString)/xmpp.sqlite")
        }
        #expect(error?.code == .storageFailure)
        #expect(error?.description.hasPrefix("XMPPStoreError.storageFailure: ") == true)
    }

    /// Deletes the database and its WAL companions.
    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
