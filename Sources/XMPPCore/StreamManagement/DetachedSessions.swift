/// Stream Management sessions whose stream broke, waiting for `<resume/>` until their timeout (XEP-0198 §5).
///
/// A value type the server keeps behind its session registry: time is passed in as seconds on any monotonic
/// scale, so expiry is testable. Every session that leaves without being resumed (expired, evicted, not resumable)
/// is handed back so the server can treat its unacknowledged stanzas as undelivered (XEP-0198 §5).
public struct DetachedSessions: Sendable {
    /// A session given back to the caller, with the full JID it was bound to (XEP-0198 §5).
    public typealias Released = (jid: JID, session: StreamManagementSession)

    /// One detached session with its bound JID and the time its resumption window closes (XEP-0198 §5).
    struct Entry: Sendable {
        /// The detached session (XEP-0198 §5).
        var session: StreamManagementSession
        /// The full JID it was bound to; only the same bare JID may resume it (XEP-0198 §5).
        var jid: JID
        /// When the resumption window closes, in the caller's seconds (XEP-0198 §3 `max`).
        var deadline: Double
    }

    /// The most sessions kept; detaching beyond it evicts the one closest to expiry (XEP-0198 §9: bound the
    /// resources a server spends on detached sessions).
    public let capacity: Int
    /// The detached sessions by resumption id, the `previd` a client presents (XEP-0198 §5).
    var entries: [String: Entry] = [:]

    /// Creates an empty registry holding at most `capacity` sessions (XEP-0198 §5, §9).
    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The number of sessions waiting for resumption (XEP-0198 §5).
    public var count: Int { self.entries.count }

    /// The earliest expiry time, for the driver's timer; `nil` when empty (XEP-0198 §5).
    public var nextDeadline: Double? { self.entries.values.map(\.deadline).min() }

    /// Keeps `session` under its resumption `id` until `now` plus its agreed timeout (XEP-0198 §3 `max`, §5).
    ///
    /// Returns the sessions that must be handled as dead right now: `session` itself when it is not resumable, a
    /// session previously stored under the same `id`, and the one evicted when the registry is full.
    public mutating func detach(id: String, session: StreamManagementSession, jid: JID, at now: Double) -> [Released] {
        var session = session
        guard session.resumptionID == id, session.detach(), self.capacity > 0 else {
            return [(jid, session)]
        }
        var released: [Released] = []
        if let previous = self.entries.removeValue(forKey: id) {
            released.append((previous.jid, previous.session))
        }
        if self.entries.count >= self.capacity,
            let oldest = self.entries.min(by: { $0.value.deadline < $1.value.deadline })?.key,
            let evicted = self.entries.removeValue(forKey: oldest)
        {
            released.append((evicted.jid, evicted.session))
        }
        let deadline = now + Double(session.resumptionTimeout)
        self.entries[id] = Entry(session: session, jid: jid, deadline: deadline)
        return released
    }

    /// Removes and returns the session `id` for a `<resume/>` from `jid` (XEP-0198 §5).
    ///
    /// Only the same bare JID may resume (XEP-0198 §5, §9: the id alone must not let another account take over a
    /// session); on a mismatch, or once the deadline has passed, it returns `nil` and leaves the entry for
    /// ``expire(now:)`` so its stanzas are not lost.
    public mutating func take(id: String, for jid: JID, now: Double) -> StreamManagementSession? {
        guard let entry = self.entries[id], entry.jid.bare == jid.bare, now < entry.deadline else { return nil }
        self.entries[id] = nil
        return entry.session
    }

    /// The full JID a detached session was bound to, e.g. to re-register it after resumption (XEP-0198 §5).
    public func jid(forID id: String) -> JID? {
        self.entries[id]?.jid
    }

    /// Removes and returns the sessions whose timeout has passed, earliest first, so the server can treat their
    /// unacknowledged stanzas as undelivered (XEP-0198 §5).
    public mutating func expire(now: Double) -> [Released] {
        let expired = self.entries.filter { $0.value.deadline <= now }
            .sorted { ($0.value.deadline, $0.key) < ($1.value.deadline, $1.key) }
        for (id, _) in expired {
            self.entries[id] = nil
        }
        return expired.map { (jid: $0.value.jid, session: $0.value.session) }
    }
}
