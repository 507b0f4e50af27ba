extension HarnessReport {
    /// The report for a terminal: a headline, one row per step with counts and latency percentiles, the totals,
    /// and the kept failure reasons (issue 6).
    ///
    /// ```
    /// intercloud harness: PASSED, 50 clouds, run h42-k3x9 on intercloud.localhost, 12.345 s
    /// step               passed  failed skipped   p50 ms   p90 ms   p99 ms   max ms   wall s
    /// register               50       0       0    3.100    4.900    6.000    6.200    0.210
    /// ```
    public func text() -> String {
        var lines: [String] = []
        let verdict = self.passed ? "PASSED" : "FAILED"
        let domain = self.domain.isEmpty ? "" : " on \(self.domain)"
        lines.append(
            "intercloud harness: \(verdict), \(self.clouds) clouds, run h\(self.seed)-\(self.runID)\(domain), "
                + "\(Self.fixed(self.wallTimeMs / 1_000)) s")
        lines.append(
            Self.pad("step", 18, left: true) + Self.pad("passed", 8) + Self.pad("failed", 8) + Self.pad("skipped", 8)
                + Self.pad("p50 ms", 10) + Self.pad("p90 ms", 10) + Self.pad("p99 ms", 10) + Self.pad("max ms", 10)
                + Self.pad("wall s", 9))
        for step in self.steps {
            let latency = step.latencyMs
            lines.append(
                Self.pad(step.name, 18, left: true) + Self.pad("\(step.passed)", 8) + Self.pad("\(step.failed)", 8)
                    + Self.pad("\(step.skipped)", 8) + Self.pad(Self.fixed(latency.p50), 10)
                    + Self.pad(Self.fixed(latency.p90), 10) + Self.pad(Self.fixed(latency.p99), 10)
                    + Self.pad(Self.fixed(latency.max), 10) + Self.pad(Self.fixed(step.wallTimeMs / 1_000), 9))
        }
        lines.append(
            Self.pad("total", 18, left: true) + Self.pad("\(self.totals.passed)", 8)
                + Self.pad("\(self.totals.failed)", 8) + Self.pad("\(self.totals.skipped)", 8))
        let failing = self.steps.filter { !$0.failures.isEmpty }
        if !failing.isEmpty {
            lines.append("failures (first \(StepReport.keptFailures) per step):")
            for step in failing {
                for reason in step.failures { lines.append("  \(step.name): \(reason)") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `value` with three decimals, e.g. `12.345`.
    static func fixed(_ value: Double) -> String {
        let thousandths = Int((value * 1_000).rounded())
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = thousandths.magnitude
        let fraction = String(magnitude % 1_000)
        return "\(sign)\(magnitude / 1_000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// `text` padded with spaces to `width` (right-aligned unless `left`); longer text is kept whole.
    static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + padding : padding + text
    }
}
