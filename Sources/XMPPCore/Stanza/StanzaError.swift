/// A stanza-level error (RFC 6120 §8.3): returned to the sender inside a stanza of type `error`.
public struct StanzaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The error type, telling the sender whether and how to retry (RFC 6120 §8.3.2).
    public enum ErrorType: String, Sendable, Hashable {
        case auth, cancel, `continue`, modify, wait
    }

    /// The defined stanza error conditions with their usual type (RFC 6120 §8.3.3).
    public enum Condition: String, Sendable, Hashable, CaseIterable {
        case badRequest = "bad-request"
        case conflict
        case featureNotImplemented = "feature-not-implemented"
        case forbidden
        case gone
        case internalServerError = "internal-server-error"
        case itemNotFound = "item-not-found"
        case jidMalformed = "jid-malformed"
        case notAcceptable = "not-acceptable"
        case notAllowed = "not-allowed"
        case notAuthorized = "not-authorized"
        case policyViolation = "policy-violation"
        case recipientUnavailable = "recipient-unavailable"
        case redirect
        case registrationRequired = "registration-required"
        case remoteServerNotFound = "remote-server-not-found"
        case remoteServerTimeout = "remote-server-timeout"
        case resourceConstraint = "resource-constraint"
        case serviceUnavailable = "service-unavailable"
        case subscriptionRequired = "subscription-required"
        case undefinedCondition = "undefined-condition"
        case unexpectedRequest = "unexpected-request"

        /// The type RFC 6120 §8.3.3 gives in each condition's example.
        public var defaultType: ErrorType {
            switch self {
            case .badRequest, .jidMalformed, .notAcceptable, .policyViolation, .redirect: .modify
            case .forbidden, .notAuthorized, .registrationRequired, .subscriptionRequired: .auth
            case .internalServerError, .recipientUnavailable, .remoteServerTimeout, .resourceConstraint: .wait
            case .unexpectedRequest: .wait
            default: .cancel
            }
        }
    }

    /// The condition element.
    public var condition: Condition
    /// The error type.
    public var type: ErrorType
    /// Optional human-readable text (RFC 6120 §8.3.2).
    public var text: String?

    /// Creates a stanza error; the type defaults to the one RFC 6120 §8.3.3 uses for the condition.
    public init(_ condition: Condition, type: ErrorType? = nil, text: String? = nil) {
        self.condition = condition
        self.type = type ?? condition.defaultType
        self.text = text
    }

    /// The `<error/>` child element (RFC 6120 §8.3.2).
    public func makeElement() -> XMLElement {
        var element = XMLElement(name: "error", namespace: Namespace.client, attributes: ["type": self.type.rawValue])
        element.append(XMLElement(name: self.condition.rawValue, namespace: Namespace.stanzaErrors))
        if let text = self.text {
            element.append(
                XMLElement(
                    name: "text", namespace: Namespace.stanzaErrors, attributes: ["xml:lang": "en"],
                    children: [.text(text)]))
        }
        return element
    }

    /// Reads an `<error/>` child back (used by tests and by s2s bounce handling).
    public init?(_ element: XMLElement) {
        guard element.name == "error",
            let conditionElement = element.elements.first(where: {
                $0.namespace == Namespace.stanzaErrors && $0.name != "text"
            }),
            let condition = Condition(rawValue: conditionElement.name)
        else { return nil }
        self.condition = condition
        self.type = element[attribute: "type"].flatMap(ErrorType.init(rawValue:)) ?? condition.defaultType
        self.text = element.child(named: "text", namespace: Namespace.stanzaErrors)?.text
    }

    /// A description such as `service-unavailable (cancel)`.
    public var description: String {
        "\(self.condition.rawValue) (\(self.type.rawValue))" + (self.text.map { ": \($0)" } ?? "")
    }
}
