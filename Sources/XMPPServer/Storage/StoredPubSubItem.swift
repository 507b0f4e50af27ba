import Foundation

/// A published PEP/pubsub item (XEP-0060 §7.1), its payload kept serialized.
///
/// ``id`` is unique within its node: publishing an item with an existing id replaces it (XEP-0060 §7.1.2) and
/// makes it the newest item.
public struct StoredPubSubItem: Sendable, Hashable, Codable {
    /// The item id (XEP-0060 §7.1.2 `id`), unique within the node.
    public var id: String
    /// The serialized payload element (XEP-0060 §7.1.1), without the wrapping `<item/>`.
    public var payload: String
    /// The full or bare JID of the publisher (XEP-0060 §7.1.2 `publisher`).
    public var publisher: String
    /// When the item was published.
    public var published: Date

    /// Creates a record.
    public init(id: String, payload: String, publisher: String, published: Date) {
        self.id = id
        self.payload = payload
        self.publisher = publisher
        self.published = published
    }
}
