import XMPPCore

/// XEP-0092 Software Version for the server: `<name/>` and `<version/>` (§2). The operating system is not
/// disclosed (§6 recommends leaving it out).
public struct SoftwareVersion: IQFeature {
    /// Creates the feature.
    public init() {}

    /// `jabber:iq:version`.
    public var namespaces: [String] { [Namespace.version] }
    /// Advertised as `jabber:iq:version` (§3).
    public var discoFeatures: [String] { [Namespace.version] }

    /// Answers for the server only.
    public func handles(_ target: IQTarget) -> Bool { target == .server }

    /// The name and version result.
    public func handle(_ iq: Stanza, target: IQTarget, context: FeatureContext) -> XMLElement {
        guard iq.type == "get" else { return iq.makeError(StanzaError(.badRequest, text: "version is an iq get")) }
        var query = XMLElement(name: "query", namespace: Namespace.version)
        query.append(XMLElement(name: "name", namespace: Namespace.version, children: [.text(context.softwareName)]))
        query.append(
            XMLElement(name: "version", namespace: Namespace.version, children: [.text(context.softwareVersion)]))
        return iq.makeResult(payload: query)
    }
}
