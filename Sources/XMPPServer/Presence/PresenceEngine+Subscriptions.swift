import XMPPCore

extension PresenceEngine {
    /// The user `user` sends a subscription stanza to `contact` (RFC 6121 §3.1.2, §3.2.1, §3.3.2, §3.4.2): the
    /// user's side changes per the outbound table of Appendix A.2, then the stanza is routed to the contact's side.
    func outboundSubscription(_ type: SubscriptionType, from user: JID, to contact: JID) async throws {
        guard contact.domainpart == self.domain || self.federation != nil, contact.localpart != nil, contact != user
        else { return }
        let existing = try await self.rosterItem(owner: user, contact: contact)
        var item = existing ?? RosterItem(jid: contact)
        let transition = item.subscription.outbound(type)
        try await self.apply(transition, to: &item, existed: existing != nil, owner: user)
        if transition.route {
            try await self.inboundSubscription(type, from: user, to: contact)
        }
        try await self.signal(transition.presence, from: user, to: contact)
    }

    /// A subscription stanza from `user` reaches `contact`'s side (RFC 6121 §3.1.3, §3.2.2, §3.3.3, §3.4.3).
    func inboundSubscription(_ type: SubscriptionType, from user: JID, to contact: JID) async throws {
        if self.isRemote(contact) {
            // RFC 6121 §3.1.2: the contact's own server handles the inbound side.
            self.sendRemote(self.presenceElement(from: user, to: contact, type: type.rawValue), to: contact)
            return
        }
        guard await self.accounts.accountExists(contact) else {
            // RFC 6121 §3.1.3: a subscription request to an account that does not exist is answered `unsubscribed`.
            if type == .subscribe { try await self.applyInbound(.unsubscribed, owner: user, from: contact) }
            return
        }
        try await self.applyInbound(type, owner: contact, from: user)
    }

    /// Applies an inbound subscription stanza to `owner`'s item for `sender` (Appendix A.3): store and push,
    /// deliver to the owner's available resources, answer on the owner's behalf, send the presence side effect.
    private func applyInbound(_ type: SubscriptionType, owner: JID, from sender: JID) async throws {
        if self.isRemote(owner) {
            // An answer on the local contact's behalf to a remote user: their server applies it (RFC 6121 §3.1.3).
            self.sendRemote(self.presenceElement(from: sender, to: owner, type: type.rawValue), to: owner)
            return
        }
        let existing = try await self.rosterItem(owner: owner, contact: sender)
        var item = existing ?? RosterItem(jid: sender)
        let transition = item.subscription.inbound(type, preApproved: item.approved)
        try await self.apply(transition, to: &item, existed: existing != nil, owner: owner)
        if transition.route {
            self.deliverToAvailable(self.presenceElement(from: sender, to: owner, type: type.rawValue), of: owner)
        }
        if let reply = transition.autoReply {
            // The owner already approved (subscribed or pre-approved): answer for them.
            try await self.applyInbound(reply, owner: sender, from: owner)
        }
        try await self.signal(transition.presence, from: owner, to: sender)
    }

    /// Stores the new state and approval and pushes the item when it visibly changed (RFC 6121 §2.1.6).
    private func apply(_ transition: SubscriptionTransition, to item: inout RosterItem, existed: Bool, owner: JID)
        async throws
    {
        let approvalChanged = transition.approved.map { $0 != item.approved } ?? false
        guard transition.stateChanged || approvalChanged else { return }
        item.subscription = transition.newState
        if let approved = transition.approved { item.approved = approved }
        // An item that never existed and ends in None with no approval stays absent (Appendix A.3 "no state change").
        if !existed && item.subscription == .none && !item.approved { return }
        try await self.save(item, owner: owner)
    }

    /// The presence side effect of a subscription change (RFC 6121 §3.1.5, §3.2.2, §3.3.3).
    private func signal(_ signal: PresenceSignal?, from user: JID, to contact: JID) async throws {
        switch signal {
        case .available?:
            for session in self.sessions.sessions(of: user) {
                guard var presence = session.withPresenceState({ $0.lastPresence }) else { continue }
                presence[attribute: "from"] = session.jid.description
                self.deliverToAvailable(presence, of: contact)
            }
            // XEP-0163 §4.3.3: a new subscriber gets the last item of the nodes it asked for.
            for session in self.sessions.sessions(of: contact) where session.isAvailable {
                try await self.sendLastItems(of: user, to: session)
            }
        case .unavailable?:
            try await self.sendUnavailable(from: user, to: contact)
        case nil:
            break
        }
    }

    /// Sends unavailable presence from every resource of `user` to `contact`'s available resources.
    func sendUnavailable(from user: JID, to contact: JID) async throws {
        for session in self.sessions.sessions(of: user) where session.isAvailable {
            self.deliverToAvailable(
                self.presenceElement(from: session.jid, to: contact, type: "unavailable"), of: contact)
        }
    }

    /// A probe from a local client: answered with the contact's current presence if the sender is subscribed
    /// (RFC 6121 §4.3.2).
    func answerProbe(_ stanza: Stanza, from session: Session) async throws {
        guard let contact = stanza.to?.bare,
            let item = try await self.rosterItem(owner: session.jid.bare, contact: contact),
            item.subscription.receivesPresenceFrom
        else { return }
        self.sendCurrentPresence(of: contact, to: session)
    }

    /// Delivers the last presence of each available resource of `contact` to one session (RFC 6121 §4.3.2).
    func sendCurrentPresence(of contact: JID, to session: Session) {
        for resource in self.sessions.sessions(of: contact) {
            guard var presence = resource.withPresenceState({ $0.lastPresence }) else { continue }
            presence[attribute: "from"] = resource.jid.description
            presence[attribute: "to"] = session.jid.description
            session.deliver(presence)
        }
    }
}
