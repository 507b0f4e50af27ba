import XMPPCore

/// XEP-0199 XMPP Ping: an iq get with `<ping xmlns='urn:xmpp:ping'/>` to the server is answered with an empty
/// result (§4.2); to an account's bare JID the server answers on its behalf (§4.3 allows this for c2s).
public struct Ping: IQFeature {
    /// Creates the feature.
    public init() {}

    /// `urn:xmpp:ping`.
    public var namespaces: [String] { [Namespace.ping] }
    /// Advertised as `urn:xmpp:ping` (§5).
    public var discoFeatures: [String] { [Namespace.ping] }

    /// Answers for the server and for accounts.
    public func handles(_ target: IQTarget) -> Bool { true }

    /// An empty result for a get; `bad-request` for a set.
    public func handle(_ iq: Stanza, target: IQTarget, context: FeatureContext) -> XMLElement {
        guard iq.type == "get" else { return iq.makeError(StanzaError(.badRequest, text: "ping is an iq get")) }
        return iq.makeResult()
    }
}
