/// The server's opening stream header and its validation of the client's (RFC 6120 §4.7, §4.8).
public enum StreamHeader {
    /// Renders the server's response stream header (RFC 6120 §4.7.1): `from` is the served domain, `id` the
    /// fresh stream id, `version='1.0'`, and the `stream` prefix bound for `<stream:features/>` and errors.
    public static func opening(
        id: String, domain: String, to: String? = nil, contentNamespace: String = Namespace.client
    )
        -> String
    {
        var header = "<?xml version='1.0'?><stream:stream xmlns='\(contentNamespace)'"
        header += " xmlns:stream='\(Namespace.stream)' id='\(id)' from='"
        XMLEscaping.appendAttribute(domain, to: &header)
        header += "'"
        if let to {
            header += " to='"
            XMLEscaping.appendAttribute(to, to: &header)
            header += "'"
        }
        header += " version='1.0' xml:lang='en'>"
        return header
    }

    /// The closing tag of a stream (RFC 6120 §4.4).
    public static let closing = "</stream:stream>"

    /// Checks a received header against RFC 6120 §4.8 and §4.9.3: the `stream` element in the streams
    /// namespace, the expected content namespace, `version='1.0'`, and `to` naming the served domain.
    public static func validate(_ header: XMLElement, domain: String, contentNamespace: String = Namespace.client)
        -> StreamError?
    {
        guard header.name == "stream", header.namespace == Namespace.stream else {
            return StreamError(.invalidNamespace, text: "expected <stream:stream> in \(Namespace.stream)")
        }
        guard header[attribute: "xmlns"] == contentNamespace else {
            return StreamError(.invalidNamespace, text: "content namespace must be \(contentNamespace)")
        }
        guard let version = header[attribute: "version"], version.hasPrefix("1.") else {
            return StreamError(.unsupportedVersion, text: "version='1.0' is required")
        }
        guard let to = header[attribute: "to"] else {
            return StreamError(.hostUnknown, text: "the stream header has no 'to' address")
        }
        guard let jid = try? JID(parsing: to), jid.localpart == nil, jid.resourcepart == nil,
            jid.domainpart == domain
        else {
            return StreamError(.hostUnknown, text: "this server does not serve \(to)")
        }
        return nil
    }
}
