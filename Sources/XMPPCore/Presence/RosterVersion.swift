/// A roster version: a counter incremented on every roster change, sent as the decimal `ver` string
/// (RFC 6121 §2.6).
///
/// The RFC leaves the format of `ver` to the server and requires only that it change with every modification
/// (RFC 6121 §2.6.1). A strictly monotonic counter also lets the server tell an old client version from a bogus one.
///
/// Protocol, per RFC 6121 §2.6.3: a roster get with `ver` equal to the current version is answered with an
/// empty iq result (no `<query/>`), and any later changes reach the client as ordinary roster pushes, each
/// carrying its new `ver`. Any other `ver` (older, unknown, empty) gets the full roster with the current `ver`.
/// A get without `ver` is from a client that does not use versioning: full roster, and `ver` may be omitted.
public struct RosterVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number of roster modifications so far (RFC 6121 §2.6.1).
    public var counter: UInt64

    /// The version of a roster that has never been modified (RFC 6121 §2.6.1).
    public static let initial = RosterVersion(counter: 0)

    /// Creates a version from its counter.
    public init(counter: UInt64) {
        self.counter = counter
    }

    /// Parses a `ver` string this server produced: a plain decimal number, no sign, no leading zeros
    /// (RFC 6121 §2.6.1). Returns `nil` for anything else, including the empty string.
    public init?(_ string: String) {
        guard !string.isEmpty, string.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            string == "0" || !string.hasPrefix("0"), let counter = UInt64(string)
        else { return nil }
        self.counter = counter
    }

    /// The `ver` attribute value: the counter in decimal (RFC 6121 §2.6.1).
    public var string: String { String(self.counter) }

    /// The same as ``string``.
    public var description: String { self.string }

    /// The version after one more modification; the value every roster push carries (RFC 6121 §2.6.3).
    ///
    /// Saturates at `UInt64.max` rather than trapping.
    public func next() -> RosterVersion {
        RosterVersion(counter: self.counter == .max ? .max : self.counter + 1)
    }

    /// Orders versions by modification count (RFC 6121 §2.6.1).
    public static func < (lhs: RosterVersion, rhs: RosterVersion) -> Bool {
        lhs.counter < rhs.counter
    }

    /// Whether a roster get carrying `clientVersion` must be answered with the full roster (RFC 6121 §2.6.3).
    ///
    /// `false` only when the client's `ver` is exactly the current version: the server then replies with an empty
    /// result and sends later changes as pushes. No `ver`, an empty one, an older one (this server keeps no change
    /// log to replay) or an unknown one all need the full roster.
    public static func needsFullRoster(clientVersion: String?, current: RosterVersion) -> Bool {
        guard let clientVersion, let version = RosterVersion(clientVersion) else { return true }
        return version != current
    }
}
