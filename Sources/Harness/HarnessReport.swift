import Foundation

/// The outcome of one harness run: pass/fail per step, counts and latency percentiles (issue 6), as JSON for
/// `--json` (``json()``) or text for a terminal (``text()``).
public struct HarnessReport: Sendable, Hashable, Codable {
    /// The run's cloud names are `h<seed>-<runID>-<i>`.
    public var runID: String
    /// The XMPP domain tested (empty when it could not be found out).
    public var domain: String
    /// How many clouds were asked for.
    public var clouds: Int
    /// How many operations were in flight at once.
    public var concurrency: Int
    /// The seed of the generated descriptions.
    public var seed: UInt64
    /// Whether every step passed: no failed operation anywhere.
    public var passed: Bool
    /// From the start of the run to the end of the last step, in milliseconds.
    public var wallTimeMs: Double
    /// The sums over all steps.
    public var totals: Totals
    /// The steps in the order they ran.
    public var steps: [StepReport]

    /// The sums over all steps.
    public struct Totals: Sendable, Hashable, Codable {
        /// Operations attempted or skipped.
        public var operations: Int
        /// Operations that passed.
        public var passed: Int
        /// Operations that failed.
        public var failed: Int
        /// Operations not attempted because the cloud failed an earlier step.
        public var skipped: Int

        /// Creates totals.
        public init(operations: Int, passed: Int, failed: Int, skipped: Int) {
            self.operations = operations
            self.passed = passed
            self.failed = failed
            self.skipped = skipped
        }
    }

    /// Creates a report; ``passed`` and ``totals`` are derived from `steps`.
    public init(
        runID: String, domain: String, clouds: Int, concurrency: Int, seed: UInt64, wallTimeMs: Double,
        steps: [StepReport]
    ) {
        self.runID = runID
        self.domain = domain
        self.clouds = clouds
        self.concurrency = concurrency
        self.seed = seed
        self.wallTimeMs = wallTimeMs
        self.steps = steps
        let passed = steps.reduce(0) { $0 + $1.passed }
        let failed = steps.reduce(0) { $0 + $1.failed }
        let skipped = steps.reduce(0) { $0 + $1.skipped }
        self.totals = Totals(operations: passed + failed + skipped, passed: passed, failed: failed, skipped: skipped)
        self.passed = !steps.isEmpty && failed == 0 && skipped == 0
    }

    /// The step named `name`, if it ran.
    public func step(_ name: String) -> StepReport? { self.steps.first { $0.name == name } }

    /// The report as pretty-printed JSON with sorted keys (`intercloud harness --json`).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// One step of the run: how many of its operations passed, failed or were skipped, why the first few failed, and
/// how long the timed operations took.
public struct StepReport: Sendable, Hashable, Codable {
    /// At most this many failure reasons are kept per step.
    public static let keptFailures = 5

    /// The step's name, e.g. `register`, `login`, `negotiate`.
    public var name: String
    /// Operations that passed.
    public var passed: Int
    /// Operations that failed.
    public var failed: Int
    /// Operations not attempted because the cloud failed an earlier step.
    public var skipped: Int
    /// The first ``keptFailures`` failure reasons, in the order they happened.
    public var failures: [String]
    /// Latencies of the attempted operations (passed and failed), in milliseconds.
    public var latencyMs: LatencySummary
    /// From the step's start to its end, in milliseconds.
    public var wallTimeMs: Double

    /// Creates a step report.
    public init(
        name: String, passed: Int, failed: Int, skipped: Int, failures: [String], latencyMs: LatencySummary,
        wallTimeMs: Double
    ) {
        self.name = name
        self.passed = passed
        self.failed = failed
        self.skipped = skipped
        self.failures = failures
        self.latencyMs = latencyMs
        self.wallTimeMs = wallTimeMs
    }

    /// Whether no operation failed or was skipped.
    public var isPassing: Bool { self.failed == 0 && self.skipped == 0 }
}
