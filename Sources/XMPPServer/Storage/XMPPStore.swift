import Foundation

/// Where the per-account state of the XMPP server lives: rosters, offline messages and PEP nodes.
///
/// Backends are the in-memory twin (``InMemoryXMPPStore``, for tests and ephemeral runs) and the embedded SQLite
/// store (`SQLiteXMPPStore` in XMPPStorage); one contract test suite runs against both (STYLE §11). Records are plain
/// strings keyed by the owner's bare JID in canonical string form, so the pure models convert at the edge and the
/// store never interprets a JID. Every failure is an ``XMPPStoreError`` (typed throws).
///
/// The contract, which every backend honours:
/// - **Rosters** (RFC 6121 §2) carry a version (RFC 6121 §2.6): a per-owner counter that starts at 0 (the empty,
///   never-changed roster) and grows by one with every change, in the same transaction as the change.
///   ``rosterItems(owner:)`` lists items sorted by contact (UTF-8 byte order, as SQLite's `BINARY` collation).
/// - **Offline messages** (XEP-0160) form a bounded FIFO per recipient, delivered in the order they were stored.
/// - **PEP nodes** (XEP-0163, XEP-0060 §7) hang off the owner's bare JID; items are kept in publication order,
///   returned newest first, and trimmed to the node's ``StoredNodeConfiguration/maxItems``.
public protocol XMPPStore: Sendable {
    // MARK: Rosters (RFC 6121 §2)

    /// The owner's roster sorted by contact, with its current version (RFC 6121 §2.1.3, §2.6); an owner without a
    /// roster has no items and version 0.
    func rosterItems(owner: String) async throws(XMPPStoreError) -> (items: [StoredRosterItem], version: UInt64)

    /// The owner's item for `contact`, or `nil` (RFC 6121 §2.1.2.2: the item's key is the contact's bare JID).
    func rosterItem(owner: String, contact: String) async throws(XMPPStoreError) -> StoredRosterItem?

    /// Inserts or replaces the item keyed by its contact (roster set, RFC 6121 §2.3) and returns the new roster
    /// version, one more than before (RFC 6121 §2.6.1), even when the item did not change.
    func putRosterItem(owner: String, _ item: StoredRosterItem) async throws(XMPPStoreError) -> UInt64

    /// Removes the owner's item for `contact` (roster remove, RFC 6121 §2.5) and returns the new roster version;
    /// removing an absent item changes nothing and returns the current version unchanged.
    func removeRosterItem(owner: String, contact: String) async throws(XMPPStoreError) -> UInt64

    // MARK: Offline messages (XEP-0160)

    /// Appends a message for the offline `owner` (XEP-0160 §3); ``XMPPStoreError/Code/quotaExceeded`` when the owner
    /// already holds `limit` messages, so that the caller bounces it (XEP-0160 §4, `service-unavailable`).
    func storeOfflineMessage(owner: String, stanza: String, at stored: Date, limit: Int) async throws(XMPPStoreError)

    /// Returns and deletes, atomically, every message held for `owner`, oldest first (XEP-0160 §3: delivered when the
    /// recipient sends initial presence).
    func takeOfflineMessages(owner: String) async throws(XMPPStoreError) -> [StoredOfflineMessage]

    /// How many messages are held for `owner`.
    func offlineMessageCount(owner: String) async throws(XMPPStoreError) -> Int

    // MARK: PEP nodes (XEP-0163, XEP-0060 §7)

    /// Publishes `item` to the owner's `node` (XEP-0060 §7.1); an item with the same id is replaced and becomes the
    /// newest (XEP-0060 §7.1.2), then the oldest items beyond the node's `maxItems` are dropped.
    ///
    /// A node that does not exist is created first (XEP-0163 §3, auto-create) with `configuration`, or
    /// ``StoredNodeConfiguration/pepDefault``. An existing node keeps its configuration: publish-options are
    /// preconditions the caller checks against ``nodeConfiguration(owner:node:)`` (XEP-0060 §7.1.5).
    func publish(
        owner: String, node: String, item: StoredPubSubItem, configuration: StoredNodeConfiguration?
    ) async throws(XMPPStoreError)

    /// Creates the owner's `node` with `configuration`, or replaces an existing node's configuration and trims its
    /// items to the new `maxItems` (XEP-0060 §8.1.2 create-and-configure, §8.2.5 configure).
    func configureNode(owner: String, node: String, _ configuration: StoredNodeConfiguration)
        async throws(XMPPStoreError)

    /// Deletes one item (XEP-0060 §7.2); `false` when the node or the item does not exist.
    func retract(owner: String, node: String, itemID: String) async throws(XMPPStoreError) -> Bool

    /// The node's items, newest first, at most `maxItems` of them when given (XEP-0060 §6.5.7: the most recent
    /// items); empty when the node does not exist.
    func items(owner: String, node: String, maxItems: Int?) async throws(XMPPStoreError) -> [StoredPubSubItem]

    /// One item by id (XEP-0060 §6.5.8), or `nil`.
    func item(owner: String, node: String, id: String) async throws(XMPPStoreError) -> StoredPubSubItem?

    /// The node's configuration (XEP-0060 §8.2), or `nil` when the node does not exist.
    func nodeConfiguration(owner: String, node: String) async throws(XMPPStoreError) -> StoredNodeConfiguration?

    /// The names of the owner's nodes, sorted (XEP-0060 §5.2 discover nodes, XEP-0163 §5).
    func nodes(owner: String) async throws(XMPPStoreError) -> [String]

    /// Deletes the node and its items (XEP-0060 §8.4); ``XMPPStoreError/Code/notFound`` when it does not exist
    /// (XEP-0060 §8.4.3.2 `item-not-found`).
    func deleteNode(owner: String, node: String) async throws(XMPPStoreError)

    // MARK: Accounts

    /// Deletes everything the account owns — roster and its version, offline messages, PEP nodes — when its cloud
    /// is removed from the registry (RFC 6121 §2.1.1: the roster is stored on behalf of the account). Afterwards the
    /// owner is indistinguishable from one never seen.
    func deleteAccount(owner: String) async throws(XMPPStoreError)
}
