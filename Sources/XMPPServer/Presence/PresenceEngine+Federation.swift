import XMPPCore

extension PresenceEngine {
    /// Whether `jid` lives on another server that federation can reach.
    func isRemote(_ jid: JID) -> Bool {
        self.federation != nil && jid.domainpart != self.domain
    }

    /// Sends a copy of `element` addressed to `jid` over s2s.
    func sendRemote(_ element: XMLElement, to jid: JID) {
        var copy = element
        copy[attribute: "to"] = jid.description
        self.federation?.send(copy)
    }

    /// Presence work from a remote server (`session` is the sender's stand-in): subscription stanzas to a local
    /// user are inbound subscriptions (RFC 6121 §3.1.3, §3.2.2, §3.3.3, §3.4.3), probes are answered (§4.3.2).
    func remotePresence(_ stanza: Stanza, from session: Session) async throws {
        guard let to = stanza.to?.bare, to.domainpart == self.domain, to.localpart != nil else { return }
        switch stanza.type {
        case "probe":
            try await self.answerRemoteProbe(from: session.jid, to: to)
        case let type?:
            guard let subscription = SubscriptionType(rawValue: type) else { return }
            try await self.inboundSubscription(subscription, from: session.jid.bare, to: to)
        case nil:
            break
        }
    }

    /// A remote contact probes a local user (RFC 6121 §4.3.2): if the prober is subscribed to the user's presence
    /// (the user's item says From or Both), each available resource's last presence goes back, or unavailable
    /// presence when none is online; otherwise nothing is revealed.
    func answerRemoteProbe(from prober: JID, to user: JID) async throws {
        guard let item = try await self.rosterItem(owner: user, contact: prober.bare), item.subscription.sendsPresenceTo
        else { return }
        var answered = false
        for resource in self.sessions.sessions(of: user) {
            guard var presence = resource.withPresenceState({ $0.lastPresence }) else { continue }
            presence[attribute: "from"] = resource.jid.description
            self.sendRemote(presence, to: prober)
            answered = true
        }
        if !answered {
            self.sendRemote(self.presenceElement(from: user, to: prober, type: "unavailable"), to: prober)
        }
    }
}
