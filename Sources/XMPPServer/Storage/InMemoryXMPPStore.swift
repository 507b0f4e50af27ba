import Foundation
import Synchronization

/// An ``XMPPStore`` kept in memory: the twin of the SQLite backend, for tests and ephemeral runs (STYLE §11).
///
/// All state lives in one value behind a `Mutex`, so every operation is atomic — a roster change and its version
/// bump (RFC 6121 §2.6), taking the offline queue (XEP-0160 §3) — and the store is a `Sendable` class usable from
/// any task. Operations never suspend while holding the lock.
public final class InMemoryXMPPStore: XMPPStore {
    /// One owner's roster and its version counter (RFC 6121 §2.6).
    private struct Roster {
        var items: [String: StoredRosterItem] = [:]
        var version: UInt64 = 0
    }

    /// One PEP node: its configuration and its items, oldest first (XEP-0060 §7.1).
    private struct Node {
        var configuration: StoredNodeConfiguration
        var items: [StoredPubSubItem] = []

        /// Drops the oldest items beyond the configured bound.
        mutating func trim() {
            let excess = self.items.count - self.configuration.retainedItems
            if excess > 0 { self.items.removeFirst(excess) }
        }
    }

    /// Everything the store holds, keyed by owner.
    private struct State {
        var rosters: [String: Roster] = [:]
        var offline: [String: [StoredOfflineMessage]] = [:]
        var nodes: [String: [String: Node]] = [:]
    }

    private let state = Mutex(State())

    /// Creates an empty store.
    public init() {}

    // MARK: - Rosters (RFC 6121 §2)

    /// The owner's roster sorted by contact, with its version (RFC 6121 §2.1.3, §2.6).
    public func rosterItems(owner: String) async throws(XMPPStoreError) -> (
        items: [StoredRosterItem], version: UInt64
    ) {
        self.state.withLock { state in
            let roster = state.rosters[owner] ?? Roster()
            return (
                roster.items.values.sorted { $0.contact.utf8.lexicographicallyPrecedes($1.contact.utf8) },
                roster.version
            )
        }
    }

    /// The owner's item for `contact`, or `nil` (RFC 6121 §2.1.2.2).
    public func rosterItem(owner: String, contact: String) async throws(XMPPStoreError) -> StoredRosterItem? {
        self.state.withLock { $0.rosters[owner]?.items[contact] }
    }

    /// Inserts or replaces the item and returns the bumped version (RFC 6121 §2.3, §2.6.1).
    public func putRosterItem(owner: String, _ item: StoredRosterItem) async throws(XMPPStoreError) -> UInt64 {
        self.state.withLock { state in
            var roster = state.rosters[owner] ?? Roster()
            roster.items[item.contact] = item
            roster.version += 1
            state.rosters[owner] = roster
            return roster.version
        }
    }

    /// Removes the item and returns the bumped version, or the current one if it was absent (RFC 6121 §2.5).
    public func removeRosterItem(owner: String, contact: String) async throws(XMPPStoreError) -> UInt64 {
        self.state.withLock { state in
            guard var roster = state.rosters[owner] else { return 0 }
            guard roster.items.removeValue(forKey: contact) != nil else { return roster.version }
            roster.version += 1
            state.rosters[owner] = roster
            return roster.version
        }
    }

    // MARK: - Offline messages (XEP-0160)

    /// Appends a message; ``XMPPStoreError/Code/quotaExceeded`` at `limit` held messages (XEP-0160 §4).
    public func storeOfflineMessage(
        owner: String, stanza: String, at stored: Date, limit: Int
    ) async throws(XMPPStoreError) {
        try self.state.withLock { (state) throws(XMPPStoreError) in
            let held = state.offline[owner, default: []].count
            guard held < limit else {
                throw .quotaExceeded(reason: "'\(owner)' already holds \(held) offline messages (limit \(limit))")
            }
            state.offline[owner, default: []].append(StoredOfflineMessage(stanza: stanza, stored: stored))
        }
    }

    /// Returns and deletes every message held for `owner`, oldest first (XEP-0160 §3).
    public func takeOfflineMessages(owner: String) async throws(XMPPStoreError) -> [StoredOfflineMessage] {
        self.state.withLock { $0.offline.removeValue(forKey: owner) ?? [] }
    }

    /// How many messages are held for `owner`.
    public func offlineMessageCount(owner: String) async throws(XMPPStoreError) -> Int {
        self.state.withLock { $0.offline[owner]?.count ?? 0 }
    }

    // MARK: - PEP nodes (XEP-0163, XEP-0060 §7)

    /// Publishes, auto-creating the node (XEP-0163 §3), replacing a same-id item (XEP-0060 §7.1.2) and trimming.
    public func publish(
        owner: String, node: String, item: StoredPubSubItem, configuration: StoredNodeConfiguration?
    ) async throws(XMPPStoreError) {
        self.state.withLock { state in
            var stored = state.nodes[owner]?[node] ?? Node(configuration: configuration ?? .pepDefault)
            stored.items.removeAll { $0.id == item.id }
            stored.items.append(item)
            stored.trim()
            state.nodes[owner, default: [:]][node] = stored
        }
    }

    /// Creates the node or replaces its configuration, trimming its items (XEP-0060 §8.1.2, §8.2.5).
    public func configureNode(
        owner: String, node: String, _ configuration: StoredNodeConfiguration
    ) async throws(XMPPStoreError) {
        self.state.withLock { state in
            var stored = state.nodes[owner]?[node] ?? Node(configuration: configuration)
            stored.configuration = configuration
            stored.trim()
            state.nodes[owner, default: [:]][node] = stored
        }
    }

    /// Deletes one item (XEP-0060 §7.2); `false` when absent.
    public func retract(owner: String, node: String, itemID: String) async throws(XMPPStoreError) -> Bool {
        self.state.withLock { state in
            guard var stored = state.nodes[owner]?[node],
                let index = stored.items.firstIndex(where: { $0.id == itemID })
            else { return false }
            stored.items.remove(at: index)
            state.nodes[owner, default: [:]][node] = stored
            return true
        }
    }

    /// The node's items, newest first, at most `maxItems` (XEP-0060 §6.5.7).
    public func items(owner: String, node: String, maxItems: Int?) async throws(XMPPStoreError) -> [StoredPubSubItem] {
        self.state.withLock { state in
            let newestFirst = (state.nodes[owner]?[node]?.items ?? []).reversed()
            guard let maxItems else { return Array(newestFirst) }
            return Array(newestFirst.prefix(max(0, maxItems)))
        }
    }

    /// One item by id (XEP-0060 §6.5.8), or `nil`.
    public func item(owner: String, node: String, id: String) async throws(XMPPStoreError) -> StoredPubSubItem? {
        self.state.withLock { $0.nodes[owner]?[node]?.items.first { $0.id == id } }
    }

    /// The node's configuration, or `nil` when it does not exist (XEP-0060 §8.2).
    public func nodeConfiguration(
        owner: String, node: String
    ) async throws(XMPPStoreError) -> StoredNodeConfiguration? {
        self.state.withLock { $0.nodes[owner]?[node]?.configuration }
    }

    /// The owner's node names, sorted (XEP-0060 §5.2).
    public func nodes(owner: String) async throws(XMPPStoreError) -> [String] {
        self.state.withLock { ($0.nodes[owner] ?? [:]).keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
    }

    /// Deletes the node and its items; ``XMPPStoreError/Code/notFound`` when absent (XEP-0060 §8.4).
    public func deleteNode(owner: String, node: String) async throws(XMPPStoreError) {
        try self.state.withLock { (state) throws(XMPPStoreError) in
            guard state.nodes[owner]?.removeValue(forKey: node) != nil else {
                throw .notFound(reason: "'\(owner)' has no node '\(node)'")
            }
            if state.nodes[owner]?.isEmpty == true { state.nodes[owner] = nil }
        }
    }

    // MARK: - Accounts

    /// Deletes the account's roster, version, offline messages and nodes.
    public func deleteAccount(owner: String) async throws(XMPPStoreError) {
        self.state.withLock { state in
            state.rosters[owner] = nil
            state.offline[owner] = nil
            state.nodes[owner] = nil
        }
    }
}
