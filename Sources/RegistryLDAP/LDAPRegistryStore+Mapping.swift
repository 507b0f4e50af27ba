import Foundation
import Registry
import XMPPCore

/// Names from `schemas/intercloud.schema` and the standard schema (RFC 4519, RFC 4523) the store reads and writes.
enum LDAPSchema {
    /// The structural class of a cloud entry (`IcRoot:2.1`).
    static let cloudClass = "icCloud"
    /// The auxiliary class that allows `userCertificate;binary` (RFC 4523 §4.4).
    static let pkiUserClass = "pkiUser"
    /// The naming attribute of cloud entries, `cn=NAME` (RFC 4519 §2.3).
    static let commonName = "cn"
    static let cloudName = "icCloudName"
    static let endpoint = "icEndpoint"
    static let trustLevel = "icTrustLevel"
    static let status = "icStatus"
    static let contact = "icContact"
    static let created = "icCreated"
    static let updated = "icUpdated"
    static let scramCredential = "icScramCredential"
    /// Serials of the certificates in `userCertificate;binary`, canonical lower-case hex (`IcRoot:1.10`).
    static let certificateSerial = "icCertificateSerial"
    /// Certificates issued to a cloud, DER with the binary option (RFC 4523 §2.1, RFC 4522 §2).
    static let userCertificate = "userCertificate;binary"
    /// The RDN value of the CA entry, `cn=ca,BASE`.
    static let caName = "ca"
    /// The structural class of the CA entry: an application process named by `cn` (RFC 4519 §3.2).
    static let caStructuralClass = "applicationProcess"
    /// The auxiliary class that allows the CA attributes (RFC 4523 §3.2).
    static let pkiCAClass = "pkiCA"
    /// The CA's certificates, DER (RFC 4523 §2.2).
    static let caCertificate = "cACertificate;binary"
    /// The CA's current CRL, DER `CertificateList` (RFC 4523 §2.5, RFC 5280 §5.1).
    static let revocationList = "certificateRevocationList;binary"

    /// The attributes a search requests: everything ``CloudEntry`` needs, and nothing else (no certificates).
    static let entryAttributes = [
        cloudName, endpoint, trustLevel, status, contact, created, updated, scramCredential,
    ]
}

extension LDAPRegistryStore {
    /// The DN of a cloud: `cn=NAME,ou=clouds,BASE` (CONTRACT §6).
    ///
    /// A ``CloudName`` holds only `a-z 0-9 -`, none of which needs escaping in a DN string (RFC 4514 §2.4).
    func dn(of name: CloudName) -> String {
        "\(LDAPSchema.commonName)=\(name.rawValue),\(self.cloudsDN)"
    }

    /// The attributes of a new entry (RFC 4511 §4.7): `icCloud` + `pkiUser`, the RDN value and every field.
    static func addAttributes(for entry: CloudEntry) -> [LDAPModification] {
        [
            LDAPModification(.add, "objectClass", [LDAPSchema.cloudClass, LDAPSchema.pkiUserClass]),
            LDAPModification(.add, LDAPSchema.commonName, [entry.name.rawValue]),
        ] + Self.fields(of: entry, as: .add).filter { !$0.values.isEmpty }
    }

    /// A modify request replacing every field (RFC 4511 §4.6); empty fields are deleted by an empty `replace`,
    /// other attributes such as `userCertificate;binary` are left alone.
    static func replaceChanges(for entry: CloudEntry) -> [LDAPModification] {
        Self.fields(of: entry, as: .replace)
    }

    private static func fields(of entry: CloudEntry, as operation: LDAPModification.Operation) -> [LDAPModification] {
        [
            LDAPModification(operation, LDAPSchema.cloudName, [entry.name.rawValue]),
            LDAPModification(operation, LDAPSchema.endpoint, entry.endpoints),
            LDAPModification(operation, LDAPSchema.trustLevel, ["\(entry.trustLevel)"]),
            LDAPModification(operation, LDAPSchema.status, [entry.status.rawValue]),
            // A Directory String cannot be empty (RFC 4517 §3.3.6): an empty contact is stored as none.
            LDAPModification(operation, LDAPSchema.contact, entry.contact.map { $0.isEmpty ? [] : [$0] } ?? []),
            LDAPModification(operation, LDAPSchema.created, [GeneralizedTime.format(entry.createdAt)]),
            LDAPModification(operation, LDAPSchema.updated, [GeneralizedTime.format(entry.updatedAt)]),
            LDAPModification(operation, LDAPSchema.scramCredential, entry.credentials.map(\.ldapValue)),
        ]
    }

    /// Reads a cloud back from a search result entry.
    ///
    /// Lenient where an administrator may have created the entry by hand: a missing trust level reads as 0, a
    /// missing status as active, missing timestamps as the Unix epoch, and unknown SCRAM mechanisms are skipped.
    /// Values that are present but malformed are a ``RegistryError/Code/storageFailure`` naming the DN.
    static func cloudEntry(from ldap: LDAPEntry) throws(RegistryError) -> CloudEntry {
        func corrupt(_ what: String) -> RegistryError {
            .storageFailure(reason: "LDAP entry '\(ldap.dn)' has \(what)")
        }
        guard let rawName = ldap.string(LDAPSchema.cloudName) else { throw corrupt("no \(LDAPSchema.cloudName)") }
        let name: CloudName
        do {
            name = try CloudName(rawName)
        } catch {
            throw corrupt("an invalid \(LDAPSchema.cloudName): \(error.reason)")
        }
        var trustLevel = 0
        if let raw = ldap.string(LDAPSchema.trustLevel) {
            guard let value = Int(raw) else { throw corrupt("a non-integer \(LDAPSchema.trustLevel) '\(raw)'") }
            trustLevel = value
        }
        var status = CloudStatus.active
        if let raw = ldap.string(LDAPSchema.status) {
            guard let value = CloudStatus(rawValue: raw.lowercased()) else {
                throw corrupt("an unknown \(LDAPSchema.status) '\(raw)'")
            }
            status = value
        }
        func date(_ attribute: String) throws(RegistryError) -> Date {
            guard let raw = ldap.string(attribute) else { return Date(timeIntervalSince1970: 0) }
            guard let value = GeneralizedTime.parse(raw) else { throw corrupt("a malformed \(attribute) '\(raw)'") }
            return value
        }
        let createdAt = try date(LDAPSchema.created)
        let updatedAt = try date(LDAPSchema.updated)
        let credentials = ldap.strings(LDAPSchema.scramCredential).compactMap(SCRAMCredentials.init(ldapValue:))
        do {
            return try CloudEntry(
                name: name, endpoints: ldap.strings(LDAPSchema.endpoint), trustLevel: trustLevel, status: status,
                contact: ldap.string(LDAPSchema.contact), createdAt: createdAt, updatedAt: updatedAt,
                credentials: credentials)
        } catch {
            throw corrupt("invalid values: \(error.reason)")
        }
    }
}
