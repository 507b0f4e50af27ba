/// A server-to-server stream header, sent by either side (RFC 6120 §4.7, §4.8.2; XEP-0220 §2.1).
///
/// Both sides name themselves in `from` and the peer in `to` (RFC 6120 §4.7.1–§4.7.2); the responding side adds
/// the stream `id`, which the dialback key is bound to (XEP-0185 §3). The `db` prefix is declared for peers that
/// detect dialback support from it (XEP-0220 §2.1.1).
public struct S2SStreamOpening: Sendable, Hashable {
    /// The stream id; only the responding (receiving) side sets it (RFC 6120 §4.7.3).
    public var id: String?
    /// The sender's domain.
    public var from: String
    /// The peer's domain, when known.
    public var to: String?

    /// Creates a header.
    public init(id: String?, from: String, to: String?) {
        self.id = id
        self.from = from
        self.to = to
    }

    /// The header as sent, with the XML declaration (RFC 6120 §4.7, §11.5).
    public func serialized() -> String {
        var header = "<?xml version='1.0'?><stream:stream xmlns='\(Namespace.server)'"
        header += " xmlns:stream='\(Namespace.stream)' xmlns:db='\(Namespace.dialback)' from='"
        XMLEscaping.appendAttribute(self.from, to: &header)
        header += "'"
        if let to = self.to {
            header += " to='"
            XMLEscaping.appendAttribute(to, to: &header)
            header += "'"
        }
        if let id = self.id {
            header += " id='"
            XMLEscaping.appendAttribute(id, to: &header)
            header += "'"
        }
        header += " version='1.0' xml:lang='en'>"
        return header
    }

    /// Checks a received s2s header: `<stream:stream>` in the streams namespace, content namespace
    /// `jabber:server`, version 1.x (RFC 6120 §4.8.1, §4.8.2, §4.7.5; §4.9.3.10, §4.9.3.25).
    static func validateEnvelope(_ header: XMLElement) -> StreamError? {
        guard header.name == "stream", header.namespace == Namespace.stream else {
            return StreamError(.invalidNamespace, text: "expected <stream:stream> in \(Namespace.stream)")
        }
        guard header[attribute: "xmlns"] == Namespace.server else {
            return StreamError(.invalidNamespace, text: "content namespace must be \(Namespace.server)")
        }
        guard let version = header[attribute: "version"], version.hasPrefix("1.") else {
            return StreamError(.unsupportedVersion, text: "version='1.0' is required")
        }
        return nil
    }

    /// A domain from a header or dialback attribute: a JID with only a domainpart (RFC 6120 §4.7.1), normalized.
    static func domain(_ value: String?) -> String? {
        guard let value, let jid = try? JID(parsing: value), jid.localpart == nil, jid.resourcepart == nil else {
            return nil
        }
        return jid.domainpart
    }
}

extension XMLElement {
    /// This element with every element in namespace `from` moved to `to`, recursively.
    ///
    /// Stanzas travel in `jabber:client` inside the server and in `jabber:server` between servers; the payload
    /// elements that inherit the content namespace (`<body/>`, `<show/>`, `<error/>`) move with it
    /// (RFC 6120 §4.8.3, §4.8.4).
    public func rebindingContentNamespace(from: String, to: String) -> XMLElement {
        var copy = self
        if copy.namespace == from { copy.namespace = to }
        copy.children = copy.children.map { node in
            guard case .element(let child) = node else { return node }
            return .element(child.rebindingContentNamespace(from: from, to: to))
        }
        return copy
    }
}

extension S2SStreamOpening {
    /// Serializes a first-level element for an s2s stream whose header ``serialized()`` declared `jabber:server` as
    /// default namespace and the `db` prefix.
    ///
    /// Dialback elements are written as `<db:result/>` and `<db:verify/>`: XEP-0220 §2 writes them so, and some
    /// servers (ejabberd) match the prefixed name rather than the namespace. Everything else gets an `xmlns` only
    /// where it differs from `jabber:server` (RFC 6120 §4.8.3).
    public static func wire(_ element: XMLElement) -> String {
        guard element.namespace == Namespace.dialback else {
            return element.serialized(parentNamespace: Namespace.server)
        }
        var output = "<db:\(element.name)"
        for key in element.attributes.keys.sorted() where !key.hasPrefix("{") && !key.hasPrefix("xmlns") {
            output += " \(key)='"
            XMLEscaping.appendAttribute(element.attributes[key] ?? "", to: &output)
            output += "'"
        }
        guard !element.children.isEmpty else { return output + "/>" }
        output += ">"
        for child in element.children {
            switch child {
            case .element(let inner): inner.serialize(into: &output, parentNamespace: Namespace.server)
            case .text(let text): XMLEscaping.appendText(text, to: &output)
            }
        }
        return output + "</db:\(element.name)>"
    }
}
