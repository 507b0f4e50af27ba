import NIOConcurrencyHelpers
import NIOCore
import XMPPCore

/// A bound client session (RFC 6120 §7): its full JID, its connection, and the presence state routing needs.
///
/// Safe to use from any thread: writes go through the channel, which hops to its event loop.
public final class Session: Sendable, CustomStringConvertible {
    /// The bound full JID.
    public let jid: JID
    /// A process-unique id, used for logs and to tell a replaced session from its successor.
    public let id: UInt64
    let channel: any Channel
    private let priorityBox = NIOLockedValueBox<Int?>(nil)

    init(jid: JID, id: UInt64, channel: any Channel) {
        self.jid = jid
        self.id = id
        self.channel = channel
    }

    /// The priority of the last undirected available presence, or nil while unavailable (RFC 6121 §4.7.2.3).
    public var priority: Int? {
        get { self.priorityBox.withLockedValue { $0 } }
        set { self.priorityBox.withLockedValue { $0 = newValue } }
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
