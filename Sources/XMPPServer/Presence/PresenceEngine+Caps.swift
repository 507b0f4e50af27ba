import NIOConcurrencyHelpers
import XMPPCore

/// Entity-capabilities state of the engine: verified hashes and the disco#info queries in flight (XEP-0115 §6).
struct CapsState: Sendable {
    var cache = CapsCache()
    /// Query id → the claimed capabilities and every session waiting for that hash; the first one was asked.
    var pending: [String: (claimed: EntityCapabilities, waiting: [Session])] = [:]
    /// Hash → query id, so that one hash is asked once however many sessions announce it.
    var inFlight: [String: String] = [:]
}

extension PresenceEngine {
    /// Reads `<c/>` from available presence: known hashes apply at once; an unknown one is asked for with a single
    /// disco#info query to the announcing client (XEP-0115 §6.2, §6.3).
    func processCapabilities(_ presence: XMLElement, from session: Session) async throws {
        guard let claimed = EntityCapabilities(presence), claimed.hash == EntityCapabilities.sha1 else {
            if presence.child(named: "c", namespace: Namespace.caps) == nil {
                session.withPresenceState { $0.notifyNodes = $0.notifyNodes ?? [] }
            }
            return
        }
        enum Next { case known([String]), query(String), wait }
        let next: Next = self.caps.withLockedValue { state in
            if let features = state.cache.features(forVer: claimed.ver) { return .known(features) }
            if let id = state.inFlight[claimed.ver] {
                state.pending[id]?.waiting.append(session)
                return .wait
            }
            let id = "caps-" + self.idGenerator()
            state.inFlight[claimed.ver] = id
            state.pending[id] = (claimed, [session])
            return .query(id)
        }
        switch next {
        case .known(let features):
            try await self.grantNotify(EntityCapabilities.notifyNodes(from: features), to: session)
        case .query(let id):
            var iq = XMLElement(
                name: "iq", namespace: Namespace.client,
                attributes: [
                    "type": "get", "id": id, "from": self.domain, "to": session.jid.description,
                ])
            iq.append(
                XMLElement(name: "query", namespace: Namespace.discoInfo, attributes: ["node": claimed.discoNode]))
            session.deliver(iq)
        case .wait:
            break
        }
    }

    /// An iq result or error for the server: a disco#info answer is verified against the claimed hash and cached
    /// (XEP-0115 §5.4); a mismatch is not cached and the waiting sessions get no notifications (§8.4).
    func iqResponse(_ stanza: Stanza, from session: Session) async throws {
        guard let id = stanza.id else { return }
        // Only the session that was asked may answer (the id is random, but a client must not answer for another).
        let entry: (claimed: EntityCapabilities, waiting: [Session])? = self.caps.withLockedValue { state in
            guard let entry = state.pending[id], entry.waiting.first === session else { return nil }
            state.pending[id] = nil
            state.inFlight[entry.claimed.ver] = nil
            return entry
        }
        guard let entry else { return }
        guard stanza.type == "result", let query = stanza.payload, query.namespace == Namespace.discoInfo else {
            self.logger.info("entity capabilities query failed", metadata: ["xmpp.jid": "\(session.jid)"])
            for waiting in entry.waiting { waiting.withPresenceState { $0.notifyNodes = $0.notifyNodes ?? [] } }
            return
        }
        let verified = self.caps.withLockedValue { $0.cache.verifyAndStore(claimed: entry.claimed, discoInfo: query) }
        let features = query.children(named: "feature", namespace: Namespace.discoInfo).compactMap {
            $0[attribute: "var"]
        }
        if !verified {
            self.logger.info("entity capabilities hash mismatch", metadata: ["xmpp.jid": "\(session.jid)"])
        }
        // XEP-0115 §8.4: an unverified answer is used for the session that gave it, never cached for others.
        let nodes = EntityCapabilities.notifyNodes(from: features)
        for waiting in entry.waiting where verified || waiting === session {
            try await self.grantNotify(nodes, to: waiting)
        }
    }

    /// Records a session's notify nodes; the first time they become known the session receives the last items of
    /// those nodes from its own account and its contacts (XEP-0163 §4.3.3).
    private func grantNotify(_ nodes: Set<String>, to session: Session) async throws {
        let first = session.withPresenceState { state -> Bool in
            defer { state.notifyNodes = nodes }
            return state.notifyNodes == nil
        }
        if first { try await self.sendLastItems(toNewSubscriber: session) }
    }
}
