import XMPPCore

/// XEP-0030 Service Discovery for the server itself: disco#info (identity `server/im` and every advertised
/// feature, §3.1) and disco#items (§4.1). Nodes are not supported: a `node` gets `item-not-found` (§3.2, §7).
public struct ServiceDiscovery: IQFeature {
    /// Creates the feature.
    public init() {}

    /// disco#info and disco#items.
    public var namespaces: [String] { [Namespace.discoInfo, Namespace.discoItems] }
    /// Both namespaces are advertised.
    public var discoFeatures: [String] { [Namespace.discoInfo, Namespace.discoItems] }

    /// Answers for the server only; account disco belongs to the presence issue's PEP support.
    public func handles(_ target: IQTarget) -> Bool { target == .server }

    /// Builds the disco#info or disco#items result.
    public func handle(_ iq: Stanza, target: IQTarget, context: FeatureContext) -> XMLElement {
        guard iq.type == "get", let query = iq.payload, query.name == "query" else {
            return iq.makeError(StanzaError(.badRequest, text: "expected <query/> in an iq get"))
        }
        if query[attribute: "node"] != nil {
            return iq.makeError(StanzaError(.itemNotFound, text: "no such node"))
        }
        var result = XMLElement(name: "query", namespace: query.namespace)
        if query.namespace == Namespace.discoInfo {
            result.append(
                XMLElement(
                    name: "identity", namespace: Namespace.discoInfo,
                    attributes: ["category": "server", "type": "im", "name": context.softwareName]))
            for feature in Set(context.discoFeatures).sorted() {
                result.append(XMLElement(name: "feature", namespace: Namespace.discoInfo, attributes: ["var": feature]))
            }
        } else {
            for item in context.discoItems {
                var element = XMLElement(name: "item", namespace: Namespace.discoItems, attributes: ["jid": item.jid])
                element[attribute: "name"] = item.name
                result.append(element)
            }
        }
        return iq.makeResult(payload: result)
    }
}
