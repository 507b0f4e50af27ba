import XMPPCore

/// The legacy session-establishment iq of RFC 3921 §3, advertised as optional
/// (draft-cridland-xmpp-session-01 §2): older clients still send it after binding, and it succeeds as a no-op.
public struct LegacySession: IQFeature {
    /// Creates the feature.
    public init() {}

    /// `urn:ietf:params:xml:ns:xmpp-session`.
    public var namespaces: [String] { [Namespace.session] }
    /// Not advertised in disco (it is a stream feature).
    public var discoFeatures: [String] { [] }

    /// Clients address it to the server or send it without `to`.
    public func handles(_ target: IQTarget) -> Bool { true }

    /// An empty result.
    public func handle(_ iq: Stanza, target: IQTarget, context: FeatureContext) -> XMLElement {
        iq.makeResult()
    }
}
