import XMPPCore

extension PresenceEngine {
    /// Roster get and set (RFC 6121 §2.1.3, §2.3, §2.5) for the sender's own roster.
    func roster(_ iq: Stanza, from session: Session) async throws {
        let owner = session.jid.bare
        if let to = iq.to, to != owner {
            session.deliver(iq.makeError(StanzaError(.forbidden, text: "only your own roster can be managed")))
            return
        }
        switch iq.type {
        case "get":
            let (stored, version) = try await self.store.rosterItems(owner: owner.description)
            session.withPresenceState { $0.interestedInRoster = true }
            // RFC 6121 §2.6.3: an unchanged version gets an empty result; changes would follow as pushes.
            if let clientVersion = RosterQuery.requestedVersion(iq), clientVersion == String(version) {
                session.deliver(iq.makeResult())
            } else {
                let items = stored.compactMap(RosterItem.init(stored:))
                session.deliver(iq.makeResult(payload: RosterQuery.result(items: items, version: String(version))))
            }
        case "set":
            let request: RosterSetRequest
            do {
                request = try RosterQuery.parseSet(iq)
            } catch {
                session.deliver(iq.makeError(error))
                return
            }
            try await self.rosterSet(request, iq: iq, owner: owner, session: session)
        default:
            break
        }
    }

    private func rosterSet(_ request: RosterSetRequest, iq: Stanza, owner: JID, session: Session) async throws {
        switch request {
        case .update(let jid, _, _):
            if jid == owner {
                session.deliver(iq.makeError(StanzaError(.notAllowed, text: "you cannot add yourself")))
                return
            }
            let existing = try await self.rosterItem(owner: owner, contact: jid)
            if let item = request.applied(to: existing) { try await self.save(item, owner: owner) }
            session.deliver(iq.makeResult())
        case .remove(let jid):
            guard let item = try await self.rosterItem(owner: owner, contact: jid) else {
                session.deliver(iq.makeError(StanzaError(.itemNotFound, text: "no such roster item")))
                return
            }
            // RFC 6121 §2.5.2: removing an item cancels the subscriptions both ways.
            if item.subscription.receivesPresenceFrom || item.subscription.askSubscribe {
                try await self.inboundSubscription(.unsubscribe, from: owner, to: jid)
            }
            if item.subscription.sendsPresenceTo {
                try await self.sendUnavailable(from: owner, to: jid)
                try await self.inboundSubscription(.unsubscribed, from: owner, to: jid)
            }
            let version = try await self.store.removeRosterItem(owner: owner.description, contact: jid.description)
            self.push(RosterQuery.removalPush(jid: jid, version: String(version)), owner: owner)
            session.deliver(iq.makeResult())
        }
    }

    /// The roster item `owner` has for `contact`, if any.
    func rosterItem(owner: JID, contact: JID) async throws -> RosterItem? {
        try await self.store.rosterItem(owner: owner.description, contact: contact.description)
            .flatMap(RosterItem.init(stored:))
    }

    /// Stores an item and pushes it to the owner's interested resources (RFC 6121 §2.1.6).
    func save(_ item: RosterItem, owner: JID) async throws {
        let version = try await self.store.putRosterItem(owner: owner.description, item.stored)
        self.push(RosterQuery.push(item: item, version: String(version)), owner: owner)
    }

    /// Sends a roster push (an iq set without `from`) to every interested resource (RFC 6121 §2.1.6).
    func push(_ query: XMLElement, owner: JID) {
        for session in self.sessions.sessions(of: owner)
        where session.withPresenceState({ $0.interestedInRoster }) {
            var iq = XMLElement(
                name: "iq", namespace: Namespace.client,
                attributes: ["type": "set", "id": "push-" + self.idGenerator(), "to": session.jid.description])
            iq.append(query)
            session.deliver(iq)
        }
    }

    /// Every roster item of `owner`.
    func rosterItems(owner: JID) async throws -> [RosterItem] {
        try await self.store.rosterItems(owner: owner.description).items.compactMap(RosterItem.init(stored:))
    }
}

extension RosterItem {
    /// Converts a stored record; nil for a record this build cannot read (logged by the caller's absence).
    init?(stored: StoredRosterItem) {
        guard let jid = try? JID(parsing: stored.contact), let state = SubscriptionState(rawValue: stored.subscription)
        else { return nil }
        self.init(jid: jid, name: stored.name, subscription: state, groups: stored.groups, approved: stored.approved)
    }

    /// The record to store.
    var stored: StoredRosterItem {
        StoredRosterItem(
            contact: self.jid.description, name: self.name, subscription: self.subscription.rawValue,
            groups: self.groups, approved: self.approved)
    }
}
