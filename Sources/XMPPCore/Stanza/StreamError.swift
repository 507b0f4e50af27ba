/// A stream-level error (RFC 6120 §4.9): sent as `<stream:error/>` right before the stream is closed.
public struct StreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The defined stream error conditions (RFC 6120 §4.9.3).
    public enum Condition: String, Sendable, Hashable, CaseIterable {
        case badFormat = "bad-format"
        case badNamespacePrefix = "bad-namespace-prefix"
        case conflict
        case connectionTimeout = "connection-timeout"
        case hostGone = "host-gone"
        case hostUnknown = "host-unknown"
        case improperAddressing = "improper-addressing"
        case internalServerError = "internal-server-error"
        case invalidFrom = "invalid-from"
        case invalidNamespace = "invalid-namespace"
        case invalidXML = "invalid-xml"
        case notAuthorized = "not-authorized"
        case notWellFormed = "not-well-formed"
        case policyViolation = "policy-violation"
        case remoteConnectionFailed = "remote-connection-failed"
        case reset
        case resourceConstraint = "resource-constraint"
        case restrictedXML = "restricted-xml"
        case seeOtherHost = "see-other-host"
        case systemShutdown = "system-shutdown"
        case undefinedCondition = "undefined-condition"
        case unsupportedEncoding = "unsupported-encoding"
        case unsupportedFeature = "unsupported-feature"
        case unsupportedStanzaType = "unsupported-stanza-type"
        case unsupportedVersion = "unsupported-version"
    }

    /// The condition element sent to the peer.
    public var condition: Condition
    /// Optional human-readable text (RFC 6120 §4.9.2), sent with `xml:lang='en'`.
    public var text: String?

    /// Creates a stream error with an optional explanatory text.
    public init(_ condition: Condition, text: String? = nil) {
        self.condition = condition
        self.text = text
    }

    /// The `<stream:error/>` element (RFC 6120 §4.9.2).
    public func makeElement() -> XMLElement {
        var element = XMLElement(name: "error", namespace: Namespace.stream)
        element.append(XMLElement(name: self.condition.rawValue, namespace: Namespace.streamErrors))
        if let text = self.text {
            element.append(
                XMLElement(
                    name: "text", namespace: Namespace.streamErrors, attributes: ["xml:lang": "en"],
                    children: [.text(text)]))
        }
        return element
    }

    /// The error as sent inside an open stream whose `stream` prefix is bound (RFC 6120 §4.9.2 example).
    public func serialized() -> String {
        var inner = ""
        for child in self.makeElement().elements {
            child.serialize(into: &inner, parentNamespace: nil)
        }
        return "<stream:error>\(inner)</stream:error>"
    }

    /// A description such as `policy-violation: stanza too large`.
    public var description: String {
        self.text.map { "\(self.condition.rawValue): \($0)" } ?? self.condition.rawValue
    }
}

extension StreamError {
    /// Maps a parser failure onto the stream error RFC 6120 §4.9.3 and §11 prescribe.
    public init(_ error: XMLStreamError) {
        switch error.code {
        case .notWellFormed: self.init(.notWellFormed, text: error.reason)
        case .restrictedXML: self.init(.restrictedXML, text: error.reason)
        case .policyViolation: self.init(.policyViolation, text: error.reason)
        case .invalidXML: self.init(.invalidXML, text: error.reason)
        }
    }
}
