import Foundation
import XMPPCore

extension PresenceEngine {
    /// Stores a message for an account with no available resource (XEP-0160 §3); an unknown account gets
    /// `service-unavailable` (RFC 6121 §8.5.2.2.1), a full store `resource-constraint`.
    func storeOffline(_ message: Stanza, from sender: Session) async throws {
        guard let recipient = message.to?.bare else { return }
        if self.sessions.sessions(of: recipient).contains(where: { ($0.priority ?? -1) >= 0 }) {
            // Became available meanwhile: deliver instead of storing.
            self.deliverToAvailable(message.element, of: recipient)
            return
        }
        guard await self.accounts.accountExists(recipient) else {
            sender.deliver(message.makeError(StanzaError(.serviceUnavailable, text: "no such recipient")))
            return
        }
        var element = message.element
        element.append(
            XMLElement(
                name: "delay", namespace: "urn:xmpp:delay",
                attributes: ["from": self.domain, "stamp": Self.timestamp(self.now())]))
        let result: Result<Void, XMPPStoreError>
        do {
            try await self.store.storeOfflineMessage(
                owner: recipient.description, stanza: element.serialized(parentNamespace: Namespace.client),
                at: self.now(), limit: self.offlineLimit)
            result = .success(())
        } catch {
            result = .failure(error)
        }
        if case .failure(let error) = result {
            guard error.code == .quotaExceeded else { throw error }
            sender.deliver(
                message.makeError(StanzaError(.resourceConstraint, text: "offline storage for \(recipient) is full")))
        }
    }

    /// Delivers and deletes the stored messages of the session's account, oldest first (XEP-0160 §3).
    func deliverOffline(to session: Session) async throws {
        let messages = try await self.store.takeOfflineMessages(owner: session.jid.bare.description)
        guard !messages.isEmpty else { return }
        let elements = Self.parseFragments(messages.map(\.stanza).joined())
        if elements.count != messages.count {
            self.logger.error("unreadable offline messages dropped", metadata: ["xmpp.jid": "\(session.jid)"])
        }
        for var element in elements {
            element[attribute: "to"] = session.jid.description
            session.deliver(element)
        }
    }

    /// An XEP-0082 timestamp.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
