extension Namespace {
    /// Publish-subscribe, the entity use cases: publish, retract, items (XEP-0060 §7, §6.5; XEP-0163 §3).
    public static let pubsub = "http://jabber.org/protocol/pubsub"
    /// Publish-subscribe owner use cases: configure, delete, purge (XEP-0060 §8).
    public static let pubsubOwner = "http://jabber.org/protocol/pubsub#owner"
    /// Publish-subscribe event notifications carried in `<message/>` (XEP-0060 §7.1.2.1, §7.2.2.1).
    public static let pubsubEvent = "http://jabber.org/protocol/pubsub#event"
    /// Publish-subscribe application-specific error conditions (XEP-0060 §14.2, §7.1.3).
    public static let pubsubErrors = "http://jabber.org/protocol/pubsub#errors"
    /// The `FORM_TYPE` of publish-options data forms (XEP-0060 §7.1.5, §16.4.5).
    public static let pubsubPublishOptions = "http://jabber.org/protocol/pubsub#publish-options"
}

/// A publish-subscribe error: an RFC 6120 stanza error plus the optional `pubsub#errors` condition (XEP-0060 §7.1.3).
///
/// Thrown by ``PubSubRequest/init(_:)`` and the access checks; the server turns it into a reply with
/// ``Stanza/makeError(_:)-(PubSubError)`` so the client sees both conditions, e.g. `<bad-request/>` with
/// `<nodeid-required xmlns='http://jabber.org/protocol/pubsub#errors'/>` (XEP-0060 §7.1.3, §6.5.9).
public struct PubSubError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The defined condition, type and optional text (RFC 6120 §8.3; XEP-0060 §7.1.3).
    public var stanzaError: StanzaError
    /// The local name of the `pubsub#errors` child, e.g. `"nodeid-required"` or `"unsupported"` (XEP-0060 §14.2).
    public var applicationCondition: String?
    /// The `feature` attribute of an `<unsupported/>` condition, e.g. `"subscribe"` (XEP-0060 §10, §14.2).
    public var feature: String?

    /// Wraps a stanza error with an optional application condition (XEP-0060 §7.1.3).
    public init(_ stanzaError: StanzaError, applicationCondition: String? = nil, feature: String? = nil) {
        self.stanzaError = stanzaError
        self.applicationCondition = applicationCondition
        self.feature = feature
    }

    /// Builds an error from its condition; the type defaults to RFC 6120 §8.3.3's (XEP-0060 §7.1.3).
    public init(
        _ condition: StanzaError.Condition, applicationCondition: String? = nil, feature: String? = nil,
        text: String? = nil
    ) {
        self.init(StanzaError(condition, text: text), applicationCondition: applicationCondition, feature: feature)
    }

    /// A request without a `node` attribute: `bad-request` + `<nodeid-required/>` (XEP-0060 §7.1.3, §7.2.3).
    public static let nodeIDRequired = PubSubError(.badRequest, applicationCondition: "nodeid-required")
    /// A publish without `<item/>` or a retract without an item id: `bad-request` + `<item-required/>`
    /// (XEP-0060 §7.1.3.6, §7.2.3).
    public static let itemRequired = PubSubError(.badRequest, applicationCondition: "item-required")
    /// A published item without a payload, which PEP always requires: `bad-request` + `<payload-required/>`
    /// (XEP-0060 §7.1.3.6; XEP-0163 §3).
    public static let payloadRequired = PubSubError(.badRequest, applicationCondition: "payload-required")
    /// More than one item or more than one payload element: `bad-request` + `<invalid-payload/>`
    /// (XEP-0060 §7.1.3.5).
    public static let invalidPayload = PubSubError(.badRequest, applicationCondition: "invalid-payload")
    /// The node or item does not exist: `item-not-found` (XEP-0060 §6.5.9, §7.2.3).
    public static let itemNotFound = PubSubError(.itemNotFound)
    /// A `presence` node and a requester without a presence subscription: `not-authorized` +
    /// `<presence-subscription-required/>` (XEP-0060 §6.5.9).
    public static let presenceSubscriptionRequired = PubSubError(
        .notAuthorized, applicationCondition: "presence-subscription-required")
    /// A `roster` node and a requester outside the allowed groups: `not-authorized` + `<not-in-roster-group/>`
    /// (XEP-0060 §6.5.9).
    public static let notInRosterGroup = PubSubError(.notAuthorized, applicationCondition: "not-in-roster-group")
    /// A `whitelist` node and a requester not on it: `not-allowed` + `<closed-node/>` (XEP-0060 §6.5.9).
    public static let closedNode = PubSubError(.notAllowed, applicationCondition: "closed-node")

    /// Publish-options that disagree with the existing node's configuration: `conflict` +
    /// `<precondition-not-met/>` (XEP-0060 §7.1.5).
    public static func preconditionNotMet(_ text: String? = nil) -> PubSubError {
        PubSubError(.conflict, applicationCondition: "precondition-not-met", text: text)
    }

    /// An optional feature this service does not offer: `feature-not-implemented` +
    /// `<unsupported feature='…'/>` (XEP-0060 §10; XEP-0163 §4 has no explicit subscriptions).
    public static func unsupported(feature: String) -> PubSubError {
        PubSubError(.featureNotImplemented, applicationCondition: "unsupported", feature: feature)
    }

    /// A malformed request with no pubsub-specific condition: plain `bad-request` with text (RFC 6120 §8.3.3.1).
    public static func badRequest(_ text: String) -> PubSubError {
        PubSubError(.badRequest, text: text)
    }

    /// The `<error/>` child: the RFC 6120 condition, optional `<text/>`, then the `pubsub#errors` element
    /// (RFC 6120 §8.3.2; XEP-0060 §7.1.3).
    public func makeErrorElement() -> XMLElement {
        var element = self.stanzaError.makeElement()
        if let condition = self.applicationCondition {
            var child = XMLElement(name: condition, namespace: Namespace.pubsubErrors)
            child[attribute: "feature"] = self.feature
            element.append(child)
        }
        return element
    }

    /// Reads an `<error/>` element back, with its `pubsub#errors` condition if any (XEP-0060 §7.1.3).
    ///
    /// Returns `nil` when the element has no defined RFC 6120 condition.
    public init?(_ element: XMLElement) {
        guard let stanzaError = StanzaError(element) else { return nil }
        let application = element.elements.first { $0.namespace == Namespace.pubsubErrors }
        self.init(
            stanzaError, applicationCondition: application?.name, feature: application?[attribute: "feature"])
    }

    /// A description such as `bad-request (modify) + nodeid-required` (XEP-0060 §7.1.3).
    public var description: String {
        var result = self.stanzaError.description
        if let condition = self.applicationCondition { result += " + \(condition)" }
        if let feature = self.feature { result += " [\(feature)]" }
        return result
    }
}

extension Stanza {
    /// The error reply to this request carrying both the RFC 6120 and the `pubsub#errors` conditions
    /// (RFC 6120 §8.3.1; XEP-0060 §7.1.3).
    public func makeError(_ error: PubSubError) -> XMLElement {
        var response = self.makeError(error.stanzaError)
        response.children.removeAll { node in
            if case .element(let element) = node { element.name == "error" } else { false }
        }
        response.append(error.makeErrorElement())
        return response
    }
}
