/// The name of a registered cloud: 1–63 of `a-z 0-9 -`, not starting or ending with `-` (CONTRACT §3).
///
/// A valid name is also a valid XMPP localpart (RFC 7622 §3.3) and a DNS label (RFC 1035 §2.3.1), so the cloud's
/// address `NAME@domain` never needs escaping. Upper-case input is rejected rather than folded, so that a name has
/// exactly one spelling everywhere it appears (CLI, LDAP, certificates).
public struct CloudName: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The validated name.
    public let rawValue: String

    /// The longest allowed name, the DNS label limit (RFC 1035 §2.3.4).
    public static let maximumLength = 63

    /// Validates `raw` (CONTRACT §3); throws ``RegistryError/Code/invalidName`` otherwise.
    public init(_ raw: String) throws(RegistryError) {
        let bytes = Array(raw.utf8)
        guard !bytes.isEmpty else { throw .invalidName(reason: "a cloud name cannot be empty") }
        guard bytes.count <= Self.maximumLength else {
            throw .invalidName(reason: "a cloud name has at most \(Self.maximumLength) characters")
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                continue
            default:
                throw .invalidName(reason: "a cloud name may contain only a-z, 0-9 and '-'")
            }
        }
        guard bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else {
            throw .invalidName(reason: "a cloud name cannot start or end with '-'")
        }
        self.rawValue = raw
    }

    /// Decodes a single string, validating it like ``init(_:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            try self.init(raw)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.reason)
        }
    }

    /// Encodes the name as a single string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }

    /// Orders names by their raw value, the order ``RegistryStore/list()`` returns.
    public static func < (lhs: CloudName, rhs: CloudName) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The raw name.
    public var description: String { self.rawValue }
}
