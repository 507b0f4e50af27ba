import Foundation
import XMPPCore

extension PresenceEngine {
    /// A pubsub request to a PEP service, i.e. an account's bare JID (XEP-0163 §2, XEP-0060 §6–§8): only the
    /// owner publishes, retracts and deletes; others read items as the node's access model allows.
    func pubsub(_ iq: Stanza, from session: Session) async throws {
        let requester = session.jid.bare
        let owner = iq.to?.bare ?? requester
        let request: PubSubRequest
        do {
            request = try PubSubRequest(iq)
        } catch {
            session.deliver(iq.makeError(error))
            return
        }
        if owner != requester, Self.changesNode(request) {
            session.deliver(iq.makeError(StanzaError(.forbidden, text: "only the owner may change a PEP node")))
            return
        }
        switch request {
        case .publish(let node, let itemID, let payload?, let options):
            try await self.publish(iq, node: node, itemID: itemID, payload: payload, options: options, session: session)
        case .publish:
            session.deliver(iq.makeError(PubSubError.payloadRequired))
        case .retract(let node, let itemID, let notify):
            guard try await self.store.retract(owner: owner.description, node: node, itemID: itemID) else {
                session.deliver(iq.makeError(StanzaError(.itemNotFound, text: "no such item")))
                return
            }
            session.deliver(iq.makeResult())
            self.observer?.retracted(owner: owner, node: node, itemID: itemID)
            if notify {
                let event = PubSubResponse.retractNotification(node: node, itemID: itemID)
                try await self.notify(owner: owner, node: node) { recipient, id in
                    PubSubResponse.notificationMessage(from: owner, to: recipient, event: event, id: id)
                }
            }
        case .items(let node, let itemIDs, let maxItems):
            guard let configuration = try await self.store.nodeConfiguration(owner: owner.description, node: node)
            else {
                session.deliver(iq.makeError(StanzaError(.itemNotFound, text: "no such node")))
                return
            }
            let model = AccessModel(configured: configuration.accessModel)
            guard try await self.mayAccess(model: model, owner: owner, requester: requester) else {
                session.deliver(iq.makeError(AccessModel.denialError(model: model)))
                return
            }
            var stored: [StoredPubSubItem] = []
            if itemIDs.isEmpty {
                stored = try await self.store.items(owner: owner.description, node: node, maxItems: maxItems)
            } else {
                for id in itemIDs {
                    if let item = try await self.store.item(owner: owner.description, node: node, id: id) {
                        stored.append(item)
                    }
                }
            }
            let items = stored.compactMap { item in
                Self.parseFragments(item.payload).first.map { (id: item.id, payload: $0) }
            }
            session.deliver(iq.makeResult(payload: PubSubResponse.itemsResult(node: node, items: items)))
        case .delete(let node):
            guard try await self.store.nodeConfiguration(owner: owner.description, node: node) != nil else {
                session.deliver(iq.makeError(PubSubError.itemNotFound))
                return
            }
            try await self.store.deleteNode(owner: owner.description, node: node)
            session.deliver(iq.makeResult())
            self.observer?.retracted(owner: owner, node: node, itemID: nil)
        case .unsupported(let feature):
            session.deliver(iq.makeError(PubSubError.unsupported(feature: feature)))
        }
    }

    /// Whether a request changes the node, which only its owner may do (XEP-0060 §7, §8).
    static func changesNode(_ request: PubSubRequest) -> Bool {
        switch request {
        case .publish, .retract, .delete: true
        case .items, .unsupported: false
        }
    }

    /// Publish with publish-options as preconditions (XEP-0060 §7.1, §7.1.5; XEP-0163 §3 auto-create), then notify.
    private func publish(
        _ iq: Stanza, node: String, itemID: String?, payload: XMLElement, options: PublishOptions?, session: Session
    ) async throws {
        let owner = session.jid.bare
        let existing = try await self.store.nodeConfiguration(owner: owner.description, node: node)
        var configuration = existing ?? .pepDefault
        if let model = options?.accessModel {
            guard AccessModel(rawValue: model) != nil else {
                session.deliver(iq.makeError(PubSubError.preconditionNotMet("unknown access model \(model)")))
                return
            }
            if let existing, existing.accessModel != model {
                session.deliver(
                    iq.makeError(PubSubError.preconditionNotMet("the node's access model is \(existing.accessModel)")))
                return
            }
            configuration.accessModel = model
        }
        if let maxItems = options?.maxItems {
            if let existing, existing.maxItems != maxItems {
                session.deliver(
                    iq.makeError(PubSubError.preconditionNotMet("the node keeps \(existing.maxItems) items")))
                return
            }
            configuration.maxItems = maxItems
        }
        if let refusal = self.observer?.validatePublish(owner: owner, node: node, itemID: itemID, payload: payload) {
            session.deliver(iq.makeError(refusal))
            return
        }
        let id = itemID ?? self.idGenerator()
        let item = StoredPubSubItem(
            id: id, payload: payload.serialized(parentNamespace: nil), publisher: session.jid.description,
            published: self.now())
        try await self.store.publish(
            owner: owner.description, node: node, item: item, configuration: existing == nil ? configuration : nil)
        self.observer?.published(owner: owner, node: node, itemID: id, payload: payload)
        session.deliver(iq.makeResult(payload: PubSubResponse.publishResult(node: node, itemID: id)))
        let model = AccessModel(configured: configuration.accessModel)
        try await self.notify(owner: owner, node: node, model: model) { recipient, messageID in
            PubSubResponse.notificationMessage(
                from: owner, to: recipient, node: node, itemID: id, payload: payload, id: messageID)
        }
    }

    /// Sends a notification to every available session that asked for `node+notify` and may see the node: the
    /// owner's own resources and, unless the node is a whitelist, contacts subscribed to the owner's presence
    /// (XEP-0163 §4.3.1).
    private func notify(
        owner: JID, node: String, model: AccessModel = .presence, message: (JID, String) -> XMLElement
    ) async throws {
        var recipients = self.sessions.sessions(of: owner)
        if model != .whitelist {
            for item in try await self.rosterItems(owner: owner) where item.subscription.sendsPresenceTo {
                recipients += self.sessions.sessions(of: item.jid)
            }
        }
        for recipient in recipients where recipient.isAvailable {
            guard recipient.withPresenceState({ $0.notifyNodes?.contains(node) ?? false }) else { continue }
            recipient.deliver(message(recipient.jid, "notify-" + self.idGenerator()))
        }
    }

    /// Whether `requester` may read `owner`'s node (XEP-0060 §4.5): by the owner's roster item for the requester.
    private func mayAccess(model: AccessModel, owner: JID, requester: JID) async throws -> Bool {
        let item = try await self.rosterItem(owner: owner, contact: requester)
        return AccessModel.mayAccess(
            model: model, owner: owner, requester: requester, requesterSubscription: item?.subscription)
    }

    /// The last item of each node the session asked to be notified about, from its own account and every contact
    /// it is subscribed to (XEP-0163 §4.3.3: last published item on a new subscription).
    func sendLastItems(toNewSubscriber session: Session) async throws {
        let user = session.jid.bare
        var owners = [user]
        for item in try await self.rosterItems(owner: user) where item.subscription.receivesPresenceFrom {
            owners.append(item.jid)
        }
        for owner in owners {
            try await self.sendLastItems(of: owner, to: session)
        }
    }

    /// The last item of each of `owner`'s nodes that `session` asked for and may see.
    func sendLastItems(of owner: JID, to session: Session) async throws {
        guard let nodes = session.withPresenceState({ $0.notifyNodes }), !nodes.isEmpty else { return }
        for node in nodes.sorted() {
            guard let configuration = try await self.store.nodeConfiguration(owner: owner.description, node: node),
                let last = try await self.store.items(owner: owner.description, node: node, maxItems: 1).first,
                let payload = Self.parseFragments(last.payload).first
            else { continue }
            let model = AccessModel(configured: configuration.accessModel)
            guard try await self.mayAccess(model: model, owner: owner, requester: session.jid.bare) else { continue }
            session.deliver(
                PubSubResponse.notificationMessage(
                    from: owner, to: session.jid, node: node, itemID: last.id, payload: payload,
                    id: "last-" + self.idGenerator()))
        }
    }

    /// Parses stored XML fragments (offline stanzas, pubsub payloads) back into elements; none if they are damaged.
    static func parseFragments(_ text: String) -> [XMLElement] {
        (try? XMLStreamParser.fragments(text)) ?? []
    }
}
