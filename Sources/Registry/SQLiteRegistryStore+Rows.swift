import Foundation
import GRDB
import XMPPCore

/// Conversion between ``CloudEntry`` and the `cloud` and `scramCredential` rows; the SQL mirror stays internal.
extension SQLiteRegistryStore {
    /// Runs one statement, mapping SQLite errors to ``RegistryError/Code/storageFailure``.
    static func sql(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws(RegistryError) {
        do {
            try db.execute(sql: sql, arguments: arguments)
        } catch {
            throw .storageFailure(reason: "SQLite statement failed: \(error)")
        }
    }

    /// Whether a cloud row with this name exists.
    static func exists(_ name: CloudName, _ db: Database) throws(RegistryError) -> Bool {
        do {
            return try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM cloud WHERE name = ?)", arguments: [name.rawValue])
                ?? false
        } catch {
            throw .storageFailure(reason: "SQLite query failed: \(error)")
        }
    }

    /// Inserts the cloud row and one `scramCredential` row per mechanism.
    static func insert(_ entry: CloudEntry, _ db: Database) throws(RegistryError) {
        try Self.sql(
            db,
            """
            INSERT INTO cloud (endpoints, trustLevel, status, contact, createdAt, updatedAt, name)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            try Self.cloudArguments(entry))
        try Self.insertCredentials(of: entry, db)
    }

    /// Rewrites the cloud row in place and replaces its credentials. The row is not deleted, so nothing hanging
    /// off it by `ON DELETE CASCADE` (the `certificate` rows of `v2`) is lost.
    static func replace(_ entry: CloudEntry, _ db: Database) throws(RegistryError) {
        try Self.sql(
            db,
            """
            UPDATE cloud SET endpoints = ?, trustLevel = ?, status = ?, contact = ?, createdAt = ?, updatedAt = ?
            WHERE name = ?
            """,
            try Self.cloudArguments(entry))
        try Self.sql(db, "DELETE FROM scramCredential WHERE cloud = ?", [entry.name.rawValue])
        try Self.insertCredentials(of: entry, db)
    }

    /// The `cloud` columns in the order `insert` and `replace` bind them, the name last.
    private static func cloudArguments(_ entry: CloudEntry) throws(RegistryError) -> StatementArguments {
        let endpoints: String
        do {
            endpoints = String(decoding: try JSONEncoder().encode(entry.endpoints), as: UTF8.self)
        } catch {
            throw .storageFailure(reason: "cannot encode endpoints: \(error)")
        }
        return [
            endpoints, entry.trustLevel, entry.status.rawValue, entry.contact, entry.createdAt.timeIntervalSince1970,
            entry.updatedAt.timeIntervalSince1970, entry.name.rawValue,
        ]
    }

    /// One `scramCredential` row per mechanism (RFC 5802 §3: keys only, never the password).
    private static func insertCredentials(of entry: CloudEntry, _ db: Database) throws(RegistryError) {
        for credentials in entry.credentials {
            try Self.sql(
                db,
                """
                INSERT INTO scramCredential (cloud, mechanism, salt, iterations, storedKey, serverKey)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                [
                    entry.name.rawValue, credentials.hash.rawValue, Data(credentials.salt), credentials.iterations,
                    Data(credentials.storedKey), Data(credentials.serverKey),
                ])
        }
    }

    /// Loads the clouds selected by `clause` (sorted by name) with their credentials.
    static func entries(_ db: Database, where clause: String, _ arguments: StatementArguments) throws(RegistryError)
        -> [CloudEntry]
    {
        let clouds: [Row]
        let credentialRows: [Row]
        do {
            clouds = try Row.fetchAll(db, sql: "SELECT * FROM cloud \(clause) ORDER BY name", arguments: arguments)
            credentialRows = try Row.fetchAll(
                db, sql: "SELECT * FROM scramCredential WHERE cloud IN (SELECT name FROM cloud \(clause))",
                arguments: arguments)
        } catch {
            throw .storageFailure(reason: "SQLite query failed: \(error)")
        }
        var credentials: [String: [SCRAMCredentials]] = [:]
        for row in credentialRows {
            // Mechanisms this build does not know (a newer writer) are skipped rather than failing the read.
            guard let hash = SCRAMHash(rawValue: row["mechanism"]) else { continue }
            credentials[row["cloud"], default: []].append(
                SCRAMCredentials(
                    hash: hash, salt: Array(row["salt"] as Data), iterations: row["iterations"],
                    storedKey: Array(row["storedKey"] as Data), serverKey: Array(row["serverKey"] as Data)))
        }
        return try clouds.map { (row) throws(RegistryError) in
            try Self.entry(row, credentials: credentials[row["name"]] ?? [])
        }
    }

    /// Converts a `cloud` row; corrupt rows are ``RegistryError/Code/storageFailure``.
    private static func entry(_ row: Row, credentials: [SCRAMCredentials]) throws(RegistryError) -> CloudEntry {
        let rawName: String = row["name"]
        guard let status = CloudStatus(rawValue: row["status"]),
            let endpoints = try? JSONDecoder().decode([String].self, from: Data((row["endpoints"] as String).utf8))
        else {
            throw .storageFailure(reason: "corrupt registry row for cloud '\(rawName)'")
        }
        do {
            return try CloudEntry(
                name: CloudName(rawName), endpoints: endpoints, trustLevel: row["trustLevel"], status: status,
                contact: row["contact"],
                createdAt: Date(timeIntervalSince1970: row["createdAt"]),
                updatedAt: Date(timeIntervalSince1970: row["updatedAt"]),
                credentials: credentials)
        } catch {
            throw .storageFailure(reason: "corrupt registry row for cloud '\(rawName)': \(error.reason)")
        }
    }
}
