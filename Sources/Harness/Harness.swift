import Foundation
import XMPPClient

/// The federation test harness behind `intercloud harness` (issue 6).
///
/// Against a running root (or one it starts), it registers N simulated clouds over the admin API, issues each a
/// certificate from its own CSR, logs them in with SASL EXTERNAL, publishes generated capability descriptions,
/// checks matching queries against answers it computes itself, negotiates agreements between pairs, takes clouds
/// offline and back, and logs out — timing every operation and counting failures per step (CONTRACT §4, §5;
/// docs/negotiation.md). One cloud's failure never stops the run: later steps skip that cloud.
public enum Harness {
    /// Runs every step and returns the report; never throws. `progress` hears of each step as it advances.
    public static func run(_ configuration: HarnessConfiguration, progress: (any HarnessProgress)?) async
        -> HarnessReport
    {
        let started = ContinuousClock.now
        let runID = configuration.runID ?? Self.randomRunID()
        var steps: [StepReport] = []
        var domain = configuration.domain ?? ""
        func report() -> HarnessReport {
            HarnessReport(
                runID: runID, domain: domain, clouds: configuration.clouds, concurrency: configuration.concurrency,
                seed: configuration.seed, wallTimeMs: LatencySummary.milliseconds(ContinuousClock.now - started),
                steps: steps)
        }
        if let error = configuration.validate() {
            steps.append(StepRecorder.single("configure", error: error, progress: progress))
            return report()
        }
        var launcher: RootLauncher?
        if let launch = configuration.startRoot {
            let (step, started) = await StepRecorder.single("start-root", progress: progress) {
                () async throws(HarnessError) -> RootLauncher in
                try await RootLauncher.start(launch, domain: configuration.domain, timeout: configuration.timeouts.root)
            }
            steps.append(step)
            guard let started else { return report() }
            launcher = started
        }
        let (discovery, context) = await StepRecorder.single("discover", progress: progress) {
            () async throws(HarnessError) -> RunContext in
            try await RunContext.discover(configuration, runID: runID, launcher: launcher, progress: progress)
        }
        steps.append(discovery)
        if let context {
            domain = context.domain
            steps += await context.runSteps()
            context.admin.close()
        }
        if let launcher {
            let (step, _) = await StepRecorder.single("stop-root", progress: progress) {
                () async throws(HarnessError) in
                guard let status = await launcher.stop(timeout: configuration.timeouts.root) else {
                    throw HarnessError(.timeout, "the root (pid \(launcher.pid)) did not exit on SIGTERM; killed")
                }
                guard status == 0 else {
                    throw HarnessError(
                        .mismatch, "the root exited with status \(status); last output:\n\(launcher.tail(lines: 10))")
                }
            }
            steps.append(step)
        }
        return report()
    }

    /// Four random characters of `a-z 0-9`, so that reruns against the same root never collide.
    static func randomRunID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<4).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

extension StepRecorder {
    /// A one-operation step: runs `operation`, times it, and returns the report with the value when it passed.
    static func single<Value: Sendable>(
        _ name: String, progress: (any HarnessProgress)?,
        _ operation: () async throws(HarnessError) -> Value
    ) async -> (StepReport, Value?) {
        let recorder = StepRecorder(name: name, total: 1, progress: progress)
        let start = ContinuousClock.now
        do {
            let value = try await operation()
            recorder.record(.passed(ContinuousClock.now - start))
            return (recorder.finish(), value)
        } catch {
            recorder.record(.failed(ContinuousClock.now - start, error))
            return (recorder.finish(), nil)
        }
    }

    /// A one-operation step that failed before it could run.
    static func single(_ name: String, error: HarnessError, progress: (any HarnessProgress)?) -> StepReport {
        let recorder = StepRecorder(name: name, total: 1, progress: progress)
        recorder.record(.failed(.zero, error))
        return recorder.finish()
    }
}
