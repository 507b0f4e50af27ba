import XMPPCore

/// Where a stanza from a local session goes (RFC 6120 §10, RFC 6121 §8).
public enum RoutingDecision: Sendable, Equatable {
    /// Deliver to these connected sessions (full JIDs).
    case deliver([JID])
    /// The server answers itself: addressed to the domain (RFC 6120 §10.3.2).
    case handleByServer
    /// A local component at this subdomain answers (``ServerComponent``).
    case handleByComponent(String)
    /// The server answers on behalf of the account (iq to a bare JID, RFC 6121 §8.5.1 and §8.5.2.1.3; or a
    /// stanza with no `to`, RFC 6120 §10.3.3).
    case handleForAccount(JID)
    /// A chat or normal message for an account with no available resource: store it for the next login
    /// (RFC 6121 §8.5.2.2.1, XEP-0160), or bounce it if the account does not exist.
    case storeOffline
    /// Send to another server, over s2s (RFC 6120 §10.4).
    case remote(String)
    /// Return this error to the sender (RFC 6120 §8.3).
    case bounce(StanzaError)
    /// Silently ignore (RFC 6121 §8.5.2.2, §8.5.3.2).
    case drop
}

/// What routing needs to know about one connected resource.
public struct ResourceSnapshot: Sendable, Equatable {
    /// The session's full JID.
    public var jid: JID
    /// The priority of its last undirected available presence, or nil while it is not available
    /// (RFC 6121 §4.7.2.3).
    public var priority: Int?

    /// Creates a snapshot.
    public init(jid: JID, priority: Int?) {
        self.jid = jid
        self.priority = priority
    }
}

/// The routing rules as a pure function of the stanza and the recipient's connected resources.
///
/// Implements RFC 6120 §10.3–§10.5 and RFC 6121 §8.5 for a single domain: local bare and full JIDs, the server
/// itself, and remote domains (sent over s2s with federation, RFC 6120 §10.4; otherwise bounced with
/// `remote-server-not-found`). A stanza of type error and an iq result are never answered with an error
/// (RFC 6120 §8.3.1).
public struct RoutingPolicy: Sendable {
    /// The domain served.
    public let domain: String
    /// Subdomains served by in-process components (``ServerComponent``).
    public let components: Set<String>
    /// Whether stanzas to other domains go out over s2s.
    public let federation: Bool

    /// Creates the policy for a domain and its component subdomains.
    public init(domain: String, components: Set<String> = [], federation: Bool = false) {
        self.domain = domain
        self.components = components
        self.federation = federation
    }

    /// Decides where `stanza` (already stamped with the sender's full JID) goes. `resources` are the connected
    /// resources of the recipient's bare JID.
    public func decide(_ stanza: Stanza, resources: [ResourceSnapshot]) -> RoutingDecision {
        let decision = self.rawDecision(stanza, resources: resources)
        if case .bounce = decision, stanza.isResponseOrError { return .drop }
        return decision
    }

    private func rawDecision(_ stanza: Stanza, resources: [ResourceSnapshot]) -> RoutingDecision {
        guard let to = stanza.to else {
            // RFC 6120 §10.3.3: no 'to' means the sender's own account.
            guard let from = stanza.from else { return .drop }
            switch stanza.kind {
            case .iq: return .handleForAccount(from.bare)
            case .message: return self.toBare(stanza, resources: resources)
            case .presence: return .deliver(resources.filter { $0.priority != nil }.map(\.jid))
            }
        }
        if self.components.contains(to.domainpart) { return .handleByComponent(to.domainpart) }
        guard to.domainpart == self.domain else {
            if self.federation { return .remote(to.domainpart) }
            return stanza.kind == .presence
                ? .drop : .bounce(StanzaError(.remoteServerNotFound, text: "no federation route to \(to.domainpart)"))
        }
        guard to.localpart != nil else { return stanza.kind == .iq ? .handleByServer : .drop }
        if to.resourcepart != nil {
            return self.toFull(stanza, to: to, resources: resources)
        }
        return self.toBare(stanza, resources: resources)
    }

    /// RFC 6121 §8.5.3: a full JID.
    private func toFull(_ stanza: Stanza, to: JID, resources: [ResourceSnapshot]) -> RoutingDecision {
        if resources.contains(where: { $0.jid == to }) { return .deliver([to]) }
        switch stanza.kind {
        case .message:
            switch stanza.type {
            case "groupchat": return .bounce(StanzaError(.serviceUnavailable))
            case "headline", "error": return .drop
            default: return self.toBare(stanza, resources: resources)
            }
        case .presence: return .drop
        case .iq: return .bounce(StanzaError(.serviceUnavailable, text: "the resource is not connected"))
        }
    }

    /// RFC 6121 §8.5.2: a bare JID.
    private func toBare(_ stanza: Stanza, resources: [ResourceSnapshot]) -> RoutingDecision {
        switch stanza.kind {
        case .iq:
            return .handleForAccount(stanza.to?.bare ?? stanza.from!.bare)
        case .presence:
            return .deliver(resources.filter { $0.priority != nil }.map(\.jid))
        case .message:
            let available = resources.compactMap { r in r.priority.map { (r.jid, $0) } }.filter { $0.1 >= 0 }
            guard let top = available.map(\.1).max() else {
                switch stanza.type {
                case "headline", "error", "groupchat": return .drop
                default: return .storeOffline
                }
            }
            if stanza.type == "headline" { return .deliver(available.map(\.0)) }
            return .deliver(available.filter { $0.1 == top }.map(\.0))
        }
    }
}
