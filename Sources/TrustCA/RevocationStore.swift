import Foundation
import Synchronization

/// A certificate this CA issued (kept so revocation can refuse foreign serials, RFC 5280 §5.3).
public struct IssuedCertificateRecord: Codable, Sendable, Hashable {
    /// Canonical serial hex (lower case, no leading zero octets).
    public var serialHex: String
    /// The cloud the certificate was issued to.
    public var cloudName: String
    /// The bare JID in its xmppAddr SAN (RFC 6120 §13.7.1.4).
    public var jid: String
    /// Start of validity (issuance time).
    public var issuedAt: Date
    /// End of validity (RFC 5280 §4.1.2.5).
    public var notAfter: Date

    /// Creates a record.
    public init(serialHex: String, cloudName: String, jid: String, issuedAt: Date, notAfter: Date) {
        self.serialHex = serialHex
        self.cloudName = cloudName
        self.jid = jid
        self.issuedAt = issuedAt
        self.notAfter = notAfter
    }
}

/// A revoked certificate: one `revokedCertificates` entry of the CRL (RFC 5280 §5.1.2.6, §5.3.1).
public struct RevokedCertificateRecord: Codable, Sendable, Hashable {
    /// Canonical serial hex.
    public var serialHex: String
    /// The reasonCode (omitted from the CRL when ``RevocationReason/unspecified``).
    public var reason: RevocationReason
    /// The revocationDate.
    public var revocationDate: Date
    /// The cloud the certificate belonged to.
    public var cloudName: String

    /// Creates a record.
    public init(serialHex: String, reason: RevocationReason, revocationDate: Date, cloudName: String) {
        self.serialHex = serialHex
        self.reason = reason
        self.revocationDate = revocationDate
        self.cloudName = cloudName
    }
}

/// Where the CA keeps issued serials, revocations and the CRL number (STYLE: storage behind a protocol with an
/// in-memory twin). Implementations must be safe to call from any thread.
public protocol RevocationStore: Sendable {
    /// Remembers an issued certificate.
    func recordIssued(_ record: IssuedCertificateRecord) throws(TrustCAError)
    /// The issued certificate with canonical serial `serialHex`, if any.
    func issued(serialHex: String) throws(TrustCAError) -> IssuedCertificateRecord?
    /// Revokes an issued certificate; revoking it again returns the first record unchanged.
    /// Throws ``TrustCAError/Code/unknownSerial`` for serials this CA did not issue.
    func revoke(serialHex: String, reason: RevocationReason, at date: Date) throws(TrustCAError)
        -> RevokedCertificateRecord
    /// Every revocation, oldest first.
    func revoked() throws(TrustCAError) -> [RevokedCertificateRecord]
    /// Advances and returns the cRLNumber: strictly increasing across calls and restarts (RFC 5280 §5.2.3).
    func nextCRLNumber() throws(TrustCAError) -> UInt64
}

/// The pure state behind every ``RevocationStore``: the stores only add locking and persistence.
package struct RevocationLedger: Sendable, Equatable {
    /// Issued certificates by canonical serial.
    package var issued: [String: IssuedCertificateRecord] = [:]
    /// Revocations, oldest first.
    package var revoked: [RevokedCertificateRecord] = []
    /// The last cRLNumber handed out (0: none yet).
    package var crlNumber: UInt64 = 0

    package init() {}

    /// Records `record`, replacing nothing: serials are unique (RFC 5280 §4.1.2.2).
    package mutating func recordIssued(_ record: IssuedCertificateRecord) throws(TrustCAError) {
        guard self.issued[record.serialHex] == nil else {
            throw .issuanceFailed(reason: "serial \(record.serialHex) was already issued")
        }
        self.issued[record.serialHex] = record
    }

    /// Revokes `serialHex`; returns the record and whether the ledger changed.
    package mutating func revoke(
        serialHex: String,
        reason: RevocationReason,
        at date: Date
    ) throws(TrustCAError) -> (RevokedCertificateRecord, changed: Bool) {
        guard reason != .removeFromCRL else {
            throw .invalidRevocationReason(reason: "removeFromCRL is only valid in delta CRLs (RFC 5280 §5.3.1)")
        }
        guard let serial = SerialHex.normalise(serialHex), let issued = self.issued[serial] else {
            throw .unknownSerial(reason: "no certificate with serial \(serialHex) was issued by this CA")
        }
        if let existing = self.revoked.first(where: { $0.serialHex == serial }) {
            return (existing, false)
        }
        // CRL times have whole-second precision (RFC 5280 §5.1.2.4); keep the record identical to what is encoded.
        let seconds = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        let record = RevokedCertificateRecord(
            serialHex: serial, reason: reason, revocationDate: seconds, cloudName: issued.cloudName)
        self.revoked.append(record)
        return (record, true)
    }

    /// Advances the cRLNumber.
    package mutating func advanceCRLNumber() -> UInt64 {
        self.crlNumber += 1
        return self.crlNumber
    }
}

/// A ``RevocationStore`` in memory, for tests and ephemeral servers.
public final class InMemoryRevocationStore: RevocationStore {
    private let ledger = Mutex(RevocationLedger())

    /// Creates an empty store.
    public init() {}

    /// See ``RevocationStore/recordIssued(_:)``.
    public func recordIssued(_ record: IssuedCertificateRecord) throws(TrustCAError) {
        try self.ledger.withLock { (ledger: inout RevocationLedger) throws(TrustCAError) in
            try ledger.recordIssued(record)
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
            try ledger.revoke(serialHex: serialHex, reason: reason, at: date).0
        }
    }

    /// See ``RevocationStore/revoked()``.
    public func revoked() -> [RevokedCertificateRecord] {
        self.ledger.withLock { $0.revoked }
    }

    /// See ``RevocationStore/nextCRLNumber()``.
    public func nextCRLNumber() -> UInt64 {
        self.ledger.withLock { $0.advanceCRLNumber() }
    }
}
