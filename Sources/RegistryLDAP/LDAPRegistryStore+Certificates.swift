@preconcurrency import CLDAP
import Registry

/// Issued certificates on cloud entries and the CA entry `cn=ca,BASE` (CONTRACT §6, RFC 4523).
///
/// A certificate is two values added in one modify: its DER in `userCertificate;binary` (RFC 4523 §2.1, the
/// binary option of RFC 4522) and its canonical serial in `icCertificateSerial`, which `caseIgnoreMatch`
/// (RFC 4517 §4.2.11) makes searchable with a plain equality filter. Deleting the entry deletes both.
extension LDAPRegistryStore {
    /// Adds the DER and the serial to `cn=NAME,ou=clouds,BASE` (RFC 4511 §4.6 `add`); `noSuchObject` becomes
    /// ``RegistryError/Code/notFound``, a serial already present anywhere ``RegistryError/Code/alreadyExists``.
    public func addCertificate(_ certificate: IssuedCertificateRef, to name: CloudName) async throws(RegistryError) {
        try await self.prepare()
        let dn = self.dn(of: name)
        let base = self.cloudsDN
        let filter = LDAPFilter.equal(LDAPSchema.certificateSerial, certificate.serialHex).description
        let changes = [
            LDAPModification(.add, LDAPSchema.userCertificate, octets: [certificate.der]),
            LDAPModification(.add, LDAPSchema.certificateSerial, [certificate.serialHex]),
        ]
        let added = try await self.perform { connection throws(LDAPOperationError) -> Bool in
            guard try connection.search(base: base, scope: .oneLevel, filter: filter, attributes: ["1.1"]).isEmpty
            else { return false }
            do throws(LDAPOperationError) {
                try connection.modify(dn: dn, changes: changes)
                return true
            } catch  where error.resultCode == LDAP_TYPE_OR_VALUE_EXISTS {
                return false
            }
        }
        guard added else {
            throw .alreadyExists(reason: "a certificate with serial \(certificate.serialHex) is already recorded")
        }
    }

    /// A one-level search for `(&(objectClass=icCloud)(icCertificateSerial=HEX))` (RFC 4515, value escaped).
    public func entry(forCertificateSerial serialHex: String) async throws(RegistryError) -> CloudEntry? {
        guard let serial = IssuedCertificateRef.canonicalSerial(serialHex) else { return nil }
        try await self.prepare()
        let base = self.cloudsDN
        let filter = LDAPFilter.and([
            .equal("objectClass", LDAPSchema.cloudClass), .equal(LDAPSchema.certificateSerial, serial),
        ]).description
        let found = try await self.perform { connection throws(LDAPOperationError) in
            try connection.search(
                base: base, scope: .oneLevel, filter: filter, attributes: LDAPSchema.entryAttributes)
        }
        return try found.first.map { (ldap) throws(RegistryError) in try Self.cloudEntry(from: ldap) }
    }

    /// Reads `userCertificate;binary` of the cloud's entry (a base-scope search); values that are not DER
    /// certificates (added by hand) are skipped and logged. `noSuchObject` becomes ``RegistryError/Code/notFound``.
    public func certificates(of name: CloudName) async throws(RegistryError) -> [IssuedCertificateRef] {
        try await self.prepare()
        let dn = self.dn(of: name)
        let filter = LDAPFilter.equal("objectClass", LDAPSchema.cloudClass).description
        let found = try await self.perform { connection throws(LDAPOperationError) in
            try connection.search(base: dn, scope: .base, filter: filter, attributes: [LDAPSchema.userCertificate])
        }
        guard let ldap = found.first else { throw .notFound(reason: "cloud '\(name)' is not registered") }
        var certificates: [IssuedCertificateRef] = []
        for der in ldap.attributes[LDAPSchema.userCertificate.lowercased()] ?? [] {
            do {
                certificates.append(try IssuedCertificateRef(der: der))
            } catch {
                self.logger.info(
                    "skipping an unreadable userCertificate value",
                    metadata: [LDAPClient.MetadataKey.dn: "\(dn)", LDAPClient.MetadataKey.error: "\(error)"])
            }
        }
        return certificates.sorted(by: Self.certificateOrder)
    }

    /// Replaces `cACertificate;binary` and `certificateRevocationList;binary` of `cn=ca,BASE` (RFC 4523 §2.2,
    /// §2.5), creating the entry as `applicationProcess` + `pkiCA` (RFC 4519 §3.2, RFC 4523 §3.2) if it is missing.
    public func publishCA(certificates: [[UInt8]], crl: [UInt8]) async throws(RegistryError) {
        try await self.prepare()
        let dn = "\(LDAPSchema.commonName)=\(LDAPSchema.caName),\(self.baseDN)"
        let changes = [
            LDAPModification(.replace, LDAPSchema.caCertificate, octets: certificates),
            LDAPModification(.replace, LDAPSchema.revocationList, octets: crl.isEmpty ? [] : [crl]),
        ]
        let attributes =
            [
                LDAPModification(.add, "objectClass", [LDAPSchema.caStructuralClass, LDAPSchema.pkiCAClass]),
                LDAPModification(.add, LDAPSchema.commonName, [LDAPSchema.caName]),
            ] + changes.map { LDAPModification(.add, $0.attribute, octets: $0.values) }.filter { !$0.values.isEmpty }
        try await self.perform { connection throws(LDAPOperationError) in
            do throws(LDAPOperationError) {
                try connection.modify(dn: dn, changes: changes)
            } catch  where error.resultCode == LDAP_NO_SUCH_OBJECT {
                do throws(LDAPOperationError) {
                    try connection.add(dn: dn, attributes: attributes)
                } catch  where error.resultCode == LDAP_ALREADY_EXISTS {
                    // Created concurrently by another publisher: replace its values with ours.
                    try connection.modify(dn: dn, changes: changes)
                }
            }
        }
        self.logger.info("published the CA certificates and CRL", metadata: [LDAPClient.MetadataKey.dn: "\(dn)"])
    }
}
