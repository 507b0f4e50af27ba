/// The stored configuration of one PEP node (XEP-0060 §16.4.4 `pubsub#node_config`), in plain values.
///
/// Only what the server enforces is kept: who may see the items (``accessModel``, XEP-0060 §4.5) and how many
/// are retained (``maxItems``, `pubsub#max_items`). The defaults are PEP's (XEP-0163 §4): `presence` access, and
/// one item, since PEP nodes usually carry only the latest state (mood, avatar, nickname).
public struct StoredNodeConfiguration: Sendable, Hashable, Codable {
    /// The raw access model (XEP-0060 §4.5): `"presence"`, `"open"`, `"roster"` or `"whitelist"`.
    public var accessModel: String
    /// How many items the node retains, newest kept (`pubsub#max_items`); `Int.max` stands for `max`
    /// (unbounded), and values below 1 are treated as 1.
    public var maxItems: Int

    /// PEP's auto-create defaults (XEP-0163 §4): `presence` access, one item.
    public static let pepDefault = StoredNodeConfiguration()

    /// Creates a configuration; omitted values are PEP's defaults (XEP-0163 §4).
    public init(accessModel: String = "presence", maxItems: Int = 1) {
        self.accessModel = accessModel
        self.maxItems = maxItems
    }

    /// ``maxItems`` clamped to at least one: the bound every backend applies when trimming (XEP-0060 §7.1.2).
    public var retainedItems: Int { max(1, self.maxItems) }
}
