import Foundation
import Testing

@testable import Harness

@Suite("Harness report: JSON shape and text")
struct HarnessReportTests {
    static let steps = [
        StepReport(
            name: "register", passed: 3, failed: 0, skipped: 0, failures: [],
            latencyMs: LatencySummary(milliseconds: [1, 2, 3]), wallTimeMs: 5),
        StepReport(
            name: "login", passed: 2, failed: 1, skipped: 0, failures: ["h1-a-2: xmppFailed: login: timeout"],
            latencyMs: LatencySummary(milliseconds: [10, 20, 30]), wallTimeMs: 40),
        StepReport(
            name: "publish", passed: 2, failed: 0, skipped: 1, failures: [],
            latencyMs: LatencySummary(milliseconds: [4, 5]),
            wallTimeMs: 6),
    ]

    static let report = HarnessReport(
        runID: "ab12", domain: "intercloud.test", clouds: 3, concurrency: 32, seed: 1, wallTimeMs: 1_234.5,
        steps: steps)

    @Test("totals and the verdict follow from the steps")
    func totals() {
        #expect(Self.report.totals == .init(operations: 9, passed: 7, failed: 1, skipped: 1))
        #expect(!Self.report.passed)
        let clean = HarnessReport(
            runID: "x", domain: "d", clouds: 3, concurrency: 1, seed: 1, wallTimeMs: 1, steps: [Self.steps[0]])
        #expect(clean.passed)
        #expect(
            !HarnessReport(runID: "x", domain: "d", clouds: 3, concurrency: 1, seed: 1, wallTimeMs: 1, steps: []).passed
        )
        #expect(Self.report.step("login")?.failed == 1)
    }

    @Test("the JSON has the documented keys and round-trips")
    func json() throws {
        let text = Self.report.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "runID", "domain", "clouds", "concurrency", "seed", "passed", "wallTimeMs", "totals", "steps",
            ])
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.count == 3)
        #expect(
            Set(steps[1].keys) == ["name", "passed", "failed", "skipped", "failures", "latencyMs", "wallTimeMs"])
        let latency = try #require(steps[1]["latencyMs"] as? [String: Any])
        #expect(Set(latency.keys) == ["count", "p50", "p90", "p99", "max", "mean"])
        #expect(latency["p99"] as? Double == 30)
        #expect(object["passed"] as? Bool == false)
        let decoded = try JSONDecoder().decode(HarnessReport.self, from: Data(text.utf8))
        #expect(decoded == Self.report)
    }

    @Test("the text lists every step, the totals and the failures")
    func text() {
        let text = Self.report.text()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "intercloud harness: FAILED, 3 clouds, run h1-ab12 on intercloud.test, 1.235 s")
        #expect(lines[1].hasPrefix("step") && lines[1].contains("p99 ms"))
        #expect(lines[3].hasPrefix("login") && lines[3].contains("20.000") && lines[3].contains("30.000"))
        #expect(lines[5].hasPrefix("total") && lines[5].hasSuffix("       7       1       1"))
        #expect(lines[6] == "failures (first 5 per step):")
        #expect(lines.last == "  login: h1-a-2: xmppFailed: login: timeout")
    }

    @Test("the step recorder keeps the first failures and counts everything")
    func recorder() {
        let recorder = StepRecorder(name: "match", total: 9, progress: nil)
        for number in 0..<7 {
            recorder.record(
                .failed(.milliseconds(number), HarnessError(.mismatch, "row \(number)")), subject: "q\(number)")
        }
        recorder.record(.passed(.milliseconds(100)))
        recorder.record(.skipped)
        let step = recorder.finish()
        #expect(step.failed == 7 && step.passed == 1 && step.skipped == 1)
        #expect(step.failures.count == StepReport.keptFailures)
        #expect(step.failures.first == "q0: mismatch: row 0")
        #expect(step.latencyMs.count == 8 && step.latencyMs.max == 100)
    }
}
