import NIOCore
import NIOEmbedded
import XMPPCore

@testable import XMPPServer

/// Socket-free helpers: XML in and out of `EmbeddedChannel` sessions.
enum TestSupport {
    static let header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"

    /// Parses first-level elements from a fragment of a jabber:client stream.
    static func elements(_ xml: String) throws -> [XMLElement] {
        var parser = XMLStreamParser(maxStanzaSize: 1 << 20)
        return try parser.feed(Self.header + xml).compactMap { if case .element(let e) = $0 { e } else { nil } }
    }

    /// A stanza as a session would have sent it: parsed, `from` stamped.
    static func stanza(_ xml: String, from jid: JID) throws -> Stanza {
        guard let element = try Self.elements(xml).first else { throw StanzaError(.badRequest) }
        var stanza = try Stanza(element)
        stanza.stamp(from: jid)
        return stanza
    }

    /// Everything written to the channel so far, as elements.
    static func outbound(_ channel: EmbeddedChannel) throws -> [XMLElement] {
        channel.embeddedEventLoop.run()  // writes made on the loop are queued as tasks (Session.deliver)
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return try Self.elements(text)
    }

    /// A bound session on an `EmbeddedChannel`, registered with `sessions`.
    static func connect(_ jid: String, to sessions: SessionManager, priority: Int? = 0) throws -> (
        Session, EmbeddedChannel
    ) {
        let channel = EmbeddedChannel()
        let session = Session(jid: try JID(parsing: jid), id: sessions.makeID(), channel: channel)
        session.priority = priority
        sessions.register(session)
        return (session, channel)
    }
}
