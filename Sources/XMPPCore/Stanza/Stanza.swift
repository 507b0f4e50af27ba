/// A first-level XMPP stanza — `<message/>`, `<presence/>` or `<iq/>` — over its generic XML element (RFC 6120 §8).
///
/// The element is the opaque carrier; payload types read it with their own `init(_ element:) throws`
/// (STYLE: typed payloads over an opaque carrier). Addresses are parsed once here.
public struct Stanza: Sendable, Hashable {
    /// The three stanza kinds (RFC 6120 §8.2).
    public enum Kind: String, Sendable, Hashable {
        case message, presence, iq
    }

    /// Which kind of stanza this is.
    public let kind: Kind
    /// The whole element, including `to`/`from` attributes.
    public private(set) var element: XMLElement
    /// The parsed `to` address, if any (RFC 6120 §8.1.1).
    public private(set) var to: JID?
    /// The parsed `from` address, if any (RFC 6120 §8.1.2).
    public private(set) var from: JID?

    /// Wraps an element received on a stream whose content namespace is `contentNamespace`.
    ///
    /// Throws `StanzaError(.jidMalformed)` when `to` or `from` is not a valid JID (RFC 6120 §8.1.1.1),
    /// and returns nil (via the thrown `.badRequest`) for anything that is not a stanza.
    public init(_ element: XMLElement, contentNamespace: String = Namespace.client) throws(StanzaError) {
        guard element.namespace == contentNamespace, let kind = Kind(rawValue: element.name) else {
            throw StanzaError(.badRequest, text: "not a stanza: <\(element.name)/>")
        }
        self.kind = kind
        self.element = element
        do {
            self.to = try element[attribute: "to"].map { try JID(parsing: $0) }
        } catch {
            throw StanzaError(.jidMalformed, text: "invalid 'to' address")
        }
        do {
            self.from = try element[attribute: "from"].map { try JID(parsing: $0) }
        } catch {
            throw StanzaError(.jidMalformed, text: "invalid 'from' address")
        }
        if kind == .iq {
            try Self.validateIQ(element)
        }
    }

    /// The `id` attribute (RFC 6120 §8.1.3).
    public var id: String? { self.element[attribute: "id"] }
    /// The `type` attribute (RFC 6120 §8.1.4).
    public var type: String? { self.element[attribute: "type"] }

    /// True for iq stanzas of type `get` or `set`, which must be answered (RFC 6120 §8.2.3).
    public var isIQRequest: Bool { self.kind == .iq && (self.type == "get" || self.type == "set") }

    /// True for stanzas that must never be answered with an error: iq result/error and any error stanza
    /// (RFC 6120 §8.3.1).
    public var isResponseOrError: Bool {
        self.type == "error" || (self.kind == .iq && self.type == "result")
    }

    /// The single payload child of an iq request (RFC 6120 §8.2.3).
    public var payload: XMLElement? { self.element.elements.first }

    /// Sets the `from` address: the server stamps it on everything a client sends (RFC 6120 §8.1.2.1).
    public mutating func stamp(from jid: JID) {
        self.from = jid
        self.element[attribute: "from"] = jid.description
    }

    /// Sets the `to` address.
    public mutating func address(to jid: JID?) {
        self.to = jid
        self.element[attribute: "to"] = jid?.description
    }

    /// An iq of type `result` answering this request, with an optional payload (RFC 6120 §8.2.3).
    public func makeResult(payload: XMLElement? = nil) -> XMLElement {
        var result = XMLElement(name: "iq", namespace: Namespace.client, attributes: ["type": "result"])
        result[attribute: "id"] = self.id
        result[attribute: "to"] = self.from?.description
        result[attribute: "from"] = self.to?.description
        if let payload { result.append(payload) }
        return result
    }

    /// The error response to this stanza: same kind and id, addresses swapped, the original payload kept,
    /// `type='error'` and the `<error/>` child (RFC 6120 §8.3.1).
    public func makeError(_ error: StanzaError) -> XMLElement {
        var response = self.element
        response[attribute: "type"] = "error"
        response[attribute: "to"] = self.from?.description
        response[attribute: "from"] = self.to?.description
        response.children.removeAll { if case .element(let e) = $0 { e.name == "error" } else { false } }
        response.append(error.makeElement())
        return response
    }

    private static func validateIQ(_ element: XMLElement) throws(StanzaError) {
        guard element[attribute: "id"] != nil else {
            throw StanzaError(.badRequest, text: "iq without id")
        }
        switch element[attribute: "type"] {
        case "get", "set":
            guard element.elements.count == 1 else {
                throw StanzaError(.badRequest, text: "iq get/set must have exactly one payload")
            }
        case "result", "error": break
        default: throw StanzaError(.badRequest, text: "iq type must be get, set, result or error")
        }
    }
}
