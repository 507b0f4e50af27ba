import Foundation
import GRDB
import XMPPServer

/// Transactions and row conversions of ``SQLiteXMPPStore``; the SQL mirror of the records stays internal.
extension SQLiteXMPPStore {
    /// Runs `body` in a write transaction (rolled back when it throws), mapping failures other than an
    /// ``XMPPStoreError`` thrown by `body` to ``XMPPStoreError/Code/storageFailure``.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(XMPPStoreError) -> T {
        do {
            return try await self.queue.write(body)
        } catch let error as XMPPStoreError {
            throw error
        } catch {
            throw .storageFailure(reason: "XMPP store write failed: \(error)")
        }
    }

    /// Runs `body` in a read-only access, mapping failures to ``XMPPStoreError/Code/storageFailure``.
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(XMPPStoreError) -> T {
        do {
            return try await self.queue.read(body)
        } catch let error as XMPPStoreError {
            throw error
        } catch {
            throw .storageFailure(reason: "XMPP store read failed: \(error)")
        }
    }

    // MARK: - Rosters (RFC 6121 §2.6)

    /// The owner's roster version, 0 when the roster was never changed.
    static func rosterVersion(_ owner: String, _ db: Database) throws -> UInt64 {
        let version =
            try Int64.fetchOne(db, sql: "SELECT version FROM rosterVersion WHERE owner = ?", arguments: [owner]) ?? 0
        return UInt64(max(0, version))
    }

    /// Increments the owner's roster version inside the caller's transaction and returns the new value.
    static func bumpRosterVersion(_ owner: String, _ db: Database) throws -> UInt64 {
        try db.execute(
            sql: """
                INSERT INTO rosterVersion (owner, version) VALUES (?, 1)
                ON CONFLICT (owner) DO UPDATE SET version = version + 1
                """,
            arguments: [owner])
        return try Self.rosterVersion(owner, db)
    }

    /// Converts a `rosterItem` row; a corrupt groups column is ``XMPPStoreError/Code/storageFailure``.
    static func rosterItem(_ row: Row) throws -> StoredRosterItem {
        let contact: String = row["contact"]
        guard let groups = try? JSONDecoder().decode([String].self, from: Data((row["groups"] as String).utf8)) else {
            throw XMPPStoreError.storageFailure(reason: "corrupt groups in roster item '\(contact)'")
        }
        return StoredRosterItem(
            contact: contact, name: row["name"], subscription: row["subscription"], groups: groups,
            approved: row["approved"])
    }

    /// Encodes roster groups as a JSON array for the `groups` column.
    static func json(_ groups: [String]) throws(XMPPStoreError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(groups), as: UTF8.self)
        } catch {
            throw .storageFailure(reason: "cannot encode roster groups: \(error)")
        }
    }

    // MARK: - PEP (XEP-0060 §7)

    /// Converts a `pubsubItem` row.
    static func pubSubItem(_ row: Row) -> StoredPubSubItem {
        StoredPubSubItem(
            id: row["itemID"], payload: row["payload"], publisher: row["publisher"],
            published: Date(timeIntervalSinceReferenceDate: row["published"]))
    }

    /// The node's configuration, or `nil` when the node does not exist.
    static func nodeConfiguration(_ owner: String, _ node: String, _ db: Database) throws -> StoredNodeConfiguration? {
        try Row.fetchOne(
            db, sql: "SELECT accessModel, maxItems FROM pubsubNode WHERE owner = ? AND node = ?",
            arguments: [owner, node]
        ).map { row in StoredNodeConfiguration(accessModel: row["accessModel"], maxItems: row["maxItems"]) }
    }

    /// Creates the node or replaces its configuration.
    static func saveNode(
        _ owner: String, _ node: String, _ configuration: StoredNodeConfiguration, _ db: Database
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO pubsubNode (owner, node, accessModel, maxItems) VALUES (?, ?, ?, ?)
                ON CONFLICT (owner, node) DO UPDATE SET accessModel = excluded.accessModel, maxItems = excluded.maxItems
                """,
            arguments: [owner, node, configuration.accessModel, configuration.maxItems])
    }

    /// Deletes the node's items older than its `retained` newest ones (`pubsub#max_items`).
    static func trim(_ owner: String, _ node: String, retaining retained: Int, _ db: Database) throws {
        try db.execute(
            sql: """
                DELETE FROM pubsubItem WHERE owner = ? AND node = ? AND seq <= (
                    SELECT seq FROM pubsubItem WHERE owner = ? AND node = ? ORDER BY seq DESC LIMIT 1 OFFSET ?
                )
                """,
            arguments: [owner, node, owner, node, retained])
    }
}
