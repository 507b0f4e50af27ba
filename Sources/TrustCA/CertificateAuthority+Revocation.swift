import Foundation
import SwiftASN1
import Synchronization
import X509

/// Revocation and CRL publication (RFC 5280 §5; `POST /v1/certificates/{serial}/revoke`, `GET /v1/ca/crl`).
extension CertificateAuthority {
    /// Revokes a certificate this CA issued; the next ``currentCRL(now:)`` lists it and
    /// ``validateClientCertificate(chain:expectedJID:now:)`` rejects it at once.
    ///
    /// Revoking an already revoked serial returns the original record (idempotent).
    ///
    /// - Parameters:
    ///   - serialHex: The serial in hex, any case, optional `:` separators and leading zeros.
    ///   - reason: The CRLReason (RFC 5280 §5.3.1); `removeFromCRL` is refused.
    ///   - now: The revocationDate (injected).
    /// - Throws: ``TrustCAError/Code/unknownSerial`` for serials not issued here,
    ///   ``TrustCAError/Code/invalidRevocationReason`` for `removeFromCRL`.
    @discardableResult
    public func revoke(
        serialHex: String,
        reason: RevocationReason = .unspecified,
        now: Date
    ) throws(TrustCAError) -> RevokedCertificateRecord {
        try self.revocations.revoke(serialHex: serialHex, reason: reason, at: now)
    }

    /// The current CRL as DER (`application/pkix-crl`), signed by the issuing intermediate.
    ///
    /// Reused while it is fresh; re-signed with the next cRLNumber (RFC 5280 §5.2.3) when the revocation list
    /// changed, when half of ``crlValidity`` has passed since its thisUpdate (so relying parties never hold an
    /// expired CRL), or when the clock went backwards. nextUpdate is thisUpdate + ``crlValidity``, capped at the
    /// intermediate's notAfter (RFC 5280 §5.1.2.5).
    public func currentCRL(now: Date) throws(TrustCAError) -> [UInt8] {
        let entries = try self.revocations.revoked()
        return try self.crlCache.current(entries: entries, now: now, validity: self.crlValidity) {
            () throws(TrustCAError) -> [UInt8] in
            let thisUpdate = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
            let keyIdentifier = try? self.intermediate.extensions.subjectKeyIdentifier?.keyIdentifier
            let builder = CRLBuilder(
                issuer: self.intermediate.subject,
                authorityKeyIdentifier: Array(
                    keyIdentifier ?? SubjectKeyIdentifier(hash: self.intermediate.publicKey).keyIdentifier),
                crlNumber: try self.revocations.nextCRLNumber(),
                thisUpdate: thisUpdate,
                nextUpdate: min(thisUpdate.addingTimeInterval(self.crlValidity), self.intermediate.notValidAfter),
                entries: entries
            )
            return try builder.build(signingKey: self.intermediatePrivateKey)
        }
    }

    /// ``currentCRL(now:)`` as PEM (`X509 CRL`, RFC 7468 §6), for tools such as `openssl crl`.
    public func currentCRLPEM(now: Date) throws(TrustCAError) -> String {
        let der = try self.currentCRL(now: now)
        return PEMDocument(type: "X509 CRL", derBytes: der).pemString + "\n"
    }

    /// Whether the serial is on the revocation list.
    public func isRevoked(serialHex: String) throws(TrustCAError) -> Bool {
        guard let serial = SerialHex.normalise(serialHex) else { return false }
        return try self.revocations.revoked().contains { $0.serialHex == serial }
    }
}

/// The last signed CRL and what it was built from (thread-safe; shared by copies of the CA).
final class CRLCache: Sendable {
    private struct Entry {
        var der: [UInt8]
        var builtAt: Date
        var entries: [RevokedCertificateRecord]
    }

    private let state = Mutex<Entry?>(nil)

    /// The cached DER if still fresh for `entries` at `now`, else the result of `build` (then cached).
    func current(
        entries: [RevokedCertificateRecord],
        now: Date,
        validity: TimeInterval,
        build: () throws(TrustCAError) -> [UInt8]
    ) throws(TrustCAError) -> [UInt8] {
        try self.state.withLock { (cached: inout Entry?) throws(TrustCAError) -> [UInt8] in
            if let entry = cached, entry.entries == entries, now >= entry.builtAt,
                now.timeIntervalSince(entry.builtAt) < validity / 2
            {
                return entry.der
            }
            let der = try build()
            cached = Entry(der: der, builtAt: now, entries: entries)
            return der
        }
    }
}
