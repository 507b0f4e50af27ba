/// A stream state machine driven by ``XMLStreamParser`` events (RFC 6120 §4): the c2s negotiation and both s2s
/// machines. ``consume(_:)`` maps one parser event to the matching input, so the NIO drivers share one dispatch.
public protocol XMLStreamEventConsumer {
    /// What the machine asks its driver to do.
    associatedtype Action
    /// The peer's stream header arrived (RFC 6120 §4.2).
    mutating func streamOpened(_ header: XMLElement) -> Action
    /// A top-level element arrived (RFC 6120 §4.1).
    mutating func elementReceived(_ element: XMLElement) -> Action
    /// The peer closed its stream (RFC 6120 §4.4).
    mutating func streamClosed() -> Action
}

extension XMLStreamEventConsumer {
    /// The machine's answer to one parser event.
    public mutating func consume(_ event: XMLStreamEvent) -> Action {
        switch event {
        case .streamOpen(let header): self.streamOpened(header)
        case .element(let element): self.elementReceived(element)
        case .streamClose: self.streamClosed()
        }
    }
}

extension C2SNegotiationStateMachine: XMLStreamEventConsumer {}
extension S2SReceivingStateMachine: XMLStreamEventConsumer {}
extension S2SInitiatingStateMachine: XMLStreamEventConsumer {}

extension XMLStreamParser {
    /// Parses stored fragments — offline stanzas, PEP payloads, agreements kept as XML text — back into elements,
    /// as children of a `jabber:client` stream. No size limit: the text was checked when it was first received.
    public static func fragments(_ text: String) throws(XMLStreamError) -> [XMLElement] {
        var parser = XMLStreamParser(maxStanzaSize: Int.max)
        let header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
        return try parser.feed(header + text).compactMap { event in
            if case .element(let element) = event { element } else { nil }
        }
    }
}
