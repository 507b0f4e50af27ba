import Testing

@testable import XMPPServer

@Suite struct AuthFailureThrottleTests {
    @Test func delaysGrowAfterFreeFailuresAndCap() {
        let throttle = AuthFailureThrottle(policy: .init(freeFailures: 2, baseDelay: 0.5, maxDelay: 2, window: 60))
        let delays = (0..<6).map { throttle.recordFailure(from: "192.0.2.1", now: Double($0)) }
        #expect(delays == [0, 0, 0.5, 1, 2, 2])
        #expect(throttle.recordFailure(from: "192.0.2.2", now: 6) == 0)
    }

    @Test func successAndWindowResetTheCount() {
        let throttle = AuthFailureThrottle(policy: .init(freeFailures: 1, baseDelay: 1, maxDelay: 8, window: 10))
        _ = throttle.recordFailure(from: "a", now: 0)
        #expect(throttle.recordFailure(from: "a", now: 1) == 1)
        throttle.recordSuccess(from: "a")
        #expect(throttle.recordFailure(from: "a", now: 2) == 0)
        #expect(throttle.recordFailure(from: "a", now: 100) == 0)
    }

    @Test func connectionLimiterCapsPerAddress() {
        let limiter = ConnectionLimiter(maxPerAddress: 2)
        #expect(limiter.acquire("a"))
        #expect(limiter.acquire("a"))
        #expect(!limiter.acquire("a"))
        #expect(limiter.acquire("b"))
        limiter.release("a")
        #expect(limiter.acquire("a"))
        #expect(limiter.count(for: "a") == 2)
    }
}
