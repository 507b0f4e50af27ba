/// SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a tiny
/// deterministic generator, so that the same seed gives the same clouds on every platform and Swift version.
///
/// The helpers draw with plain integer arithmetic instead of the standard library's `random(in:using:)`, whose
/// algorithm is not promised to stay the same.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator; equal seeds give equal sequences.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `range`; the modulo bias is below 2⁻³² for the small ranges used here.
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(self.next() % span)
    }

    /// True with probability `percent` / 100.
    public mutating func chance(percent: Int) -> Bool {
        self.integer(in: 0...99) < percent
    }

    /// One element of a non-empty array, uniformly.
    public mutating func pick<T>(_ values: [T]) -> T {
        values[self.integer(in: 0...(values.count - 1))]
    }

    /// An index into `weights` (non-negative, positive sum), drawn with probability proportional to its weight.
    public mutating func weightedIndex(_ weights: [Int]) -> Int {
        let total = weights.reduce(0, +)
        var ticket = self.integer(in: 0...(total - 1))
        for (index, weight) in weights.enumerated() {
            if ticket < weight { return index }
            ticket -= weight
        }
        return weights.count - 1
    }
}
