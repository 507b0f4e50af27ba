import Foundation

/// A certificate the CA issued to a cloud, as the registry keeps it: the DER bytes plus the two facts read from
/// them that the registry indexes, the serial number and the end of validity (RFC 5280 §4.1.2.2, §4.1.2.5).
///
/// The serial and `notAfter` are parsed from ``der`` in ``init(der:)`` rather than supplied by the caller, so they
/// can never disagree with the certificate, and every backend — including LDAP, which only stores the DER in
/// `userCertificate;binary` (RFC 4523 §2.1) and the serial in `icCertificateSerial` — reads back the same value.
public struct IssuedCertificateRef: Sendable, Hashable, Codable {
    /// The serial as lower-case hex of its magnitude, leading zero octets removed (the form ``canonicalSerial(_:)``
    /// produces and `icCertificateSerial` holds).
    public let serialHex: String
    /// The DER encoding of the whole certificate (RFC 5280 §4.1).
    public let der: [UInt8]
    /// The end of the validity period (RFC 5280 §4.1.2.5), to whole seconds.
    public let notAfter: Date

    /// Reads the serial and `notAfter` from a DER certificate (RFC 5280 §4.1).
    ///
    /// Only the structure up to `validity` is checked; signatures and extensions are the CA's business. Throws
    /// ``RegistryError/Code/invalidCertificate`` for anything that is not a DER X.509 certificate with a positive
    /// serial of at most 20 octets (RFC 5280 §4.1.2.2).
    public init(der: [UInt8]) throws(RegistryError) {
        let fields = try CertificateDER.parse(der)
        self.der = der
        self.serialHex = fields.serialHex
        self.notAfter = fields.notAfter
    }

    /// The canonical form of a serial typed by a person or taken from a URL: any case, optional `:` separators and
    /// leading zeros are accepted; `nil` if `text` is not hex or longer than 20 octets (RFC 5280 §4.1.2.2).
    public static func canonicalSerial(_ text: String) -> String? {
        var digits = text.lowercased().filter { $0 != ":" }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit && $0.isASCII }) else { return nil }
        while digits.hasPrefix("0") { digits.removeFirst() }
        guard !digits.isEmpty, digits.count <= 40 else { return nil }
        return digits.count % 2 == 1 ? "0" + digits : digits
    }

    /// Lower-case hex of `bytes`, leading zero octets removed: the canonical serial of a DER INTEGER's content.
    static func hex(_ bytes: some Collection<UInt8>) -> String {
        bytes.drop { $0 == 0 }.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    private enum CodingKeys: String, CodingKey {
        case serialHex, der, notAfter
    }

    /// Decodes the DER and re-derives the serial and `notAfter` from it, like ``init(der:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let der = try container.decode([UInt8].self, forKey: .der)
        let parsed: IssuedCertificateRef
        do {
            parsed = try IssuedCertificateRef(der: der)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .der, in: container, debugDescription: "\(error)")
        }
        self = parsed
    }

    /// Encodes all three fields; only ``der`` is read back.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.serialHex, forKey: .serialHex)
        try container.encode(self.der, forKey: .der)
        try container.encode(self.notAfter, forKey: .notAfter)
    }
}
