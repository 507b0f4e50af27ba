import Foundation
import GRDB
import XMPPCore

/// The embedded ``RegistryStore``: one SQLite file (`DATA/registry.sqlite`, CONTRACT §2) accessed through GRDB.
///
/// The schema is created by a `DatabaseMigrator` migration named `v1`: a `cloud` table keyed by name and a
/// `scramCredential` table with one row per cloud and mechanism, deleted with its cloud (`ON DELETE CASCADE`);
/// `v2` adds the `certificate` table, one row per issued certificate keyed by serial, also deleted with its cloud.
/// Only SCRAM keys are stored, never passwords (RFC 5802 §3). GRDB calls are synchronous inside (they are short
/// transactions on a serial queue); the API is async so that slower backends (LDAP) fit the same protocol.
public final class SQLiteRegistryStore: RegistryStore {
    private let queue: DatabaseQueue

    /// Opens or creates the database at `path` and migrates it to the current schema.
    ///
    /// Throws ``RegistryError/Code/storageFailure`` when the file cannot be opened or migrated.
    public init(path: String) throws(RegistryError) {
        do {
            // The CLI and the server open the same file from different processes: wait for locks (up to 5 s)
            // instead of failing with "database is locked", and let readers proceed during writes (WAL).
            var configuration = Configuration()
            configuration.journalMode = .wal
            configuration.busyMode = .timeout(5)
            self.queue = try DatabaseQueue(path: path, configuration: configuration)
            // GRDB reads which migrations are applied before it takes the write lock, so two processes opening a
            // new file at once would both run `v1`; an exclusive lock on a sidecar file serialises migrations.
            try Self.withMigrationLock(path: path) { try Self.migrator.migrate(self.queue) }
        } catch {
            throw .storageFailure(reason: "cannot open registry database at \(path): \(error)")
        }
    }

    /// Runs `body` holding an exclusive `flock` on `PATH.migration-lock` (created if missing).
    static func withMigrationLock(path: String, _ body: () throws -> Void) throws {
        let descriptor = open(path + ".migration-lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RegistryError.storageFailure(reason: "cannot open \(path).migration-lock: errno \(errno)")
        }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else {
            throw RegistryError.storageFailure(reason: "cannot lock \(path).migration-lock: errno \(errno)")
        }
        defer { flock(descriptor, LOCK_UN) }
        try body()
    }

    /// The schema history; append migrations, never edit shipped ones.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE cloud (
                        name TEXT PRIMARY KEY NOT NULL,
                        endpoints TEXT NOT NULL DEFAULT '[]',
                        trustLevel INTEGER NOT NULL CHECK (trustLevel BETWEEN 0 AND 5),
                        status TEXT NOT NULL,
                        contact TEXT,
                        createdAt REAL NOT NULL,
                        updatedAt REAL NOT NULL
                    );
                    CREATE TABLE scramCredential (
                        cloud TEXT NOT NULL REFERENCES cloud(name) ON DELETE CASCADE,
                        mechanism TEXT NOT NULL,
                        salt BLOB NOT NULL,
                        iterations INTEGER NOT NULL,
                        storedKey BLOB NOT NULL,
                        serverKey BLOB NOT NULL,
                        PRIMARY KEY (cloud, mechanism)
                    );
                    """)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    CREATE TABLE certificate (
                        serial TEXT PRIMARY KEY NOT NULL,
                        cloud TEXT NOT NULL REFERENCES cloud(name) ON DELETE CASCADE,
                        der BLOB NOT NULL,
                        notAfter REAL NOT NULL
                    );
                    CREATE INDEX certificateCloud ON certificate(cloud);
                    """)
        }
        return migrator
    }

    /// Registers a new cloud; ``RegistryError/Code/alreadyExists`` if the name is taken.
    public func add(_ entry: CloudEntry) async throws(RegistryError) {
        try self.write { db throws(RegistryError) in
            guard try Self.exists(entry.name, db) == false else {
                throw .alreadyExists(reason: "cloud '\(entry.name)' is already registered")
            }
            try Self.insert(entry, db)
        }
    }

    /// Replaces an existing cloud's entry and credentials, keeping its certificates; ``RegistryError/Code/notFound``
    /// if absent.
    public func update(_ entry: CloudEntry) async throws(RegistryError) {
        try self.write { db throws(RegistryError) in
            guard try Self.exists(entry.name, db) else {
                throw .notFound(reason: "cloud '\(entry.name)' is not registered")
            }
            try Self.replace(entry, db)
        }
    }

    /// The cloud with this name, or `nil`.
    public func entry(named name: CloudName) async throws(RegistryError) -> CloudEntry? {
        try self.read { db throws(RegistryError) in
            try Self.entries(db, where: "WHERE name = ?", [name.rawValue]).first
        }
    }

    /// Every cloud, sorted by name.
    public func list() async throws(RegistryError) -> [CloudEntry] {
        try self.read { db throws(RegistryError) in try Self.entries(db, where: "", []) }
    }

    /// Unregisters a cloud and, by cascade, its credentials and certificates; ``RegistryError/Code/notFound`` if absent.
    public func remove(named name: CloudName) async throws(RegistryError) {
        try self.write { db throws(RegistryError) in
            try Self.sql(db, "DELETE FROM cloud WHERE name = ?", [name.rawValue])
            guard db.changesCount > 0 else { throw .notFound(reason: "cloud '\(name)' is not registered") }
        }
    }

    // MARK: - Transactions

    /// Runs `body` in a write transaction, mapping GRDB errors to ``RegistryError/Code/storageFailure``.
    func write<T>(_ body: (Database) throws(RegistryError) -> T) throws(RegistryError) -> T {
        do {
            return try self.queue.write { db in try body(db) }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw .storageFailure(reason: "registry write failed: \(error)")
        }
    }

    /// Runs `body` in a read transaction, mapping GRDB errors to ``RegistryError/Code/storageFailure``.
    func read<T>(_ body: (Database) throws(RegistryError) -> T) throws(RegistryError) -> T {
        do {
            return try self.queue.read { db in try body(db) }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw .storageFailure(reason: "registry read failed: \(error)")
        }
    }
}
