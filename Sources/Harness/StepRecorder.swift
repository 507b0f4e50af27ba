import Synchronization

/// What happened to one operation of a step.
enum OperationOutcome: Sendable, Hashable {
    /// The operation succeeded after `duration`.
    case passed(Duration)
    /// The operation failed after `duration`.
    case failed(Duration, HarnessError)
    /// The operation was not attempted (the cloud failed an earlier step).
    case skipped

    /// Runs `operation`, timing it with `clock`; a thrown ``HarnessError`` (or any error) becomes `.failed`.
    static func measure(
        clock: ContinuousClock = ContinuousClock(), _ operation: () async throws -> Void
    ) async -> OperationOutcome {
        let start = clock.now
        do {
            try await operation()
            return .passed(clock.now - start)
        } catch let error as HarnessError {
            return .failed(clock.now - start, error)
        } catch {
            return .failed(clock.now - start, HarnessError(.unexpectedAnswer, "\(error)"))
        }
    }
}

/// Collects the outcomes of one step's operations from concurrent tasks and turns them into a ``StepReport``;
/// reports progress as operations complete. Thread-safe.
final class StepRecorder: Sendable {
    private struct State {
        var milliseconds: [Double] = []
        var passed = 0
        var failed = 0
        var skipped = 0
        var failures: [String] = []
    }

    /// The step's name.
    let name: String
    /// How many operations the step will record.
    let total: Int
    private let state = Mutex(State())
    private let progress: (any HarnessProgress)?
    private let started: ContinuousClock.Instant

    /// Starts a step of `total` operations and tells `progress`.
    init(name: String, total: Int, progress: (any HarnessProgress)?) {
        self.name = name
        self.total = total
        self.progress = progress
        self.started = ContinuousClock.now
        progress?.stepStarted(name: name, total: total)
    }

    /// Records one outcome; `subject` (a cloud name, a query) prefixes a failure reason. A failure with code
    /// ``HarnessError/Code/skipped`` counts as skipped.
    func record(_ outcome: OperationOutcome, subject: String? = nil) {
        var outcome = outcome
        if case .failed(_, let error) = outcome, error.code == .skipped { outcome = .skipped }
        let completed = self.state.withLock { state -> Int in
            switch outcome {
            case .passed(let duration):
                state.passed += 1
                state.milliseconds.append(LatencySummary.milliseconds(duration))
            case .failed(let duration, let error):
                state.failed += 1
                state.milliseconds.append(LatencySummary.milliseconds(duration))
                if state.failures.count < StepReport.keptFailures {
                    state.failures.append(subject.map { "\($0): \(error)" } ?? error.description)
                }
            case .skipped:
                state.skipped += 1
            }
            return state.passed + state.failed + state.skipped
        }
        self.progress?.stepProgressed(name: self.name, completed: completed, total: self.total)
    }

    /// Times `operation` and records its outcome.
    func measure(subject: String? = nil, _ operation: () async throws -> Void) async {
        self.record(await OperationOutcome.measure(operation), subject: subject)
    }

    /// The step's report; tells `progress` the step is over.
    func finish() -> StepReport {
        let wall = LatencySummary.milliseconds(ContinuousClock.now - self.started)
        let report = self.state.withLock { state in
            StepReport(
                name: self.name, passed: state.passed, failed: state.failed, skipped: state.skipped,
                failures: state.failures, latencyMs: LatencySummary(milliseconds: state.milliseconds),
                wallTimeMs: (wall * 1_000).rounded() / 1_000)
        }
        self.progress?.stepFinished(report)
        return report
    }
}
