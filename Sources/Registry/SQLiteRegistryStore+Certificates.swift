import Foundation
import GRDB

/// Issued certificates in the `certificate` table of migration `v2`: one row per certificate, keyed by the
/// canonical serial (RFC 5280 §4.1.2.2), deleted with its cloud (`ON DELETE CASCADE`).
extension SQLiteRegistryStore {
    /// Records a certificate for the cloud; ``RegistryError/Code/notFound`` for an unknown cloud,
    /// ``RegistryError/Code/alreadyExists`` for a serial already recorded.
    public func addCertificate(_ certificate: IssuedCertificateRef, to name: CloudName) async throws(RegistryError) {
        try self.write { db throws(RegistryError) in
            guard try Self.exists(name, db) else { throw .notFound(reason: "cloud '\(name)' is not registered") }
            let taken: Bool
            do {
                taken =
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS (SELECT 1 FROM certificate WHERE serial = ?)",
                        arguments: [certificate.serialHex]) ?? false
            } catch {
                throw .storageFailure(reason: "SQLite query failed: \(error)")
            }
            guard !taken else {
                throw .alreadyExists(reason: "a certificate with serial \(certificate.serialHex) is already recorded")
            }
            try Self.sql(
                db, "INSERT INTO certificate (serial, cloud, der, notAfter) VALUES (?, ?, ?, ?)",
                [
                    certificate.serialHex, name.rawValue, Data(certificate.der),
                    certificate.notAfter.timeIntervalSince1970,
                ])
        }
    }

    /// The cloud holding the certificate with this serial, or `nil` (an indexed primary-key lookup).
    public func entry(forCertificateSerial serialHex: String) async throws(RegistryError) -> CloudEntry? {
        guard let serial = IssuedCertificateRef.canonicalSerial(serialHex) else { return nil }
        return try self.read { db throws(RegistryError) in
            try Self.entries(db, where: "WHERE name IN (SELECT cloud FROM certificate WHERE serial = ?)", [serial])
                .first
        }
    }

    /// The cloud's certificates, soonest expiry first; ``RegistryError/Code/notFound`` for an unknown cloud.
    public func certificates(of name: CloudName) async throws(RegistryError) -> [IssuedCertificateRef] {
        try self.read { db throws(RegistryError) in
            guard try Self.exists(name, db) else { throw .notFound(reason: "cloud '\(name)' is not registered") }
            let rows: [Row]
            do {
                rows = try Row.fetchAll(
                    db, sql: "SELECT der FROM certificate WHERE cloud = ?", arguments: [name.rawValue])
            } catch {
                throw .storageFailure(reason: "SQLite query failed: \(error)")
            }
            // The serial and notAfter columns are indexes; the DER is the truth and is parsed again.
            return try rows.map { (row) throws(RegistryError) in
                do throws(RegistryError) {
                    return try IssuedCertificateRef(der: Array(row["der"] as Data))
                } catch {
                    throw .storageFailure(reason: "corrupt certificate row for cloud '\(name)': \(error.reason)")
                }
            }.sorted(by: Self.certificateOrder)
        }
    }
}
