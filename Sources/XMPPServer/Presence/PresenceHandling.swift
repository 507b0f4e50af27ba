import XMPPCore

/// Work the router hands to the ``PresenceEngine``: everything that reads or changes rosters, subscriptions,
/// broadcast presence or offline storage (RFC 6121 §2–§4, XEP-0160).
public enum PresenceEvent: Sendable {
    /// Undirected presence, a probe, or a subscription stanza from a local session (`from` stamped).
    case presence(Stanza, Session)
    /// A `jabber:iq:roster` request (RFC 6121 §2).
    case roster(Stanza, Session)
    /// A message for an account with no available resource: store it (XEP-0160) or bounce it.
    case offline(Stanza, Session)
    /// An iq result or error addressed to the server: answers to queries the server sent (XEP-0115 disco#info).
    case iqResponse(Stanza, Session)
    /// A `http://jabber.org/protocol/pubsub` request to the sender's or another account's PEP service (XEP-0163).
    case pubsub(Stanza, Session)
    /// A session ended, cleanly or not: broadcast unavailable presence on its behalf (RFC 6121 §4.5.2).
    case sessionEnded(Session)
}

/// Something that accepts presence work; the router depends on this, not on the engine.
public protocol PresenceHandling: Sendable {
    /// Queues work; returns immediately. Events are handled in the order submitted.
    func submit(_ event: PresenceEvent)
}
