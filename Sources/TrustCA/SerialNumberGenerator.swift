import X509

/// Generates certificate serial numbers that satisfy RFC 5280 §4.1.2.2.
///
/// RFC 5280 §4.1.2.2 requires a positive INTEGER of at most 20 octets. swift-certificates'
/// `Certificate.SerialNumber()` draws 20 random bytes and only strips leading zeros, so about half of its serials
/// have the top bit set and DER-encode to 21 octets. This generator instead clears bit 7 and sets bit 6 of the first
/// byte, so every serial is positive, exactly 20 octets long and carries 158 bits of entropy (CA/B BR §7.1 asks for
/// at least 64). The same fix is used by Go's crypto/x509.
///
/// Randomness is injected so tests can be deterministic (STYLE: inject time and randomness).
public struct SerialNumberGenerator: Sendable {
    /// The number of octets in every generated serial (RFC 5280 §4.1.2.2 maximum).
    public static let octetCount = 20

    private let randomBytes: @Sendable (Int) -> [UInt8]

    /// Creates a generator drawing its bytes from `randomBytes(count)`.
    ///
    /// - Parameter randomBytes: Returns `count` random bytes; it must use a cryptographically secure source in
    ///   production, since serial unpredictability mitigates hash-collision attacks (RFC 5280 §4.1.2.2).
    public init(randomBytes: @escaping @Sendable (Int) -> [UInt8]) {
        self.randomBytes = randomBytes
    }

    /// A generator backed by the system's cryptographically secure random number generator.
    public static var system: SerialNumberGenerator {
        SerialNumberGenerator { count in
            var generator = SystemRandomNumberGenerator()
            return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
    }

    /// Returns the next serial: 20 octets, positive, with a non-zero first octet (RFC 5280 §4.1.2.2).
    public func next() -> Certificate.SerialNumber {
        Certificate.SerialNumber(bytes: Self.normalise(self.randomBytes(Self.octetCount)))
    }

    /// Pads or truncates `bytes` to ``octetCount`` and forces the first octet into `0x40...0x7F`, so the DER INTEGER
    /// is positive and needs no leading zero (RFC 5280 §4.1.2.2, X.690 §8.3.2).
    static func normalise(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = Array(bytes.prefix(Self.octetCount))
        if bytes.count < Self.octetCount {
            bytes.append(contentsOf: repeatElement(0, count: Self.octetCount - bytes.count))
        }
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        return bytes
    }
}
