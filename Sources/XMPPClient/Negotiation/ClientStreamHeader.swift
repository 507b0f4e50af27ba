import XMPPCore

/// The client's opening stream header and its check of the server's (RFC 6120 §4.7, §4.8), the client-side
/// counterpart of XMPPCore's `StreamHeader`.
enum ClientStreamHeader {
    /// `<stream:stream to='D' [from='bare'] version='1.0'>` with the `stream` prefix bound (RFC 6120 §4.7.1:
    /// `from` only once the stream is protected by TLS).
    static func opening(to domain: String, from: JID?) -> String {
        var header = "<?xml version='1.0'?><stream:stream xmlns='\(Namespace.client)'"
        header += " xmlns:stream='\(Namespace.stream)' to='\(Self.escape(domain))'"
        if let from {
            header += " from='\(Self.escape(from.description))'"
        }
        return header + " version='1.0' xml:lang='en'>"
    }

    /// Checks the server's header: `<stream:stream>` in the streams namespace, content namespace `jabber:client`,
    /// version 1.x and, when present, `from` naming `domainpart` (RFC 6120 §4.7.1, §4.8, §4.9.3).
    static func validate(_ header: XMLElement, domainpart: String) -> StreamError? {
        guard header.name == "stream", header.namespace == Namespace.stream,
            header[attribute: "xmlns"] == Namespace.client
        else {
            return StreamError(.invalidNamespace, text: "the server's stream header is not a jabber:client stream")
        }
        guard let version = header[attribute: "version"], version.hasPrefix("1.") else {
            return StreamError(.unsupportedVersion, text: "the server did not announce version 1.0")
        }
        if let from = header[attribute: "from"], (try? JID(parsing: from))?.domainpart != domainpart {
            return StreamError(.invalidFrom, text: "the server answered as '\(from)', not '\(domainpart)'")
        }
        return nil
    }

    /// Escapes an attribute value quoted with `'` (XML 1.0 §2.3, §2.4).
    private static func escape(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "'": result += "&apos;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
