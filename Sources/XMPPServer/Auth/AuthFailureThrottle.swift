import NIOConcurrencyHelpers

/// Slows down password guessing: after a few failed SASL attempts from one address, every further failure
/// answer is delayed, doubling up to a cap (RFC 6120 §13.9.2 recommends rate-limiting authentication attempts).
///
/// The policy itself is a pure value (``Policy``); this class adds the shared, lock-protected table.
public final class AuthFailureThrottle: Sendable {
    /// The pure policy: failures counted in a sliding window, delays growing from a base to a cap.
    public struct Policy: Sendable, Equatable {
        /// Failures tolerated without delay.
        public var freeFailures: Int
        /// The first delay, in seconds.
        public var baseDelay: Double
        /// The longest delay, in seconds.
        public var maxDelay: Double
        /// How long a failure is remembered, in seconds.
        public var window: Double

        /// Defaults: 3 free failures, then 0.5 s doubling to 8 s, remembered 5 minutes.
        public init(freeFailures: Int = 3, baseDelay: Double = 0.5, maxDelay: Double = 8, window: Double = 300) {
            self.freeFailures = freeFailures
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
            self.window = window
        }

        /// The delay for the `failures`-th failure in the window.
        public func delay(afterFailures failures: Int) -> Double {
            guard failures > self.freeFailures else { return 0 }
            let exponent = min(failures - self.freeFailures - 1, 30)
            return min(self.maxDelay, self.baseDelay * Double(1 << exponent))
        }
    }

    private struct Entry {
        var failures: Int
        var lastFailure: Double
    }

    /// The policy in force.
    public let policy: Policy
    private let table = NIOLockedValueBox<[String: Entry]>([:])
    private let maxEntries: Int

    /// Creates a throttle; the table forgets its oldest addresses beyond `maxEntries`.
    public init(policy: Policy = Policy(), maxEntries: Int = 65_536) {
        self.policy = policy
        self.maxEntries = maxEntries
    }

    /// Records a failure from `address` at time `now` (seconds, any monotonic origin); returns the delay to apply.
    public func recordFailure(from address: String, now: Double) -> Double {
        self.table.withLockedValue { table in
            var entry = table[address] ?? Entry(failures: 0, lastFailure: now)
            if now - entry.lastFailure > self.policy.window { entry.failures = 0 }
            entry.failures += 1
            entry.lastFailure = now
            if table.count >= self.maxEntries, table[address] == nil {
                table = table.filter { now - $0.value.lastFailure <= self.policy.window }
                if table.count >= self.maxEntries { table.removeAll() }
            }
            table[address] = entry
            return self.policy.delay(afterFailures: entry.failures)
        }
    }

    /// Forgets an address after a successful login.
    public func recordSuccess(from address: String) {
        _ = self.table.withLockedValue { $0.removeValue(forKey: address) }
    }
}
