import XMPPCore

extension StanzaRouter {
    /// Routes a stanza that arrived from another server, its `from` already checked against the stream's
    /// authenticated domains and its `to` one of ours (RFC 6120 §8.1.1.2, §8.1.2.2, §10.4).
    ///
    /// It goes through the same rules as a local sender's stanza; the sender is a stand-in whose deliveries
    /// (answers, errors, presence) go back over s2s. Subscriptions and probes reach the presence engine as
    /// inbound work (RFC 6121 §3, §4.3).
    public func routeFromRemote(_ stanza: Stanza) {
        guard let from = stanza.from, let federation = self.federation else { return }
        self.route(stanza, from: Session(remote: from, id: self.sessions.makeID(), federation: federation))
    }
}
