import Foundation
import GRDB
import XMPPServer

/// The embedded ``XMPPStore``: one SQLite file accessed through a GRDB `DatabaseQueue` in WAL mode.
///
/// The schema is created by a `DatabaseMigrator` migration named `v1`: `rosterItem` (keyed by owner and contact,
/// groups as a JSON array) and `rosterVersion` for rosters (RFC 6121 §2, §2.6); `offlineMessage`, whose
/// autoincrement id is the FIFO order (XEP-0160); `pubsubNode` and `pubsubItem`, whose per-node `seq` is the
/// publication order (XEP-0060 §7.1, XEP-0163). Every operation is one transaction, so a roster change and its
/// version bump commit together and taking the offline queue is atomic. Times are stored as seconds since the
/// Foundation reference date, which round-trips a `Date` exactly.
public final class SQLiteXMPPStore: XMPPStore {
    /// The serial connection; GRDB's async accessors run the transactions off the cooperative pool.
    let queue: DatabaseQueue

    /// Opens or creates the database at `path`, in WAL mode, and migrates it to the current schema.
    ///
    /// Throws ``XMPPStoreError/Code/storageFailure`` when the file cannot be opened or migrated.
    public init(path: String) throws(XMPPStoreError) {
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(5)
        do {
            self.queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(self.queue)
        } catch {
            throw .storageFailure(reason: "cannot open XMPP database at \(path): \(error)")
        }
    }

    /// The schema history; append migrations, never edit shipped ones.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE rosterItem (
                        owner TEXT NOT NULL,
                        contact TEXT NOT NULL,
                        name TEXT,
                        subscription TEXT NOT NULL,
                        "groups" TEXT NOT NULL DEFAULT '[]',
                        approved INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (owner, contact)
                    );
                    CREATE TABLE rosterVersion (
                        owner TEXT PRIMARY KEY NOT NULL,
                        version INTEGER NOT NULL
                    );
                    CREATE TABLE offlineMessage (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        owner TEXT NOT NULL,
                        stanza TEXT NOT NULL,
                        stored REAL NOT NULL
                    );
                    CREATE INDEX offlineMessageOwner ON offlineMessage (owner, id);
                    CREATE TABLE pubsubNode (
                        owner TEXT NOT NULL,
                        node TEXT NOT NULL,
                        accessModel TEXT NOT NULL,
                        maxItems INTEGER NOT NULL,
                        PRIMARY KEY (owner, node)
                    );
                    CREATE TABLE pubsubItem (
                        owner TEXT NOT NULL,
                        node TEXT NOT NULL,
                        itemID TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        publisher TEXT NOT NULL,
                        published REAL NOT NULL,
                        seq INTEGER NOT NULL,
                        PRIMARY KEY (owner, node, itemID),
                        FOREIGN KEY (owner, node) REFERENCES pubsubNode (owner, node) ON DELETE CASCADE
                    );
                    CREATE INDEX pubsubItemOrder ON pubsubItem (owner, node, seq);
                    """)
        }
        migrator.registerMigration("v2-agreements") { db in
            try db.execute(
                sql: """
                    CREATE TABLE agreement (
                        id TEXT PRIMARY KEY,
                        requester TEXT NOT NULL,
                        responder TEXT NOT NULL,
                        agreedAt REAL NOT NULL,
                        xml TEXT NOT NULL
                    );
                    CREATE INDEX agreementRequester ON agreement (requester);
                    CREATE INDEX agreementResponder ON agreement (responder);
                    """)
        }
        return migrator
    }

    // MARK: - Rosters (RFC 6121 §2)

    /// The owner's roster sorted by contact, with its version (RFC 6121 §2.1.3, §2.6).
    public func rosterItems(owner: String) async throws(XMPPStoreError) -> (
        items: [StoredRosterItem], version: UInt64
    ) {
        try await self.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM rosterItem WHERE owner = ? ORDER BY contact", arguments: [owner])
            return (try rows.map(Self.rosterItem), try Self.rosterVersion(owner, db))
        }
    }

    /// The owner's item for `contact`, or `nil` (RFC 6121 §2.1.2.2).
    public func rosterItem(owner: String, contact: String) async throws(XMPPStoreError) -> StoredRosterItem? {
        try await self.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM rosterItem WHERE owner = ? AND contact = ?", arguments: [owner, contact]
            ).map(Self.rosterItem)
        }
    }

    /// Inserts or replaces the item and returns the bumped version, in one transaction (RFC 6121 §2.3, §2.6.1).
    public func putRosterItem(owner: String, _ item: StoredRosterItem) async throws(XMPPStoreError) -> UInt64 {
        let groups = try Self.json(item.groups)
        return try await self.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO rosterItem (owner, contact, name, subscription, "groups", approved)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [owner, item.contact, item.name, item.subscription, groups, item.approved])
            return try Self.bumpRosterVersion(owner, db)
        }
    }

    /// Removes the item and returns the bumped version, or the current one if it was absent (RFC 6121 §2.5).
    public func removeRosterItem(owner: String, contact: String) async throws(XMPPStoreError) -> UInt64 {
        try await self.write { db in
            try db.execute(
                sql: "DELETE FROM rosterItem WHERE owner = ? AND contact = ?", arguments: [owner, contact])
            guard db.changesCount > 0 else { return try Self.rosterVersion(owner, db) }
            return try Self.bumpRosterVersion(owner, db)
        }
    }

    // MARK: - Offline messages (XEP-0160)

    /// Appends a message; ``XMPPStoreError/Code/quotaExceeded`` at `limit` held messages (XEP-0160 §4).
    public func storeOfflineMessage(
        owner: String, stanza: String, at stored: Date, limit: Int
    ) async throws(XMPPStoreError) {
        try await self.write { db in
            let held =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM offlineMessage WHERE owner = ?", arguments: [owner])
                ?? 0
            guard held < limit else {
                throw XMPPStoreError.quotaExceeded(
                    reason: "'\(owner)' already holds \(held) offline messages (limit \(limit))")
            }
            try db.execute(
                sql: "INSERT INTO offlineMessage (owner, stanza, stored) VALUES (?, ?, ?)",
                arguments: [owner, stanza, stored.timeIntervalSinceReferenceDate])
        }
    }

    /// Returns and deletes every message held for `owner`, oldest first, in one transaction (XEP-0160 §3).
    public func takeOfflineMessages(owner: String) async throws(XMPPStoreError) -> [StoredOfflineMessage] {
        try await self.write { db in
            let messages = try Row.fetchAll(
                db, sql: "SELECT stanza, stored FROM offlineMessage WHERE owner = ? ORDER BY id", arguments: [owner]
            ).map { row in
                StoredOfflineMessage(stanza: row["stanza"], stored: Date(timeIntervalSinceReferenceDate: row["stored"]))
            }
            try db.execute(sql: "DELETE FROM offlineMessage WHERE owner = ?", arguments: [owner])
            return messages
        }
    }

    /// How many messages are held for `owner`.
    public func offlineMessageCount(owner: String) async throws(XMPPStoreError) -> Int {
        try await self.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM offlineMessage WHERE owner = ?", arguments: [owner]) ?? 0
        }
    }

    // MARK: - Accounts

    /// Deletes the account's roster, version, offline messages and nodes (items by cascade), in one transaction.
    public func deleteAccount(owner: String) async throws(XMPPStoreError) {
        try await self.write { db in
            for table in ["rosterItem", "rosterVersion", "offlineMessage", "pubsubItem", "pubsubNode"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE owner = ?", arguments: [owner])
            }
        }
    }
}
