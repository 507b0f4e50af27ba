import Foundation
import Synchronization

/// A ``RevocationStore`` in the data directory: `DATA/ca/issued.json` (serial → cloud, JID, validity) and
/// `DATA/ca/revoked.json` (revocations and the last cRLNumber, RFC 5280 §5.2.3).
///
/// Both files are JSON, mode 0600, replaced atomically (temporary file, `fsync`, `rename`) after every change, so
/// a crash never leaves a half-written ledger and the cRLNumber never goes backwards.
public final class FileRevocationStore: RevocationStore {
    private let issuedPath: String
    private let revokedPath: String
    private let ledger: Mutex<RevocationLedger>

    /// The on-disk shape of `revoked.json`.
    private struct RevokedFile: Codable {
        var crlNumber: UInt64
        var revoked: [RevokedCertificateRecord]
    }

    /// Opens (or starts) the ledger under `DIR/ca/`.
    ///
    /// - Parameter directory: The data directory (`--data-dir`).
    public init(directory: String) throws(TrustCAError) {
        let caDirectory = SecureFile.join(directory, "ca")
        try SecureFile.ensureDirectory(caDirectory, mode: SecureFile.directoryMode)
        self.issuedPath = SecureFile.join(caDirectory, "issued.json")
        self.revokedPath = SecureFile.join(caDirectory, "revoked.json")
        var ledger = RevocationLedger()
        if let text = try SecureFile.readString(self.issuedPath) {
            let records: [IssuedCertificateRecord] = try Self.decode(text, path: self.issuedPath)
            for record in records {
                ledger.issued[record.serialHex] = record
            }
        }
        if let text = try SecureFile.readString(self.revokedPath) {
            let file: RevokedFile = try Self.decode(text, path: self.revokedPath)
            ledger.revoked = file.revoked
            ledger.crlNumber = file.crlNumber
        }
        self.ledger = Mutex(ledger)
    }

    /// See ``RevocationStore/recordIssued(_:)``.
    public func recordIssued(_ record: IssuedCertificateRecord) throws(TrustCAError) {
        try self.ledger.withLock { (ledger: inout RevocationLedger) throws(TrustCAError) in
            var next = ledger
            try next.recordIssued(record)
            try self.saveIssued(next)
            ledger = next
        }
    }

    /// See ``RevocationStore/issued(serialHex:)``.
    public func issued(serialHex: String) -> IssuedCertificateRecord? {
        guard let serial = SerialHex.normalise(serialHex) else { return nil }
        return self.ledger.withLock { $0.issued[serial] }
    }

    /// See ``RevocationStore/revoke(serialHex:reason:at:)``.
    public func revoke(
        serialHex: String,
        reason: RevocationReason,
        at date: Date
    ) throws(TrustCAError) -> RevokedCertificateRecord {
        try self.ledger.withLock { (ledger: inout RevocationLedger) throws(TrustCAError) in
            var next = ledger
            let (record, changed) = try next.revoke(serialHex: serialHex, reason: reason, at: date)
            if changed {
                try self.saveRevoked(next)
                ledger = next
            }
            return record
        }
    }

    /// See ``RevocationStore/revoked()``.
    public func revoked() -> [RevokedCertificateRecord] {
        self.ledger.withLock { $0.revoked }
    }

    /// See ``RevocationStore/nextCRLNumber()``; persisted before it is returned.
    public func nextCRLNumber() throws(TrustCAError) -> UInt64 {
        try self.ledger.withLock { (ledger: inout RevocationLedger) throws(TrustCAError) in
            var next = ledger
            let number = next.advanceCRLNumber()
            try self.saveRevoked(next)
            ledger = next
            return number
        }
    }

    private func saveIssued(_ ledger: RevocationLedger) throws(TrustCAError) {
        let records = ledger.issued.values.sorted { ($0.issuedAt, $0.serialHex) < ($1.issuedAt, $1.serialHex) }
        try SecureFile.writeAtomically(
            try Self.encode(records, path: self.issuedPath), to: self.issuedPath, mode: SecureFile.privateMode)
    }

    private func saveRevoked(_ ledger: RevocationLedger) throws(TrustCAError) {
        let file = RevokedFile(crlNumber: ledger.crlNumber, revoked: ledger.revoked)
        try SecureFile.writeAtomically(
            try Self.encode(file, path: self.revokedPath), to: self.revokedPath, mode: SecureFile.privateMode)
    }

    private static func encode<Value: Encodable>(_ value: Value, path: String) throws(TrustCAError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
        } catch {
            throw .ioFailure(reason: "cannot encode \(path): \(error)")
        }
    }

    private static func decode<Value: Decodable>(_ text: String, path: String) throws(TrustCAError) -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(Value.self, from: Data(text.utf8))
        } catch {
            throw .ioFailure(reason: "cannot parse \(path): \(error)")
        }
    }
}
