import Foundation
import SwiftASN1
import X509

/// Encodes and signs an RFC 5280 §5 CertificateList (a v2 CRL) with SwiftASN1.
///
/// swift-certificates has no CRL types, so the structure is written by hand:
///
/// ```
/// CertificateList ::= SEQUENCE { tbsCertList TBSCertList, signatureAlgorithm AlgorithmIdentifier,
///                                signatureValue BIT STRING }
/// TBSCertList ::= SEQUENCE { version Version (v2), signature AlgorithmIdentifier, issuer Name,
///     thisUpdate Time, nextUpdate Time, revokedCertificates SEQUENCE OF SEQUENCE {
///         userCertificate CertificateSerialNumber, revocationDate Time, crlEntryExtensions Extensions OPTIONAL
///     } OPTIONAL, crlExtensions [0] EXPLICIT Extensions }
/// ```
///
/// The CRL carries the authorityKeyIdentifier (§5.2.1) and cRLNumber (§5.2.3) extensions, both non-critical; each
/// entry carries a reasonCode (§5.3.1) unless the reason is `unspecified`. An empty list omits
/// `revokedCertificates` entirely, as §5.1.2.6 requires.
public struct CRLBuilder: Sendable {
    /// The issuing CA's subject, the CRL issuer (RFC 5280 §5.1.2.3).
    public var issuer: DistinguishedName
    /// The issuing CA's subjectKeyIdentifier (RFC 5280 §5.2.1).
    public var authorityKeyIdentifier: [UInt8]
    /// The monotonically increasing cRLNumber (RFC 5280 §5.2.3).
    public var crlNumber: UInt64
    /// Issue time (RFC 5280 §5.1.2.4).
    public var thisUpdate: Date
    /// Date by which the next CRL will be issued (RFC 5280 §5.1.2.5).
    public var nextUpdate: Date
    /// The revoked certificates, in order.
    public var entries: [RevokedCertificateRecord]

    /// Creates a builder.
    public init(
        issuer: DistinguishedName,
        authorityKeyIdentifier: [UInt8],
        crlNumber: UInt64,
        thisUpdate: Date,
        nextUpdate: Date,
        entries: [RevokedCertificateRecord]
    ) {
        self.issuer = issuer
        self.authorityKeyIdentifier = authorityKeyIdentifier
        self.crlNumber = crlNumber
        self.thisUpdate = thisUpdate
        self.nextUpdate = nextUpdate
        self.entries = entries
    }

    /// The DER CertificateList signed with `key` (ecdsa-with-SHA256/384 or sha256WithRSAEncryption by key type).
    public func build(signingKey key: Certificate.PrivateKey) throws(TrustCAError) -> [UInt8] {
        guard let algorithm = SigningAlgorithm(key: key) else {
            throw .invalidKey(reason: "CRLs can be signed only with P-256, P-384 or RSA keys, not \(key)")
        }
        do {
            let tbs = try self.tbsCertList(algorithm: algorithm)
            let signature = try key.sign(bytes: tbs, signatureAlgorithm: algorithm.signatureAlgorithm)
            var coder = DER.Serializer()
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                coder.serializeRawBytes(tbs)
                try algorithm.serialize(into: &coder)
                try coder.serialize(ASN1BitString(bytes: signature.rawRepresentation[...]))
            }
            return coder.serializedBytes
        } catch let error as TrustCAError {
            throw error
        } catch {
            throw .issuanceFailed(reason: "cannot encode or sign the CRL: \(error)")
        }
    }

    /// The DER TBSCertList.
    func tbsCertList(algorithm: SigningAlgorithm) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)  // v2
            try algorithm.serialize(into: &coder)
            try coder.serialize(self.issuer)
            try Self.serialize(time: self.thisUpdate, into: &coder)
            try Self.serialize(time: self.nextUpdate, into: &coder)
            if !self.entries.isEmpty {
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    for entry in self.entries {
                        try Self.serialize(entry: entry, into: &coder)
                    }
                }
            }
            let extensions = [
                try AuthorityKeyIdentifier(keyIdentifier: self.authorityKeyIdentifier[...])
                    .makeCertificateExtension(),
                Certificate.Extension(
                    oid: Self.crlNumberOID, critical: false, value: Self.der(integer: self.crlNumber)),
            ]
            try coder.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) {
                coder in
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    for ext in extensions {
                        try coder.serialize(ext)
                    }
                }
            }
        }
        return coder.serializedBytes
    }

    /// id-ce-cRLNumber (RFC 5280 §5.2.3).
    static let crlNumberOID: ASN1ObjectIdentifier = [2, 5, 29, 20]
    /// id-ce-cRLReasons (RFC 5280 §5.3.1).
    static let reasonCodeOID: ASN1ObjectIdentifier = [2, 5, 29, 21]

    private static func serialize(entry: RevokedCertificateRecord, into coder: inout DER.Serializer) throws {
        guard let serial = SerialHex.bytes(entry.serialHex) else {
            throw TrustCAError.invalidCertificate(reason: "stored serial \(entry.serialHex) is not hex")
        }
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            Self.serialize(unsignedInteger: serial, into: &coder)
            try Self.serialize(time: entry.revocationDate, into: &coder)
            if entry.reason != .unspecified {
                // CRLReason ::= ENUMERATED; tag 0x0A, one content octet for every assigned value.
                let reasonCode: [UInt8] = [0x0A, 0x01, UInt8(entry.reason.rawValue)]
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    try coder.serialize(
                        Certificate.Extension(oid: Self.reasonCodeOID, critical: false, value: reasonCode[...]))
                }
            }
        }
    }

    /// Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }: UTCTime through 2049, GeneralizedTime
    /// from 2050, whole seconds in UTC (RFC 5280 §5.1.2.4).
    static func serialize(time: Date, into coder: inout DER.Serializer) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: time)
        let (year, month, day) = (parts.year!, parts.month!, parts.day!)
        let (hours, minutes, seconds) = (parts.hour!, parts.minute!, parts.second!)
        if (1950...2049).contains(year) {
            try coder.serialize(
                UTCTime(year: year, month: month, day: day, hours: hours, minutes: minutes, seconds: seconds))
        } else {
            try coder.serialize(
                GeneralizedTime(
                    year: year, month: month, day: day, hours: hours, minutes: minutes, seconds: seconds,
                    fractionalSeconds: 0))
        }
    }

    private static func der(integer: UInt64) -> ArraySlice<UInt8> {
        var coder = DER.Serializer()
        var bytes: [UInt8] = []
        var value = integer
        repeat {
            bytes.insert(UInt8(value & 0xFF), at: 0)
            value >>= 8
        } while value > 0
        Self.serialize(unsignedInteger: bytes, into: &coder)
        return coder.serializedBytes[...]
    }

    /// A non-negative INTEGER from its big-endian magnitude: a 0x00 octet is prepended when the top bit is set,
    /// so the value stays positive (X.690 §8.3.2, RFC 5280 §4.1.2.2).
    static func serialize(unsignedInteger magnitude: [UInt8], into coder: inout DER.Serializer) {
        let trimmed = magnitude.drop { $0 == 0 }
        coder.appendPrimitiveNode(identifier: .integer) { bytes in
            if trimmed.isEmpty {
                bytes.append(0)
            } else {
                if trimmed.first! & 0x80 != 0 { bytes.append(0) }
                bytes.append(contentsOf: trimmed)
            }
        }
    }
}
