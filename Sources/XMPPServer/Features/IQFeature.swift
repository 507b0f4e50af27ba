import XMPPCore

/// Who an iq request is addressed to, as far as the server's own features are concerned.
public enum IQTarget: Sendable, Equatable {
    /// The server itself: `to` is the domain (RFC 6120 §10.3.2).
    case server
    /// An account, answered by the server on its behalf (RFC 6121 §8.5.2.1.3, RFC 6120 §10.3.3).
    case account(JID)
}

/// What a feature can see of the server while answering.
public struct FeatureContext: Sendable {
    /// The domain served.
    public var domain: String
    /// Software name and version for XEP-0092.
    public var softwareName: String
    /// Software version for XEP-0092.
    public var softwareVersion: String
    /// Every feature namespace the server advertises in disco#info (XEP-0030 §3.1).
    public var discoFeatures: [String]
    /// Items the server lists in disco#items (XEP-0030 §4.1): (jid, name).
    public var discoItems: [(jid: String, name: String?)]

    /// Creates a context.
    public init(
        domain: String, softwareName: String, softwareVersion: String, discoFeatures: [String],
        discoItems: [(jid: String, name: String?)] = []
    ) {
        self.domain = domain
        self.softwareName = softwareName
        self.softwareVersion = softwareVersion
        self.discoFeatures = discoFeatures
        self.discoItems = discoItems
    }
}

/// One XMPP extension that answers iq requests in its payload namespace (STYLE: one file per XEP).
///
/// The router finds a feature by the namespace of the iq's payload and the target; an iq nobody handles gets
/// `service-unavailable` (RFC 6120 §8.3.3.19).
public protocol IQFeature: Sendable {
    /// The payload namespaces this feature answers.
    var namespaces: [String] { get }
    /// What this feature adds to disco#info `<feature var=…/>` (XEP-0030 §3.1).
    var discoFeatures: [String] { get }
    /// Whether the feature answers requests addressed to `target`.
    func handles(_ target: IQTarget) -> Bool
    /// Answers one iq get/set: the result or an error element to send back.
    func handle(_ iq: Stanza, target: IQTarget, context: FeatureContext) -> XMLElement
}
