import Testing

@testable import Harness

@Suite("Latency percentiles (nearest rank)")
struct LatencySummaryTests {
    @Test("1…100 ms")
    func hundred() {
        let summary = LatencySummary(milliseconds: (1...100).map(Double.init).shuffled())
        #expect(summary == LatencySummary(count: 100, p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5))
    }

    @Test("few values pick measured ones, never interpolations")
    func few() {
        let summary = LatencySummary(milliseconds: [30, 10, 20])
        #expect(summary.p50 == 20)
        #expect(summary.p90 == 30)
        #expect(summary.p99 == 30)
        #expect(summary.max == 30)
        #expect(summary.mean == 20)
        #expect(LatencySummary.percentile(0, ofSorted: [1, 2]) == 1)
    }

    @Test("no values give zeros")
    func empty() {
        #expect(LatencySummary(milliseconds: []) == LatencySummary(count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0))
    }

    @Test("durations convert to milliseconds")
    func milliseconds() {
        #expect(LatencySummary.milliseconds(.milliseconds(1_500)) == 1_500)
        #expect(LatencySummary.milliseconds(.microseconds(250)) == 0.25)
    }
}
