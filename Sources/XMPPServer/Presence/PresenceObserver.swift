import XMPPCore

/// Something outside the presence engine that follows what accounts publish and how available they are — the
/// capability directory (CONTRACT §5.1, §5.2) — and may refuse a publication it cannot use.
///
/// The engine calls it from its single event-handling task, in event order, so calls never overlap and the
/// directory sees a publication before anyone can query it.
public protocol PresenceObserver: Sendable {
    /// Checks a PEP publication before it is stored (XEP-0060 §7.1.3); an error refuses it and the node keeps its
    /// previous item. Return nil to accept.
    func validatePublish(owner: JID, node: String, itemID: String?, payload: XMLElement) -> StanzaError?
    /// A PEP item was stored (XEP-0163 §4).
    func published(owner: JID, node: String, itemID: String, payload: XMLElement)
    /// A PEP item was retracted or its node deleted (XEP-0060 §7.2, §8.4); `itemID` is nil for a deleted node.
    func retracted(owner: JID, node: String, itemID: String?)
    /// The account's availability changed: `shows` holds the `<show/>` of each available resource (nil for none,
    /// RFC 6121 §4.7.2.1); empty when no resource is available.
    func availabilityChanged(account: JID, shows: [String?])
}
