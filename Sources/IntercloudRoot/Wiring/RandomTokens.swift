/// Random identifiers and secrets from the system's CSPRNG.
enum RandomTokens {
    /// `count` random bytes as lower-case hex.
    static func hex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return String(byte, radix: 16).leftPadded(to: 2)
        }.joined()
    }

    /// A 16-character token for stream ids, generated resources and SCRAM nonces.
    @Sendable static func token() -> String { Self.hex(bytes: 8) }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        self.count >= width ? self : String(repeating: "0", count: width - self.count) + self
    }
}
