import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A ``RevocationStore`` in the data directory: `DATA/ca/issued.json` (serial → cloud, JID, validity) and
/// `DATA/ca/revoked.json` (revocations and the last cRLNumber, RFC 5280 §5.2.3).
///
/// Both files are JSON, mode 0600, replaced atomically (temporary file, `fsync`, `rename`) after every change, so
/// a crash never leaves a half-written ledger and the cRLNumber never goes backwards. The server and the `intercloud
/// ca` commands share the files: every change happens under an exclusive `flock(2)` on `ca/ledger.lock` on the
/// ledger as it is on disk, so an issuance or revocation made by one process is seen by the other and never
/// overwritten. The files are parsed again only when their identity (inode, size, modification time) changed, since
/// every write replaces them by `rename`.
public final class FileRevocationStore: RevocationStore {
    private let issuedPath: String
    private let revokedPath: String
    private let lockPath: String
    private let ledger: Mutex<Snapshot>

    /// The ledger as last read or written, and the identity of the files it came from.
    private struct Snapshot {
        var ledger: RevocationLedger
        var fingerprint: [FileFingerprint?]
    }

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
        self.lockPath = SecureFile.join(caDirectory, "ledger.lock")
        let fingerprint = [FileFingerprint(self.issuedPath), FileFingerprint(self.revokedPath)]
        let ledger = try Self.load(issuedPath: self.issuedPath, revokedPath: self.revokedPath)
        self.ledger = Mutex(Snapshot(ledger: ledger, fingerprint: fingerprint))
    }

    /// See ``RevocationStore/recordIssued(_:)``.
    public func recordIssued(_ record: IssuedCertificateRecord) throws(TrustCAError) {
        try self.update { (ledger: inout RevocationLedger) throws(TrustCAError) in
            try ledger.recordIssued(record)
            try self.saveIssued(ledger)
        }
    }

    /// See ``RevocationStore/issued(serialHex:)``.
    public func issued(serialHex: String) -> IssuedCertificateRecord? {
        guard let serial = SerialHex.normalise(serialHex) else { return nil }
        return self.current().issued[serial]
    }

    /// See ``RevocationStore/revoke(serialHex:reason:at:)``.
    public func revoke(
        serialHex: String,
        reason: RevocationReason,
        at date: Date
    ) throws(TrustCAError) -> RevokedCertificateRecord {
        try self.update { (ledger: inout RevocationLedger) throws(TrustCAError) in
            let (record, changed) = try ledger.revoke(serialHex: serialHex, reason: reason, at: date)
            if changed { try self.saveRevoked(ledger) }
            return record
        }
    }

    /// See ``RevocationStore/revoked()``.
    public func revoked() -> [RevokedCertificateRecord] {
        self.current().revoked
    }

    /// See ``RevocationStore/nextCRLNumber()``; persisted before it is returned.
    public func nextCRLNumber() throws(TrustCAError) -> UInt64 {
        try self.update { (ledger: inout RevocationLedger) throws(TrustCAError) in
            let number = ledger.advanceCRLNumber()
            try self.saveRevoked(ledger)
            return number
        }
    }

    /// Runs `body` on the ledger as it is on disk now, under the process mutex and the cross-process file lock;
    /// the in-memory copy follows only when `body` (including its writes) succeeded.
    private func update<T>(_ body: (inout RevocationLedger) throws(TrustCAError) -> T) throws(TrustCAError) -> T {
        try self.ledger.withLock { (cached: inout Snapshot) throws(TrustCAError) -> T in
            let lock = try FileLock(path: self.lockPath)
            defer { lock.unlock() }
            var fresh = try self.reloadIfChanged(cached)
            let result = try body(&fresh.ledger)
            fresh.fingerprint = self.fingerprint()
            cached = fresh
            return result
        }
    }

    /// The ledger as on disk, re-read only when another process replaced a file since the last read; the last copy
    /// when the files cannot be read right now.
    private func current() -> RevocationLedger {
        self.ledger.withLock { cached in
            guard let fresh = try? self.reloadIfChanged(cached) else { return cached.ledger }
            cached = fresh
            return fresh.ledger
        }
    }

    private func reloadIfChanged(_ cached: Snapshot) throws(TrustCAError) -> Snapshot {
        let fingerprint = self.fingerprint()
        guard fingerprint != cached.fingerprint else { return cached }
        return Snapshot(
            ledger: try Self.load(issuedPath: self.issuedPath, revokedPath: self.revokedPath), fingerprint: fingerprint)
    }

    private func fingerprint() -> [FileFingerprint?] {
        [FileFingerprint(self.issuedPath), FileFingerprint(self.revokedPath)]
    }

    private static func load(issuedPath: String, revokedPath: String) throws(TrustCAError) -> RevocationLedger {
        var ledger = RevocationLedger()
        if let text = try SecureFile.readString(issuedPath) {
            let records: [IssuedCertificateRecord] = try Self.decode(text, path: issuedPath)
            for record in records {
                ledger.issued[record.serialHex] = record
            }
        }
        if let text = try SecureFile.readString(revokedPath) {
            let file: RevokedFile = try Self.decode(text, path: revokedPath)
            ledger.revoked = file.revoked
            ledger.crlNumber = file.crlNumber
        }
        return ledger
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

/// An exclusive `flock(2)` on a lock file, held until ``unlock()``.
private struct FileLock {
    let descriptor: Int32

    init(path: String) throws(TrustCAError) {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .ioFailure(reason: "cannot open \(path): errno \(errno)") }
        guard flock(descriptor, LOCK_EX) == 0 else {
            close(descriptor)
            throw .ioFailure(reason: "cannot lock \(path): errno \(errno)")
        }
        self.descriptor = descriptor
    }

    func unlock() {
        flock(self.descriptor, LOCK_UN)
        close(self.descriptor)
    }
}

/// A file's identity for change detection: replaced files (atomic `rename`) get a new inode.
private struct FileFingerprint: Equatable {
    var inode: UInt64
    var size: Int64
    var modified: Int
    var modifiedNanoseconds: Int

    /// nil when the file does not exist.
    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.inode = UInt64(info.st_ino)
        self.size = Int64(info.st_size)
        self.modified = Int(info.st_mtim.tv_sec)
        self.modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
