import Foundation
import Logging
import Metrics
import XMPPCore

/// Carries out ``RoutingPolicy`` decisions: delivers to sessions, runs the server's iq features, bounces errors.
///
/// Thread-safe; called from whichever event loop received the stanza.
public final class StanzaRouter: Sendable {
    /// The pure routing rules.
    public let policy: RoutingPolicy
    /// The bound sessions.
    public let sessions: SessionManager
    private let features: [any IQFeature]
    private let featuresByNamespace: [String: [any IQFeature]]
    private let context: FeatureContext
    private let routed = Counter(label: "xmpp_stanzas_routed_total")
    private let bounced = Counter(label: "xmpp_stanzas_bounced_total")
    private let presence: (any PresenceHandling)?
    private let components: [String: any ServerComponent]
    private let interceptors: [any StanzaInterceptor]
    /// Where stanzas to other domains go (RFC 6120 §10.4); nil without federation.
    let federation: (any FederationRouting)?

    /// Creates a router for `domain` with the given features (Prosody's `stanza_router`, typed); presence,
    /// roster and offline work goes to `presence` when given (RFC 6121), otherwise only priorities are tracked.
    /// Stanzas to a component's domain go to that component, which is also listed in disco#items; `interceptors`
    /// see every stanza first and may take it over.
    public init(
        domain: String, sessions: SessionManager, features: [any IQFeature], softwareVersion: String,
        discoItems: [(jid: String, name: String?)] = [], presence: (any PresenceHandling)? = nil,
        components: [any ServerComponent] = [], interceptors: [any StanzaInterceptor] = [],
        federation: (any FederationRouting)? = nil
    ) {
        self.presence = presence
        self.interceptors = interceptors
        self.federation = federation
        self.components = Dictionary(components.map { ($0.domain, $0) }, uniquingKeysWith: { first, _ in first })
        self.policy = RoutingPolicy(
            domain: domain, components: Set(self.components.keys), federation: federation != nil)
        let discoItems = discoItems + components.map { (jid: $0.domain, name: Optional($0.name)) }
        self.sessions = sessions
        self.features = features
        var byNamespace: [String: [any IQFeature]] = [:]
        for feature in features {
            for namespace in feature.namespaces { byNamespace[namespace, default: []].append(feature) }
        }
        self.featuresByNamespace = byNamespace
        self.context = FeatureContext(
            domain: domain, softwareName: "Intercloud Root", softwareVersion: softwareVersion,
            discoFeatures: features.flatMap(\.discoFeatures), discoItems: discoItems)
    }

    /// The features every server runs (XEP-0030, XEP-0199, XEP-0092, RFC 3921 session).
    public static let coreFeatures: [any IQFeature] = [ServiceDiscovery(), Ping(), SoftwareVersion(), LegacySession()]

    /// Tells the presence engine that a session ended (RFC 6121 §4.5.2 unavailable on connection loss).
    public func sessionEnded(_ session: Session) {
        self.presence?.submit(.sessionEnded(session))
    }

    /// Puts a message that a dead session never acknowledged back into offline storage for its account
    /// (XEP-0198 §5, XEP-0160).
    public func requeue(_ message: Stanza, from session: Session) {
        self.presence?.submit(.offline(message, session))
    }

    /// Routes one stanza sent by `sender` (its `from` already stamped).
    public func route(_ stanza: Stanza, from sender: Session) {
        for interceptor in self.interceptors where interceptor.intercept(stanza, from: sender) { return }
        if let presence = self.presence, let event = Self.presenceEvent(stanza, sender: sender) {
            presence.submit(event)
            return
        }
        if self.presence == nil { self.trackPresence(stanza, sender: sender) }
        self.trackDirectedPresence(stanza, sender: sender)
        let recipientBare = stanza.to?.bare ?? sender.jid.bare
        let resources =
            recipientBare.domainpart == self.policy.domain && recipientBare.localpart != nil
            ? self.sessions.sessions(of: recipientBare).map(\.snapshot) : []
        switch self.policy.decide(stanza, resources: resources) {
        case .deliver(let jids):
            self.routed.increment()
            for jid in jids { self.sessions.session(jid)?.deliver(stanza.element) }
        case .handleByServer:
            self.handleLocally(stanza, target: .server, sender: sender)
        case .handleByComponent(let domain):
            self.routed.increment()
            self.components[domain]?.handle(stanza, from: sender)
        case .handleForAccount(let account):
            self.handleLocally(stanza, target: .account(account), sender: sender)
        case .storeOffline:
            if let presence = self.presence {
                presence.submit(.offline(stanza, sender))
            } else {
                self.bounced.increment()
                sender.deliver(
                    stanza.makeError(StanzaError(.serviceUnavailable, text: "the recipient is not available")))
            }
        case .remote:
            self.routed.increment()
            self.federation?.send(stanza.element)
        case .bounce(let error):
            self.bounced.increment()
            sender.deliver(stanza.makeError(error))
        case .drop:
            break
        }
    }

    /// Answers an iq addressed to the server or to an account with the first feature that handles it; an
    /// unhandled request gets `service-unavailable` (RFC 6120 §8.3.3.19). Results and errors are never answered.
    private func handleLocally(_ stanza: Stanza, target: IQTarget, sender: Session) {
        guard stanza.isIQRequest else { return }
        let namespace = stanza.payload?.namespace ?? ""
        let feature = self.featuresByNamespace[namespace]?.first { $0.handles(target) }
        guard let feature else {
            self.bounced.increment()
            sender.deliver(stanza.makeError(StanzaError(.serviceUnavailable)))
            return
        }
        sender.deliver(feature.handle(stanza, target: target, context: self.context))
    }

    /// Work for the presence engine: undirected presence, probes and subscriptions (RFC 6121 §3, §4), and roster
    /// requests for the sender's own roster (RFC 6121 §2).
    static func presenceEvent(_ stanza: Stanza, sender: Session) -> PresenceEvent? {
        switch stanza.kind {
        case .presence:
            if stanza.to == nil && (stanza.type == nil || stanza.type == "unavailable") {
                return .presence(stanza, sender)
            }
            switch stanza.type {
            case "probe", "subscribe", "subscribed", "unsubscribe", "unsubscribed": return .presence(stanza, sender)
            default: return nil
            }
        case .iq:
            if !stanza.isIQRequest {
                // Answers to the server's own queries (XEP-0115 disco#info) come back addressed to the domain.
                guard let to = stanza.to, to.localpart == nil, to.resourcepart == nil else { return nil }
                return .iqResponse(stanza, sender)
            }
            let namespace = stanza.payload?.namespace
            if namespace == "http://jabber.org/protocol/pubsub"
                || namespace == "http://jabber.org/protocol/pubsub#owner"
            {
                // XEP-0163 §2: every account is a PEP service at its bare JID.
                guard stanza.to == nil || (stanza.to?.localpart != nil && stanza.to?.resourcepart == nil) else {
                    return nil
                }
                return .pubsub(stanza, sender)
            }
            guard namespace == "jabber:iq:roster", stanza.to == nil || stanza.to == sender.jid.bare else { return nil }
            return .roster(stanza, sender)
        case .message:
            return nil
        }
    }

    /// Directed presence (RFC 6121 §4.6): the recipient is remembered so that it also gets unavailable presence.
    private func trackDirectedPresence(_ stanza: Stanza, sender: Session) {
        guard stanza.kind == .presence, let to = stanza.to, stanza.type == nil || stanza.type == "unavailable" else {
            return
        }
        sender.withPresenceState { state in
            if stanza.type == nil { state.directedPresence.insert(to) } else { state.directedPresence.remove(to) }
        }
    }

    /// Remembers the priority of undirected available presence (RFC 6121 §4.2, §4.7.2.3) so that bare-JID
    /// messages reach available resources; unavailable presence clears it.
    private func trackPresence(_ stanza: Stanza, sender: Session) {
        guard stanza.kind == .presence, stanza.to == nil else { return }
        switch stanza.type {
        case nil:
            let text = stanza.element.child(named: "priority", namespace: Namespace.client)?.text ?? "0"
            sender.priority = max(-128, min(127, Int(text.trimmingCharacters(in: .whitespaces)) ?? 0))
        case "unavailable":
            sender.priority = nil
        default:
            break
        }
    }
}
