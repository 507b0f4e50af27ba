import NIOConcurrencyHelpers
import NIOCore
import XMPPCore

/// A bound client session (RFC 6120 §7): its full JID, its connection, and the presence state routing needs.
///
/// Safe to use from any thread: writes go through the channel, which hops to its event loop; presence state is
/// lock-protected.
public final class Session: Sendable, CustomStringConvertible {
    /// Presence-related state of one session (RFC 6121 §4).
    public struct PresenceState: Sendable {
        /// The last undirected available presence, or nil while unavailable (RFC 6121 §4.2, §4.4).
        public var lastPresence: XMLElement?
        /// The priority of that presence (RFC 6121 §4.7.2.3).
        public var priority: Int?
        /// The resource asked for the roster and so receives roster pushes (RFC 6121 §2.1.6 "interested resource").
        public var interestedInRoster = false
        /// Entities that received directed presence and must get unavailable presence too (RFC 6121 §4.6.3).
        public var directedPresence: Set<JID> = []
        /// The PEP nodes the client asked notifications for with `NODE+notify` in its entity capabilities
        /// (XEP-0163 §4, XEP-0115); nil until its capabilities are known.
        public var notifyNodes: Set<String>?
    }

    /// The connection a session writes to, and its XEP-0198 state, which outlives a dropped connection.
    struct Link {
        var channel: (any Channel)?
        var streamManagement: StreamManagementSession
        var detachments: UInt64 = 0
    }

    /// The bound full JID.
    public let jid: JID
    /// A process-unique id, used for logs and to tell a replaced session from its successor.
    public let id: UInt64
    private let state = NIOLockedValueBox(PresenceState())
    private let link: NIOLockedValueBox<Link>
    /// Set only on the stand-in for a sender on another server: what is delivered to it goes back over s2s.
    private let federation: (any FederationRouting)?

    init(jid: JID, id: UInt64, channel: any Channel, streamManagement: StreamManagementSession.Configuration = .init())
    {
        self.jid = jid
        self.id = id
        self.link = NIOLockedValueBox(
            Link(channel: channel, streamManagement: StreamManagementSession(configuration: streamManagement)))
        self.federation = nil
    }

    /// The stand-in for `jid` on another server while the router handles one of its stanzas: answers, errors and
    /// presence "delivered" to it are sent back through `federation` (RFC 6120 §10.4).
    init(remote jid: JID, id: UInt64, federation: any FederationRouting) {
        self.jid = jid
        self.id = id
        self.link = NIOLockedValueBox(
            Link(channel: nil, streamManagement: StreamManagementSession(configuration: .init())))
        self.federation = federation
    }

    /// True for the stand-in of a remote sender (see ``init(remote:id:federation:)``).
    public var isRemote: Bool { self.federation != nil }

    /// The priority of the last undirected available presence, or nil while unavailable (RFC 6121 §4.7.2.3).
    public var priority: Int? {
        get { self.state.withLockedValue { $0.priority } }
        set { self.state.withLockedValue { $0.priority = newValue } }
    }

    /// True once the session has sent available presence and until it sends unavailable (RFC 6121 §4.1).
    public var isAvailable: Bool { self.priority != nil }

    /// Reads and changes the presence state under the lock.
    @discardableResult
    public func withPresenceState<T>(_ body: (inout PresenceState) -> T) -> T {
        self.state.withLockedValue { body(&$0) }
    }

    /// What routing needs to know about this session.
    public var snapshot: ResourceSnapshot { ResourceSnapshot(jid: self.jid, priority: self.priority) }

    /// Sends a stanza to the client. With stream management enabled it is counted and kept until acknowledged,
    /// an `<r/>` follows every few stanzas, and while the connection is gone it waits for resumption (XEP-0198 §4,
    /// §5). Writing under the lock keeps the wire order equal to the counting order.
    public func deliver(_ element: XMLElement) {
        if let federation = self.federation {
            federation.send(element)
            return
        }
        self.link.withLockedValue { link in
            var after: XMLElement?
            if link.streamManagement.isEnabled {
                switch link.streamManagement.outboundStanza(element) {
                case .none: break
                case .send(let request): after = request
                case .closeWithStreamError(let error, _):
                    if let channel = link.channel { Self.requestClose(channel, error) }
                    return
                }
            }
            guard let channel = link.channel else { return }
            var text = element.serialized(parentNamespace: Namespace.client)
            after?.serialize(into: &text, parentNamespace: Namespace.client)
            let buffer = channel.allocator.buffer(string: text)
            if channel.eventLoop.inEventLoop {
                // A write on the loop runs the pipeline now, and a failing socket closes the channel at once, whose
                // handler takes this lock again; queue it instead, behind the writes queued from other threads.
                channel.eventLoop.execute { channel.writeAndFlush(buffer, promise: nil) }
            } else {
                channel.writeAndFlush(buffer, promise: nil)
            }
        }
    }

    /// Ends the session with a stream error, then `</stream:stream>` (RFC 6120 §4.9.1.1).
    public func close(with error: StreamError) {
        guard let channel = self.link.withLockedValue({ $0.channel }) else { return }
        Self.requestClose(channel, error)
    }

    private static func requestClose(_ channel: any Channel, _ error: StreamError) {
        channel.eventLoop.execute {
            channel.pipeline.fireUserInboundEventTriggered(C2SConnectionHandler.CloseRequest(error: error))
        }
    }

    /// Runs `body` on the XEP-0198 state under the session lock.
    func withStreamManagement<T>(_ body: (inout StreamManagementSession) -> T) -> T {
        self.link.withLockedValue { body(&$0.streamManagement) }
    }

    /// Whether the session currently writes to `channel`.
    func isAttached(to channel: any Channel) -> Bool {
        self.link.withLockedValue { $0.channel === channel }
    }

    /// Drops the connection but keeps the session for resumption (XEP-0198 §5); returns a token for the expiry
    /// timer, or nil when the session is not resumable (it must end now).
    func detach(from channel: any Channel) -> UInt64? {
        self.link.withLockedValue { link in
            guard link.channel === channel, link.streamManagement.resumable, link.streamManagement.detach() else {
                return nil
            }
            link.channel = nil
            link.detachments += 1
            return link.detachments
        }
    }

    /// Whether the session is still detached since the detachment `token` (so its expiry timer may end it).
    func isDetached(since token: UInt64) -> Bool {
        self.link.withLockedValue { $0.channel == nil && $0.detachments == token }
    }

    /// Takes the session away from a connection the server has not yet seen die, for a resumption from a new one
    /// (XEP-0198 §5); returns that old connection so the caller can close it.
    func takeOver() -> (any Channel)? {
        self.link.withLockedValue { link in
            guard let old = link.channel else { return nil }
            link.channel = nil
            link.detachments += 1
            link.streamManagement.detach()
            return old
        }
    }

    /// Resumes on a new connection (XEP-0198 §5): writes `<resumed/>` and the unacknowledged stanzas there.
    func resume(on channel: any Channel, clientHandled h: UInt32, previd: String) -> Bool {
        self.link.withLockedValue { link in
            switch link.streamManagement.resume(clientHandled: h, previd: previd) {
            case .failed(let failure):
                channel.writeAndFlush(
                    channel.allocator.buffer(string: failure.serialized(parentNamespace: Namespace.client)),
                    promise: nil)
                return false
            case .resumed(let resumed, let resend):
                link.channel = channel
                var text = resumed.serialized(parentNamespace: Namespace.client)
                for stanza in resend { stanza.serialize(into: &text, parentNamespace: Namespace.client) }
                channel.writeAndFlush(channel.allocator.buffer(string: text), promise: nil)
                return true
            }
        }
    }

    /// `jid#id`.
    public var description: String { "\(self.jid)#\(self.id)" }
}
