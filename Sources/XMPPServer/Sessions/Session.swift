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
    }

    /// The bound full JID.
    public let jid: JID
    /// A process-unique id, used for logs and to tell a replaced session from its successor.
    public let id: UInt64
    let channel: any Channel
    private let state = NIOLockedValueBox(PresenceState())

    init(jid: JID, id: UInt64, channel: any Channel) {
        self.jid = jid
        self.id = id
        self.channel = channel
    }

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

    /// Sends a stanza to the client.
    public func deliver(_ element: XMLElement) {
        self.write(element.serialized(parentNamespace: Namespace.client))
    }

    /// Ends the session with a stream error, then `</stream:stream>` (RFC 6120 §4.9.1.1).
    public func close(with error: StreamError) {
        self.channel.eventLoop.execute {
            self.channel.pipeline.fireUserInboundEventTriggered(C2SConnectionHandler.CloseRequest(error: error))
        }
    }

    func write(_ text: String) {
        let buffer = self.channel.allocator.buffer(string: text)
        self.channel.writeAndFlush(buffer, promise: nil)
    }

    /// `jid#id`.
    public var description: String { "\(self.jid)#\(self.id)" }
}
