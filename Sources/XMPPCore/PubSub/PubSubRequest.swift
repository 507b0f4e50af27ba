/// A publish-subscribe request addressed to an account's PEP service, read from its iq (XEP-0060; XEP-0163 §3, §4).
///
/// PEP puts one virtual pubsub service on every account's bare JID; nodes are created on first publish and
/// subscriptions come from presence (XEP-0163 §4), so only the publisher's and owner's use cases are modelled here.
/// Anything else that is well-formed parses to ``unsupported(feature:)`` and the server chooses the answer.
/// Malformed requests throw the error of the matching XEP-0060 error table.
public enum PubSubRequest: Sendable, Equatable {
    /// Publish one item to a node, creating the node if needed (XEP-0060 §7.1; XEP-0163 §3).
    ///
    /// `itemID` is `nil` when the publisher leaves it to the service (XEP-0060 §7.1.1). A parsed request always
    /// has a `payload`, because PEP nodes deliver payloads (XEP-0163 §3; XEP-0060 §7.1.3.6). `options` are the
    /// publish-options preconditions (XEP-0060 §7.1.5).
    case publish(node: String, itemID: String?, payload: XMLElement?, options: PublishOptions?)
    /// Delete one item; `notify` asks for retraction notifications (XEP-0060 §7.2, §7.2.2.1).
    case retract(node: String, itemID: String, notify: Bool)
    /// Fetch items: the listed ids, or else the newest `maxItems`, or else all (XEP-0060 §6.5).
    case items(node: String, itemIDs: [String], maxItems: Int?)
    /// Delete a node and its items, `pubsub#owner` namespace (XEP-0060 §8.4).
    case delete(node: String)
    /// A well-formed request for an optional feature PEP does not offer here, named as in XEP-0060 §10
    /// (e.g. `subscribe`, `config-node`); XEP-0163 §4 replaces explicit subscriptions with presence.
    case unsupported(feature: String)

    /// The node the request targets, if it names one (XEP-0060 §6.5, §7.1, §7.2, §8.4).
    public var node: String? {
        switch self {
        case .publish(let node, _, _, _), .retract(let node, _, _), .items(let node, _, _), .delete(let node): node
        case .unsupported: nil
        }
    }

    /// Parses an iq `get`/`set` whose payload is `<pubsub/>` in the `pubsub` or `pubsub#owner` namespace
    /// (XEP-0060 §6.5, §7.1, §7.2, §8.4).
    ///
    /// Throws `bad-request` for anything that is not such an iq, for an action sent with the wrong iq type, and for
    /// the XEP-0060 §7.1.3 and §7.2.3 rows: no node (`<nodeid-required/>`), no item or item id
    /// (`<item-required/>`), several items or payloads (`<invalid-payload/>`), no payload (`<payload-required/>`).
    /// An unknown action element is `feature-not-implemented`.
    public init(_ iq: Stanza) throws(PubSubError) {
        guard iq.isIQRequest, let pubsub = iq.payload, pubsub.name == "pubsub" else {
            throw .badRequest("expected an iq get/set with a <pubsub/> payload")
        }
        let isSet = iq.type == "set"
        switch pubsub.namespace {
        case Namespace.pubsub: self = try Self.parseEntity(pubsub, isSet: isSet)
        case Namespace.pubsubOwner: self = try Self.parseOwner(pubsub, isSet: isSet)
        default: throw .badRequest("<pubsub/> in an unknown namespace")
        }
    }

    /// The XEP-0060 §10 feature behind each action of the entity namespace that PEP does not implement here.
    static let unsupportedEntityActions: [String: String] = [
        "subscribe": "subscribe", "unsubscribe": "subscribe", "options": "subscription-options",
        "subscriptions": "retrieve-subscriptions", "affiliations": "retrieve-affiliations",
        "create": "create-nodes", "default": "retrieve-default",
    ]

    /// The XEP-0060 §10 feature behind each owner action other than delete (XEP-0060 §8).
    static let unsupportedOwnerActions: [String: String] = [
        "configure": "config-node", "default": "retrieve-default", "purge": "purge-nodes",
        "subscriptions": "manage-subscriptions", "affiliations": "modify-affiliations",
    ]

    private static func parseEntity(_ pubsub: XMLElement, isSet: Bool) throws(PubSubError) -> PubSubRequest {
        let actions = pubsub.elements.filter { $0.namespace == Namespace.pubsub && $0.name != "publish-options" }
        guard let action = actions.first else { throw .badRequest("<pubsub/> names no action") }
        switch action.name {
        case "publish":
            try Self.require(isSet, action)
            return try Self.parsePublish(
                action, options: pubsub.child(named: "publish-options", namespace: Namespace.pubsub))
        case "retract":
            try Self.require(isSet, action)
            let items = action.children(named: "item", namespace: Namespace.pubsub)
            guard items.count <= 1 else { throw .badRequest("retract one item at a time") }
            guard let itemID = items.first?[attribute: "id"], !itemID.isEmpty else { throw .itemRequired }
            let notify = action[attribute: "notify"].map { $0 == "true" || $0 == "1" } ?? false
            return .retract(node: try Self.node(of: action), itemID: itemID, notify: notify)
        case "items":
            try Self.require(!isSet, action)
            var itemIDs: [String] = []
            for item in action.children(named: "item", namespace: Namespace.pubsub) {
                guard let id = item[attribute: "id"], !id.isEmpty else { throw .badRequest("<item/> without id") }
                itemIDs.append(id)
            }
            var maxItems: Int?
            if let text = action[attribute: "max_items"] {
                guard let value = Int(text), value > 0 else { throw .badRequest("max_items must be positive") }
                maxItems = value
            }
            return .items(node: try Self.node(of: action), itemIDs: itemIDs, maxItems: maxItems)
        default:
            if let feature = Self.unsupportedEntityActions[action.name] { return .unsupported(feature: feature) }
            throw PubSubError(.featureNotImplemented, text: "unknown pubsub action <\(action.name)/>")
        }
    }

    private static func parseOwner(_ pubsub: XMLElement, isSet: Bool) throws(PubSubError) -> PubSubRequest {
        guard let action = pubsub.elements.first(where: { $0.namespace == Namespace.pubsubOwner }) else {
            throw .badRequest("<pubsub/> names no action")
        }
        if action.name == "delete" {
            try Self.require(isSet, action)
            return .delete(node: try Self.node(of: action))
        }
        if let feature = Self.unsupportedOwnerActions[action.name] { return .unsupported(feature: feature) }
        throw PubSubError(.featureNotImplemented, text: "unknown pubsub#owner action <\(action.name)/>")
    }

    /// Reads `<publish/>`: exactly one `<item/>` holding exactly one payload element (XEP-0060 §7.1.1, §7.1.3).
    private static func parsePublish(_ publish: XMLElement, options: XMLElement?) throws(PubSubError)
        -> PubSubRequest
    {
        let node = try Self.node(of: publish)
        let items = publish.children(named: "item", namespace: Namespace.pubsub)
        guard items.count <= 1 else { throw .invalidPayload }
        guard let item = items.first else { throw .itemRequired }
        guard item.elements.count <= 1 else { throw .invalidPayload }
        guard let payload = item.elements.first else { throw .payloadRequired }
        let itemID = item[attribute: "id"].flatMap { $0.isEmpty ? nil : $0 }
        let form = options?.elements.first
        let publishOptions = try form.map { (form: XMLElement) throws(PubSubError) in try PublishOptions(form: form) }
        return .publish(node: node, itemID: itemID, payload: payload, options: publishOptions)
    }

    /// The non-empty `node` attribute, or `<nodeid-required/>` (XEP-0060 §7.1.3, §7.2.3).
    private static func node(of action: XMLElement) throws(PubSubError) -> String {
        guard let node = action[attribute: "node"], !node.isEmpty else { throw .nodeIDRequired }
        return node
    }

    /// Checks the iq type: retrievals are `get`, everything else `set` (XEP-0060 §6.5.1, §7.1.1, §7.2.1, §8.4.1).
    private static func require(_ condition: Bool, _ action: XMLElement) throws(PubSubError) {
        guard condition else { throw .badRequest("wrong iq type for <\(action.name)/>") }
    }
}
