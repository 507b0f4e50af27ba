import Logging
import NIOConcurrencyHelpers

/// Collects the ports each listener reports and logs the one `ready` line (CONTRACT §2) when all have bound.
final class ReadinessTracker: Sendable {
    private struct State {
        var ports: [String: Int] = [:]
        var reported = false
    }

    private let expected: Set<String>
    private let state = NIOLockedValueBox(State())
    private let logger: Logger

    init(expected: Set<String>, logger: Logger) {
        self.expected = expected
        self.logger = logger
    }

    /// Records bound ports; logs `ready` once every expected listener is in.
    func bound(_ ports: [String: Int]) {
        let line: String? = self.state.withLockedValue { state in
            state.ports.merge(ports) { $1 }
            guard !state.reported, self.expected.isSubset(of: state.ports.keys) else { return nil }
            state.reported = true
            return state.ports.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        if let line { self.logger.notice("ready \(line)") }
    }

    /// The ports bound so far.
    var ports: [String: Int] { self.state.withLockedValue { $0.ports } }
}
