import Foundation

/// Just enough of a DER reader (ITU-T X.690 §8, §10) to find a certificate's serial number and `notAfter`
/// (RFC 5280 §4.1): the registry must not depend on the CA's X.509 library, and these two fields sit at fixed
/// positions at the start of `tbsCertificate`.
enum CertificateDER {
    /// The two indexed fields of a certificate.
    struct Fields {
        /// Canonical lower-case hex of the serial (RFC 5280 §4.1.2.2).
        var serialHex: String
        /// The end of validity (RFC 5280 §4.1.2.5).
        var notAfter: Date
    }

    private static let sequence: UInt8 = 0x30
    private static let integer: UInt8 = 0x02
    private static let explicitVersion: UInt8 = 0xA0
    private static let utcTime: UInt8 = 0x17
    private static let generalizedTime: UInt8 = 0x18

    /// Parses `Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber INTEGER,
    /// signature, issuer, validity SEQUENCE { notBefore, notAfter }, … }, … }` (RFC 5280 §4.1).
    static func parse(_ der: [UInt8]) throws(RegistryError) -> Fields {
        var outer = Reader(der[...])
        var certificate = Reader(try outer.read(Self.sequence))
        guard outer.isAtEnd else { throw Self.invalid("trailing bytes after the certificate") }
        var tbs = Reader(try certificate.read(Self.sequence))
        if tbs.peek == Self.explicitVersion { _ = try tbs.read(Self.explicitVersion) }
        let serial = try tbs.read(Self.integer)
        guard let first = serial.first, first & 0x80 == 0 else { throw Self.invalid("a negative or empty serial") }
        let serialHex = IssuedCertificateRef.hex(serial)
        guard !serialHex.isEmpty, serialHex.count <= 40 else {
            throw Self.invalid("a serial that is zero or longer than 20 octets")
        }
        _ = try tbs.read(Self.sequence)  // signature AlgorithmIdentifier
        _ = try tbs.read(Self.sequence)  // issuer Name
        var validity = Reader(try tbs.read(Self.sequence))
        _ = try validity.readTime()  // notBefore
        let notAfter = try validity.readTime()
        return Fields(serialHex: serialHex, notAfter: notAfter)
    }

    static func invalid(_ what: String) -> RegistryError {
        .invalidCertificate(reason: "not a DER X.509 certificate (RFC 5280 §4.1): \(what)")
    }

    /// A cursor over DER TLVs with single-octet tags and definite lengths (X.690 §10.1).
    struct Reader {
        private var bytes: ArraySlice<UInt8>

        init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

        var isAtEnd: Bool { self.bytes.isEmpty }
        var peek: UInt8? { self.bytes.first }

        /// Reads one TLV with tag `tag` and returns its contents.
        mutating func read(_ tag: UInt8) throws(RegistryError) -> ArraySlice<UInt8> {
            guard let actual = self.bytes.popFirst() else { throw CertificateDER.invalid("truncated") }
            guard actual == tag else {
                throw CertificateDER.invalid(
                    "expected tag 0x\(String(tag, radix: 16)), found 0x\(String(actual, radix: 16))")
            }
            guard let first = self.bytes.popFirst() else { throw CertificateDER.invalid("truncated length") }
            var length = 0
            if first < 0x80 {
                length = Int(first)
            } else {
                let count = Int(first & 0x7F)
                guard (1...4).contains(count), self.bytes.count >= count else {
                    throw CertificateDER.invalid("unsupported length")
                }
                for _ in 0..<count { length = length << 8 | Int(self.bytes.popFirst()!) }
            }
            guard self.bytes.count >= length else { throw CertificateDER.invalid("truncated contents") }
            let contents = self.bytes.prefix(length)
            self.bytes = self.bytes.dropFirst(length)
            return contents
        }

        /// Reads a `Time`: UTCTime `YYMMDDHHMMSSZ` (years 1950–2049) or GeneralizedTime `YYYYMMDDHHMMSSZ`
        /// (RFC 5280 §4.1.2.5.1, §4.1.2.5.2).
        mutating func readTime() throws(RegistryError) -> Date {
            let isUTC = self.peek == CertificateDER.utcTime
            let text = try self.read(isUTC ? CertificateDER.utcTime : CertificateDER.generalizedTime)
            let digits = Array(text.dropLast())
            guard text.last == UInt8(ascii: "Z"), digits.count == (isUTC ? 12 : 14),
                digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            else { throw CertificateDER.invalid("a malformed validity time") }
            var values = stride(from: 0, to: digits.count, by: 2).map {
                Int(digits[$0] - UInt8(ascii: "0")) * 10 + Int(digits[$0 + 1] - UInt8(ascii: "0"))
            }
            let year = isUTC ? (values[0] >= 50 ? 1900 : 2000) + values[0] : values[0] * 100 + values[1]
            if !isUTC { values.removeFirst() }
            let (month, day, hour, minute, second) = (values[1], values[2], values[3], values[4], values[5])
            guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else {
                throw CertificateDER.invalid("a validity time out of range")
            }
            let days = Self.daysFromCivil(year: year, month: month, day: day)
            return Date(timeIntervalSince1970: TimeInterval(((days * 24 + hour) * 60 + minute) * 60 + second))
        }

        /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's `days_from_civil`).
        private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            return era * 146_097 + dayOfEra - 719_468
        }
    }
}
