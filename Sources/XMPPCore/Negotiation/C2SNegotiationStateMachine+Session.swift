extension C2SNegotiationStateMachine {
    /// Resource binding (RFC 6120 §7): the only stanza accepted before it is an iq set carrying `<bind/>`.
    mutating func bind(_ element: XMLElement, bareJID: JID) -> Action {
        if element.namespace == Namespace.streamManagement {
            if element.name == "resume", let previd = element[attribute: "previd"],
                let h = element[attribute: "h"].flatMap({ UInt32($0) })
            {
                return .resume(previd: previd, h: h, jid: bareJID)
            }
            // XEP-0198 §3: <enable/> before binding is answered <failed/> by the driver.
            return .streamManagement(element)
        }
        guard element.namespace == Namespace.client, element.name == "iq",
            let bind = element.child(named: "bind", namespace: Namespace.bind), element[attribute: "type"] == "set",
            let id = element[attribute: "id"]
        else {
            return self.fail(StreamError(.notAuthorized, text: "bind a resource before sending stanzas"))
        }
        let requested = bind.child(named: "resource", namespace: Namespace.bind)?.text ?? ""
        let resource = requested.isEmpty ? self.configuration.resourceGenerator() : requested
        guard let full = try? bareJID.withResource(resource) else {
            var error = XMLElement(name: "iq", namespace: Namespace.client, attributes: ["type": "error", "id": id])
            error.append(bind)
            error.append(StanzaError(.badRequest, text: "invalid resource").makeElement())
            return .send(error)
        }
        var result = XMLElement(name: "iq", namespace: Namespace.client, attributes: ["type": "result", "id": id])
        result.append(
            XMLElement(
                name: "bind", namespace: Namespace.bind,
                children: [
                    .element(XMLElement(name: "jid", namespace: Namespace.bind, children: [.text(full.description)]))
                ]
            ))
        self.state = .established(full)
        return .bind(jid: full, result: result)
    }

    /// An established session: stanzas get `from` stamped and go to the router (RFC 6120 §8.1.2.1); anything else
    /// at the first level ends the stream with `unsupported-stanza-type` (RFC 6120 §4.9.3.24).
    mutating func established(_ element: XMLElement, jid: JID) -> Action {
        if element.namespace == Namespace.streamManagement {
            return .streamManagement(element)
        }
        guard element.namespace == Namespace.client, Stanza.Kind(rawValue: element.name) != nil else {
            return self.fail(
                StreamError(.unsupportedStanzaType, text: "<\(element.name)/> is not a stanza in jabber:client"))
        }
        do {
            var stanza = try Stanza(element)
            stanza.stamp(from: jid)
            return .deliver(stanza)
        } catch {
            return Self.reject(element, error, sender: jid)
        }
    }

    /// Answers a stanza that could not even be parsed (bad address, bad iq shape), never an error or result
    /// (RFC 6120 §8.3.1).
    static func reject(_ element: XMLElement, _ error: StanzaError, sender: JID) -> Action {
        let type = element[attribute: "type"]
        if type == "error" || (element.name == "iq" && type == "result") { return .none }
        var response = XMLElement(
            name: element.name, namespace: Namespace.client,
            attributes: ["type": "error", "to": sender.description])
        response[attribute: "id"] = element[attribute: "id"]
        response.append(error.makeElement())
        return .send(response)
    }
}
