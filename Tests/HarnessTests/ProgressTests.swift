import Synchronization
import Testing

@testable import Harness

@Suite("Progress bar")
struct ProgressTests {
    @Test("renders the bar, the step and the count")
    func render() {
        #expect(ProgressBar.render(name: "login", completed: 3, total: 10, width: 10) == "\r[###.......] login 3/10")
        #expect(ProgressBar.render(name: "x", completed: 0, total: 500, width: 4) == "\r[....] x 0/500")
        #expect(ProgressBar.render(name: "x", completed: 900, total: 500, width: 4) == "\r[####] x 500/500")
        #expect(ProgressBar.render(name: "x", completed: 0, total: 0, width: 4) == "\r[####] x 0/0")
    }

    @Test("the closing line carries the verdict")
    func finished() {
        let ok = StepReport(
            name: "a", passed: 2, failed: 0, skipped: 0, failures: [], latencyMs: .init(milliseconds: []), wallTimeMs: 0
        )
        #expect(ProgressBar.finished(ok, width: 2) == "\r[##] a 2/2 ok\u{1B}[K\n")
        var bad = ok
        bad.failed = 1
        #expect(ProgressBar.finished(bad, width: 2).contains("3/3 1 failed, 0 skipped"))
    }

    final class Sink: Sendable {
        let writes = Mutex<[String]>([])
    }

    @Test("draws nothing when standard error is not a terminal")
    func silentWithoutTerminal() {
        let sink = Sink()
        let progress = TerminalProgress(isTerminal: false) { text in sink.writes.withLock { $0.append(text) } }
        progress.stepStarted(name: "a", total: 10)
        progress.stepProgressed(name: "a", completed: 5, total: 10)
        #expect(sink.writes.withLock { $0.isEmpty })
    }

    @Test("on a terminal, redraws at most once per percent")
    func throttled() {
        let sink = Sink()
        let progress = TerminalProgress(isTerminal: true, width: 10) { text in sink.writes.withLock { $0.append(text) }
        }
        progress.stepStarted(name: "a", total: 1_000)
        for completed in 1...1_000 { progress.stepProgressed(name: "a", completed: completed, total: 1_000) }
        progress.stepFinished(
            StepReport(
                name: "a", passed: 1_000, failed: 0, skipped: 0, failures: [], latencyMs: .init(milliseconds: []),
                wallTimeMs: 0))
        let writes = sink.writes.withLock { $0 }
        #expect(writes.count == 1 + 100 + 1)
        #expect(writes.first == "\r[..........] a 0/1000")
        #expect(writes.last?.hasSuffix("ok\u{1B}[K\n") == true)
    }
}
