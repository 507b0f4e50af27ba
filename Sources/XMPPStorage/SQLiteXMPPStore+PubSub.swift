import Foundation
import GRDB
import XMPPServer

/// PEP nodes on each account's bare JID (XEP-0163), stored in `pubsubNode` and `pubsubItem`.
///
/// An item's `seq` is one more than the node's highest when it is (re)published, so ordering by `seq` is publication
/// order and a republished id becomes the newest (XEP-0060 §7.1.2). Trimming to `maxItems` happens in the same
/// transaction as the publish or configure that made it necessary.
extension SQLiteXMPPStore {
    /// Publishes, auto-creating the node (XEP-0163 §3), replacing a same-id item (XEP-0060 §7.1.2) and trimming.
    public func publish(
        owner: String, node: String, item: StoredPubSubItem, configuration: StoredNodeConfiguration?
    ) async throws(XMPPStoreError) {
        try await self.write { db in
            let current: StoredNodeConfiguration
            if let existing = try Self.nodeConfiguration(owner, node, db) {
                current = existing
            } else {
                current = configuration ?? .pepDefault
                try Self.saveNode(owner, node, current, db)
            }
            let seq =
                try Int64.fetchOne(
                    db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM pubsubItem WHERE owner = ? AND node = ?",
                    arguments: [owner, node]) ?? 1
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO pubsubItem (owner, node, itemID, payload, publisher, published, seq)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    owner, node, item.id, item.payload, item.publisher, item.published.timeIntervalSinceReferenceDate,
                    seq,
                ])
            try Self.trim(owner, node, retaining: current.retainedItems, db)
        }
    }

    /// Creates the node or replaces its configuration, trimming its items (XEP-0060 §8.1.2, §8.2.5).
    public func configureNode(
        owner: String, node: String, _ configuration: StoredNodeConfiguration
    ) async throws(XMPPStoreError) {
        try await self.write { db in
            try Self.saveNode(owner, node, configuration, db)
            try Self.trim(owner, node, retaining: configuration.retainedItems, db)
        }
    }

    /// Deletes one item (XEP-0060 §7.2); `false` when absent.
    public func retract(owner: String, node: String, itemID: String) async throws(XMPPStoreError) -> Bool {
        try await self.write { db in
            try db.execute(
                sql: "DELETE FROM pubsubItem WHERE owner = ? AND node = ? AND itemID = ?",
                arguments: [owner, node, itemID])
            return db.changesCount > 0
        }
    }

    /// The node's items, newest first, at most `maxItems` (XEP-0060 §6.5.7).
    public func items(owner: String, node: String, maxItems: Int?) async throws(XMPPStoreError) -> [StoredPubSubItem] {
        // SQLite reads a negative LIMIT as "no limit".
        let limit = maxItems.map { max(0, $0) } ?? -1
        return try await self.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM pubsubItem WHERE owner = ? AND node = ? ORDER BY seq DESC LIMIT ?",
                arguments: [owner, node, limit]
            ).map(Self.pubSubItem)
        }
    }

    /// One item by id (XEP-0060 §6.5.8), or `nil`.
    public func item(owner: String, node: String, id: String) async throws(XMPPStoreError) -> StoredPubSubItem? {
        try await self.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM pubsubItem WHERE owner = ? AND node = ? AND itemID = ?",
                arguments: [owner, node, id]
            ).map(Self.pubSubItem)
        }
    }

    /// The node's configuration, or `nil` when it does not exist (XEP-0060 §8.2).
    public func nodeConfiguration(
        owner: String, node: String
    ) async throws(XMPPStoreError) -> StoredNodeConfiguration? {
        try await self.read { db in try Self.nodeConfiguration(owner, node, db) }
    }

    /// The owner's node names, sorted (XEP-0060 §5.2).
    public func nodes(owner: String) async throws(XMPPStoreError) -> [String] {
        try await self.read { db in
            try String.fetchAll(
                db, sql: "SELECT node FROM pubsubNode WHERE owner = ? ORDER BY node", arguments: [owner])
        }
    }

    /// Deletes the node and, by cascade, its items; ``XMPPStoreError/Code/notFound`` when absent (XEP-0060 §8.4).
    public func deleteNode(owner: String, node: String) async throws(XMPPStoreError) {
        try await self.write { db in
            try db.execute(sql: "DELETE FROM pubsubNode WHERE owner = ? AND node = ?", arguments: [owner, node])
            guard db.changesCount > 0 else {
                throw XMPPStoreError.notFound(reason: "'\(owner)' has no node '\(node)'")
            }
        }
    }
}
