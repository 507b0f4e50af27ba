import Foundation

/// One message kept for an offline recipient (XEP-0160 §3), with the time it was stored.
///
/// The stanza is kept serialized; delivering it later adds a delay element with ``stored`` as its stamp
/// (XEP-0160 §4, XEP-0203).
public struct StoredOfflineMessage: Sendable, Hashable, Codable {
    /// The serialized `<message/>` stanza.
    public var stanza: String
    /// When the server stored the message (XEP-0203 `stamp`).
    public var stored: Date

    /// Creates a record.
    public init(stanza: String, stored: Date) {
        self.stanza = stanza
        self.stored = stored
    }
}
