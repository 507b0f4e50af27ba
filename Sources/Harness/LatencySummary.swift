/// Latency percentiles of one step's operations, in milliseconds (issue 6: "latency percentiles").
///
/// Percentiles use the nearest-rank method: the p-th percentile of n sorted values is the value at rank
/// ⌈p/100 · n⌉ (1-based), so every reported figure is one actually measured, never an interpolation.
public struct LatencySummary: Sendable, Hashable, Codable {
    /// How many operations were timed.
    public var count: Int
    /// The median.
    public var p50: Double
    /// The 90th percentile.
    public var p90: Double
    /// The 99th percentile.
    public var p99: Double
    /// The slowest operation.
    public var max: Double
    /// The arithmetic mean.
    public var mean: Double

    /// Creates a summary from its figures.
    public init(count: Int, p50: Double, p90: Double, p99: Double, max: Double, mean: Double) {
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.max = max
        self.mean = mean
    }

    /// The summary of `milliseconds` (any order); all zero for no values. Figures are rounded to microseconds.
    public init(milliseconds: [Double]) {
        let sorted = milliseconds.sorted()
        guard let last = sorted.last else {
            self.init(count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0)
            return
        }
        let mean = sorted.reduce(0, +) / Double(sorted.count)
        self.init(
            count: sorted.count, p50: Self.round(Self.percentile(50, ofSorted: sorted)),
            p90: Self.round(Self.percentile(90, ofSorted: sorted)),
            p99: Self.round(Self.percentile(99, ofSorted: sorted)),
            max: Self.round(last), mean: Self.round(mean))
    }

    /// The nearest-rank percentile `p` (0–100) of ascending `values`; 0 for none.
    public static func percentile(_ p: Double, ofSorted values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(values.count)).rounded(.up))
        return values[Swift.min(Swift.max(rank, 1), values.count) - 1]
    }

    /// `duration` in milliseconds.
    public static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }

    private static func round(_ value: Double) -> Double { (value * 1_000).rounded() / 1_000 }
}
