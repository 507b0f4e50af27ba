import NIOConcurrencyHelpers

/// Caps concurrent connections per remote address, so one host cannot exhaust the server (RFC 6120 §13.12
/// denial of service).
public final class ConnectionLimiter: Sendable {
    /// The most connections one address may hold; 0 disables the limit.
    public let maxPerAddress: Int
    private let counts = NIOLockedValueBox<[String: Int]>([:])

    /// Creates a limiter.
    public init(maxPerAddress: Int) {
        self.maxPerAddress = maxPerAddress
    }

    /// Takes a slot for `address`; false when the address is at its limit.
    public func acquire(_ address: String) -> Bool {
        self.counts.withLockedValue { counts in
            let current = counts[address, default: 0]
            if self.maxPerAddress > 0 && current >= self.maxPerAddress { return false }
            counts[address] = current + 1
            return true
        }
    }

    /// Gives a slot back.
    public func release(_ address: String) {
        self.counts.withLockedValue { counts in
            let current = counts[address, default: 0]
            counts[address] = current > 1 ? current - 1 : nil
        }
    }

    /// Connections currently held by `address`.
    public func count(for address: String) -> Int {
        self.counts.withLockedValue { $0[address, default: 0] }
    }
}
