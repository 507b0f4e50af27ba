import Testing

@testable import XMPPCore

/// The registry of sessions waiting for `<resume/>` (XEP-0198 §5).
@Suite struct DetachedSessionsTests {
    static let alice = JID("alice@example.net/phone")!
    static let aliceLaptop = JID("alice@example.net/laptop")!
    static let mallory = JID("mallory@example.net/phone")!

    /// A resumable session with the given id, timeout and number of unacknowledged stanzas.
    static func session(id: String, timeout: Int = 300, unacked: Int = 0) -> StreamManagementSession {
        var session = StreamManagementSession(configuration: .init(resumptionTimeout: timeout))
        _ = session.enable(StreamManagementSessionTests.sm("enable", ["resume": "true"]), resumptionID: id)
        for number in 0..<unacked { _ = session.outboundStanza(StreamManagementSessionTests.message(number)) }
        return session
    }

    @Test func theSameBareJIDTakesTheSessionOnce() {
        var registry = DetachedSessions()
        #expect(registry.detach(id: "s", session: Self.session(id: "s"), jid: Self.alice, at: 0).isEmpty)
        #expect(registry.jid(forID: "s") == Self.alice)
        var taken = registry.take(id: "s", for: Self.aliceLaptop, now: 10)
        #expect(taken?.isDetached == true)
        #expect(taken?.resume(clientHandled: 0, previd: "s") != .failed(StreamManagementSession.unknownSessionFailure))
        #expect(registry.take(id: "s", for: Self.alice, now: 10) == nil)
        #expect(registry.count == 0)
    }

    @Test func anotherBareJIDCannotResume() {
        var registry = DetachedSessions()
        _ = registry.detach(id: "s", session: Self.session(id: "s"), jid: Self.alice, at: 0)
        #expect(registry.take(id: "s", for: Self.mallory, now: 1) == nil)
        #expect(registry.count == 1)
        #expect(registry.take(id: "s", for: Self.alice, now: 1) != nil)
    }

    @Test func expiryReturnsTheSessionsWithTheirUnackedStanzas() {
        var registry = DetachedSessions()
        _ = registry.detach(id: "long", session: Self.session(id: "long", timeout: 300), jid: Self.alice, at: 0)
        _ = registry.detach(id: "short", session: Self.session(id: "short", unacked: 3), jid: Self.mallory, at: -250)
        #expect(registry.nextDeadline == 50)
        #expect(registry.expire(now: 49).isEmpty)
        #expect(registry.take(id: "short", for: Self.mallory, now: 50) == nil)
        let expired = registry.expire(now: 50)
        #expect(expired.count == 1)
        #expect(expired.first?.0 == Self.mallory)
        #expect(expired.first?.1.unacknowledged == (0..<3).map(StreamManagementSessionTests.message))
        #expect(registry.count == 1)
        #expect(registry.expire(now: 1000).map(\.0) == [Self.alice])
        #expect(registry.nextDeadline == nil)
    }

    @Test func capacityEvictsTheSessionClosestToExpiry() {
        var registry = DetachedSessions(capacity: 2)
        _ = registry.detach(id: "a", session: Self.session(id: "a"), jid: Self.alice, at: 10)
        _ = registry.detach(id: "b", session: Self.session(id: "b"), jid: Self.alice, at: 0)
        let evicted = registry.detach(id: "c", session: Self.session(id: "c"), jid: Self.alice, at: 20)
        #expect(evicted.map(\.session.resumptionID) == ["b"])
        #expect(registry.count == 2)
        #expect(registry.take(id: "b", for: Self.alice, now: 21) == nil)
    }

    @Test func nonResumableOrMismatchedSessionsComeStraightBack() {
        var registry = DetachedSessions()
        var plain = StreamManagementSession()
        _ = plain.enable(StreamManagementSessionTests.sm("enable"), resumptionID: "p")
        #expect(registry.detach(id: "p", session: plain, jid: Self.alice, at: 0).count == 1)
        #expect(registry.detach(id: "other", session: Self.session(id: "s"), jid: Self.alice, at: 0).count == 1)
        #expect(registry.count == 0)
    }

    @Test func detachingTheSameIDAgainReleasesThePreviousSession() {
        var registry = DetachedSessions()
        _ = registry.detach(id: "s", session: Self.session(id: "s", unacked: 1), jid: Self.alice, at: 0)
        let released = registry.detach(id: "s", session: Self.session(id: "s"), jid: Self.alice, at: 5)
        #expect(released.map(\.session.unacknowledged.count) == [1])
        #expect(registry.count == 1)
    }
}
