import NIOConcurrencyHelpers
import XMPPCore

/// All bound sessions of this server, by bare JID then resource (RFC 6120 §7, RFC 6121 §8).
///
/// Lock-protected so that every event loop can route without hopping; each operation holds the lock only for a
/// dictionary access.
public final class SessionManager: Sendable {
    private struct Table {
        var byBareJID: [JID: [String: Session]] = [:]
        var count = 0
        var nextID: UInt64 = 1
        var resumable: [String: Session] = [:]
    }

    private let table = NIOLockedValueBox(Table())

    /// Creates an empty session table.
    public init() {}

    /// The number of bound sessions.
    public var count: Int { self.table.withLockedValue { $0.count } }

    /// Hands out a process-unique session id.
    func makeID() -> UInt64 {
        self.table.withLockedValue { table in
            defer { table.nextID += 1 }
            return table.nextID
        }
    }

    /// Adds a session and returns the one it replaces, if the same full JID was bound already
    /// (RFC 6120 §7.7.2.2: the older session gets a `conflict` stream error).
    @discardableResult
    public func register(_ session: Session) -> Session? {
        self.table.withLockedValue { table in
            let resource = session.jid.resourcepart ?? ""
            let old = table.byBareJID[session.jid.bare, default: [:]].updateValue(session, forKey: resource)
            if old == nil { table.count += 1 }
            return old
        }
    }

    /// Removes a session, unless it has already been replaced by a newer one with the same full JID.
    public func unregister(_ session: Session) {
        self.table.withLockedValue { table in
            let bare = session.jid.bare
            let resource = session.jid.resourcepart ?? ""
            guard let current = table.byBareJID[bare]?[resource], current === session else { return }
            table.byBareJID[bare]?[resource] = nil
            if table.byBareJID[bare]?.isEmpty == true { table.byBareJID[bare] = nil }
            table.count -= 1
        }
    }

    /// The sessions of one account.
    public func sessions(of bareJID: JID) -> [Session] {
        self.table.withLockedValue { table in
            table.byBareJID[bareJID].map { Array($0.values) } ?? []
        }
    }

    /// The session bound to a full JID.
    public func session(_ fullJID: JID) -> Session? {
        self.table.withLockedValue { table in table.byBareJID[fullJID.bare]?[fullJID.resourcepart ?? ""] }
    }

    /// Remembers a session that enabled resumption under its id (XEP-0198 §3).
    public func registerResumable(id: String, session: Session) {
        self.table.withLockedValue { $0.resumable[id] = session }
    }

    /// The session a `<resume previd=…/>` names (XEP-0198 §5).
    public func resumableSession(id: String) -> Session? {
        self.table.withLockedValue { $0.resumable[id] }
    }

    /// Forgets a session's resumption ids when it ends for good.
    public func removeResumable(_ session: Session) {
        self.table.withLockedValue { table in table.resumable = table.resumable.filter { $0.value !== session } }
    }

    /// Ends every session of an account with a stream error (a cloud suspended or removed, RFC 6120 §4.9.3.12);
    /// returns how many there were.
    @discardableResult
    public func close(account bareJID: JID, with error: StreamError) -> Int {
        let sessions = self.sessions(of: bareJID)
        for session in sessions { session.close(with: error) }
        return sessions.count
    }

    /// Every session (for shutdown and for closing the sessions of a removed account).
    public func allSessions() -> [Session] {
        self.table.withLockedValue { table in table.byBareJID.values.flatMap(\.values) }
    }
}
