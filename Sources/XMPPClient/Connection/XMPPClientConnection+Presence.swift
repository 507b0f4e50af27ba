import XMPPCore

/// The availability sub-states of `<show/>` (RFC 6121 §4.7.2.1); no `<show/>` means plainly available.
public enum PresenceShow: String, Sendable, Hashable, CaseIterable {
    /// Actively interested in chatting.
    case chat
    /// Temporarily away.
    case away
    /// Away for an extended period.
    case xa
    /// Do not disturb.
    case dnd
}

extension XMPPClientConnection {
    /// Broadcasts available presence (RFC 6121 §4.2, §4.7); in the root's directory the cloud then reads as
    /// `ic:presence` = the show value (or "available") and `ic:ready true` when `show` is nil or `.chat`
    /// (CONTRACT §5.2).
    public func sendPresence(
        show: PresenceShow? = nil, status: String? = nil, priority: Int8? = nil
    ) async throws(XMPPClientError) {
        try await self.send(Self.presence(show: show, status: status, priority: priority))
    }

    /// Broadcasts unavailable presence without closing the stream (RFC 6121 §4.5); the directory then reads
    /// `ic:presence "unavailable"` unless another resource is online (CONTRACT §5.2).
    public func sendUnavailable(status: String? = nil) async throws(XMPPClientError) {
        var presence = XMLElement(name: "presence", namespace: Namespace.client, attributes: ["type": "unavailable"])
        if let status {
            presence.append(XMLElement(name: "status", namespace: Namespace.client, children: [.text(status)]))
        }
        try await self.send(presence)
    }

    /// The `<presence/>` element for ``sendPresence(show:status:priority:)`` (RFC 6121 §4.7.2).
    static func presence(show: PresenceShow?, status: String?, priority: Int8?) -> XMLElement {
        var presence = XMLElement(name: "presence", namespace: Namespace.client)
        if let show {
            presence.append(XMLElement(name: "show", namespace: Namespace.client, children: [.text(show.rawValue)]))
        }
        if let status {
            presence.append(XMLElement(name: "status", namespace: Namespace.client, children: [.text(status)]))
        }
        if let priority {
            presence.append(
                XMLElement(name: "priority", namespace: Namespace.client, children: [.text(String(priority))]))
        }
        return presence
    }
}
