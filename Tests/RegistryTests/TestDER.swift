import Foundation

/// Hand-built DER certificates and CRLs (X.690 §10, RFC 5280 §4.1, §5.1) with chosen serials and dates.
///
/// The signatures are placeholders: the registry and slapd's certificate syntax check (RFC 4523 §2.1) read only
/// the structure, and the test target deliberately does not depend on the CA's X.509 library.
enum TestDER {
    /// The issuer of every test certificate and CRL.
    static let issuer = "Intercloud Test Issuing CA"

    /// A v3 certificate for `CN=subject` with `serial` (magnitude octets) and validity ending at `notAfter`.
    static func certificate(serial: [UInt8], notAfter: Date, subject: String = "alpha") -> [UInt8] {
        let tbs = Self.sequence(
            Self.tlv(0xA0, Self.integer([2])),
            Self.integer(serial),
            Self.ecdsaWithSHA256,
            Self.name(Self.issuer),
            Self.sequence(Self.time(Date(timeIntervalSince1970: 1_700_000_000)), Self.time(notAfter)),
            Self.name(subject),
            Self.sequence(
                Self.sequence(
                    Self.tlv(0x06, [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]),
                    Self.tlv(0x06, [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07])),
                Self.tlv(0x03, [0x00, 0x04] + Array(repeating: 0x11, count: 64))))
        return Self.sequence(tbs, Self.ecdsaWithSHA256, Self.signature)
    }

    /// A v2 CRL by ``issuer`` listing `revoked` serials (RFC 5280 §5.1).
    static func crl(revoked: [[UInt8]], thisUpdate: Date = Date(timeIntervalSince1970: 1_700_000_000)) -> [UInt8] {
        let entries = revoked.map { Self.sequence(Self.integer($0), Self.time(thisUpdate)) }
        let tbs = Self.sequence(
            Self.integer([1]), Self.ecdsaWithSHA256, Self.name(Self.issuer), Self.time(thisUpdate),
            Self.time(thisUpdate.addingTimeInterval(86_400)), Self.sequence(entries.flatMap { $0 }))
        return Self.sequence(tbs, Self.ecdsaWithSHA256, Self.signature)
    }

    /// One TLV with a definite length.
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var length: [UInt8] = []
        if content.count < 0x80 {
            length = [UInt8(content.count)]
        } else {
            var remaining = content.count
            while remaining > 0 {
                length.insert(UInt8(remaining & 0xFF), at: 0)
                remaining >>= 8
            }
            length.insert(0x80 | UInt8(length.count), at: 0)
        }
        return [tag] + length + content
    }

    /// A SEQUENCE of already encoded elements.
    static func sequence(_ elements: [UInt8]...) -> [UInt8] { Self.tlv(0x30, elements.flatMap { $0 }) }

    /// A positive INTEGER from magnitude octets, with the `00` a set high bit needs (X.690 §8.3.2).
    static func integer(_ magnitude: [UInt8]) -> [UInt8] {
        Self.tlv(0x02, (magnitude.first ?? 0x80) & 0x80 != 0 ? [0] + magnitude : magnitude)
    }

    /// UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5).
    static func time(_ date: Date) -> [UInt8] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        let year = Calendar(identifier: .gregorian).dateComponents(in: formatter.timeZone, from: date).year ?? 0
        formatter.dateFormat = year < 2050 ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'"
        return Self.tlv(year < 2050 ? 0x17 : 0x18, Array(formatter.string(from: date).utf8))
    }

    /// `CN=value` as an RDNSequence (RFC 5280 §4.1.2.4).
    static func name(_ value: String) -> [UInt8] {
        Self.sequence(
            Self.tlv(0x31, Self.sequence(Self.tlv(0x06, [0x55, 0x04, 0x03]), Self.tlv(0x0C, Array(value.utf8)))))
    }

    /// AlgorithmIdentifier ecdsa-with-SHA256 (RFC 5758 §3.2).
    static let ecdsaWithSHA256 = Self.sequence(Self.tlv(0x06, [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02]))

    /// A placeholder ECDSA-Sig-Value `{ r 1, s 1 }` in a BIT STRING.
    static let signature = Self.tlv(0x03, [0x00] + Self.sequence(Self.integer([1]), Self.integer([1])))
}
