import XMPPCore

/// The iqs of resource binding and of the legacy session, and reading their answers (RFC 6120 §7; RFC 3921 §3).
enum ResourceBinding {
    /// `<iq type='set' id='…'><bind><resource>…</resource></bind></iq>`; without a resource the server picks one
    /// (RFC 6120 §7.5, §7.6).
    static func request(id: String, resource: String?) -> XMLElement {
        var bind = XMLElement(name: "bind", namespace: Namespace.bind)
        if let resource {
            bind.append(XMLElement(name: "resource", namespace: Namespace.bind, children: [.text(resource)]))
        }
        return XMLElement(
            name: "iq", namespace: Namespace.client, attributes: ["type": "set", "id": id],
            children: [.element(bind)])
    }

    /// `<iq type='set' id='…'><session/></iq>`, for servers that still require it (RFC 3921 §3).
    static func sessionRequest(id: String) -> XMLElement {
        XMLElement(
            name: "iq", namespace: Namespace.client, attributes: ["type": "set", "id": id],
            children: [.element(XMLElement(name: "session", namespace: Namespace.session))])
    }

    /// Whether the features make the session iq mandatory: `<session/>` without `<optional/>` (RFC 3921 §3;
    /// draft-cridland-xmpp-session-01).
    static func sessionRequired(_ features: XMLElement) -> Bool {
        guard let session = features.child(named: "session", namespace: Namespace.session) else { return false }
        return session.child(named: "optional", namespace: Namespace.session) == nil
    }

    /// Whether `element` is the answer to the iq `id` (RFC 6120 §8.2.3).
    static func isAnswer(_ element: XMLElement, to id: String) -> Bool {
        element.name == "iq" && element.namespace == Namespace.client && element[attribute: "id"] == id
    }

    /// The text of `<bind><jid/></bind>` in a bind result (RFC 6120 §7.6.1).
    static func boundJIDText(_ result: XMLElement) -> String? {
        result.child(named: "bind", namespace: Namespace.bind)?.child(named: "jid", namespace: Namespace.bind)?.text
    }

    /// The bind or session failure with the server's stanza error, if any (RFC 6120 §7.6.2).
    static func failure(_ element: XMLElement, _ reason: String) -> XMPPClientError {
        let error = element.child(named: "error", namespace: Namespace.client).flatMap(StanzaError.init)
        return XMPPClientError(.bindFailed, error.map { "\(reason): \($0)" } ?? reason, stanzaError: error)
    }
}
