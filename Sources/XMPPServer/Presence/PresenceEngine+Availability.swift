import Foundation
import XMPPCore

extension PresenceEngine {
    /// Undirected available or unavailable presence (RFC 6121 §4.2, §4.4, §4.5): remembered on the session,
    /// broadcast to subscribers and the user's own resources; initial presence also collects the contacts'
    /// presence, pending subscription requests and offline messages.
    func availability(_ stanza: Stanza, from session: Session) async throws {
        let user = session.jid.bare
        let unavailable = stanza.type == "unavailable"
        var presence = stanza.element
        presence[attribute: "to"] = nil
        presence[attribute: "from"] = session.jid.description
        let (wasAvailable, directed) = session.withPresenceState { state -> (Bool, Set<JID>) in
            let was = state.lastPresence != nil
            let directed = state.directedPresence
            if unavailable {
                state.lastPresence = nil
                state.priority = nil
                state.directedPresence = []
            } else {
                state.lastPresence = presence
                let text = presence.child(named: "priority", namespace: Namespace.client)?.text ?? "0"
                state.priority = max(-128, min(127, Int(text.trimmingCharacters(in: .whitespaces)) ?? 0))
            }
            return (was, directed)
        }
        if unavailable && !wasAvailable { return }
        self.reportAvailability(of: user)
        try await self.broadcast(presence, from: session, extra: unavailable ? directed : [])
        if !unavailable && !wasAvailable {
            try await self.initialPresence(session, user: user)
        }
        if !unavailable {
            try await self.processCapabilities(presence, from: session)
        }
    }

    /// The session ended without unavailable presence: broadcast it on the session's behalf (RFC 6121 §4.5.2).
    func sessionEnded(_ session: Session) async throws {
        let (wasAvailable, directed) = session.withPresenceState { state -> (Bool, Set<JID>) in
            defer {
                state.lastPresence = nil
                state.priority = nil
                state.directedPresence = []
            }
            return (state.lastPresence != nil, state.directedPresence)
        }
        guard wasAvailable else { return }
        self.reportAvailability(of: session.jid.bare, ending: session)
        let presence = self.presenceElement(from: session.jid, to: nil, type: "unavailable")
        try await self.broadcast(presence, from: session, extra: directed)
    }

    /// Tells the observer the `<show/>` of each of the account's available resources (RFC 6121 §4.7.2.1),
    /// leaving out `ending`, a session that is going away.
    func reportAvailability(of account: JID, ending: Session? = nil) {
        guard let observer = self.observer else { return }
        let shows = self.sessions.sessions(of: account).compactMap { session -> String?? in
            guard session !== ending, let last = session.withPresenceState({ $0.lastPresence }) else { return nil }
            return .some(last.child(named: "show", namespace: Namespace.client)?.text)
        }
        observer.availabilityChanged(account: account, shows: shows)
    }

    /// Sends `presence` to the user's available resources and to every contact subscribed to the user
    /// (subscription From or Both, RFC 6121 §4.2.2, §4.4.2), plus `extra` full JIDs.
    private func broadcast(_ presence: XMLElement, from session: Session, extra: Set<JID>) async throws {
        let user = session.jid.bare
        var recipients: [Session] = self.sessions.sessions(of: user).filter { $0.isAvailable || $0 === session }
        var remote: [JID] = []
        for item in try await self.rosterItems(owner: user) where item.subscription.sendsPresenceTo {
            if self.isRemote(item.jid) { remote.append(item.jid) }
            recipients += self.sessions.sessions(of: item.jid).filter(\.isAvailable)
        }
        for jid in extra {
            if self.isRemote(jid) && !remote.contains(jid.bare) { remote.append(jid) }
            if let target = self.sessions.session(jid), !recipients.contains(where: { $0 === target }) {
                recipients.append(target)
            }
        }
        for recipient in recipients where recipient !== session || presence[attribute: "type"] == nil {
            guard self.sessions.session(recipient.jid) === recipient else { continue }
            var copy = presence
            copy[attribute: "to"] = recipient.jid.description
            recipient.deliver(copy)
        }
        for jid in remote { self.sendRemote(presence, to: jid) }
    }

    /// RFC 6121 §4.2.2–§4.2.3 and XEP-0160 §3: after initial presence the session receives the presence of the
    /// contacts it is subscribed to, the subscription requests still pending, and the stored messages.
    private func initialPresence(_ session: Session, user: JID) async throws {
        let items = try await self.rosterItems(owner: user)
        for item in items where item.subscription.receivesPresenceFrom {
            if self.isRemote(item.jid) {
                // RFC 6121 §4.2.2: ask the contact's server, from the user's bare JID.
                self.sendRemote(self.presenceElement(from: user, to: item.jid, type: "probe"), to: item.jid)
            } else {
                self.sendCurrentPresence(of: item.jid, to: session)
            }
        }
        for item in items where item.subscription.pendingIn && !item.approved {
            session.deliver(self.presenceElement(from: item.jid, to: session.jid, type: "subscribe"))
        }
        if (session.priority ?? -1) >= 0 {
            try await self.deliverOffline(to: session)
        }
    }
}
