/// A bounded cache from verification string to the features it stands for (XEP-0115 §6.3).
///
/// Entries are added only through ``verifyAndStore(claimed:discoInfo:)``, after the server has recomputed the hash
/// of the disco#info result it fetched: an unverified `ver` could poison the cache for every entity that claims it
/// (XEP-0115 §5.4, §11.2). A pure value; the owner decides when to query and where to keep it.
public struct CapsCache: Sendable, Hashable {
    /// How many verification strings are kept; the least recently stored is evicted first.
    public let capacity: Int
    private var entries: [String: [String]] = [:]
    private var order: [String] = []

    /// Creates an empty cache holding at most `capacity` (at least one) verification strings (XEP-0115 §6.3).
    public init(capacity: Int = 1024) {
        self.capacity = max(1, capacity)
    }

    /// The number of cached verification strings.
    public var count: Int { self.entries.count }

    /// The sorted features of a verified `ver`, or `nil` when it has not been verified yet, in which case the
    /// server sends a disco#info query to `node#ver` (XEP-0115 §6.2, §6.3).
    public func features(forVer ver: String) -> [String]? {
        self.entries[ver]
    }

    /// The features for a presence's capabilities, if its hash is supported and its `ver` is cached
    /// (XEP-0115 §6.3).
    public func features(for capabilities: EntityCapabilities) -> [String]? {
        guard capabilities.hash.lowercased() == EntityCapabilities.sha1 else { return nil }
        return self.features(forVer: capabilities.ver)
    }

    /// Verifies a fetched disco#info result against the claimed `ver` and caches its features when they match
    /// (XEP-0115 §5.4 steps 3–5).
    ///
    /// Returns `false`, storing nothing, when the hash is not `sha-1`, the result is ill-formed, or the recomputed
    /// string differs from the claim (XEP-0115 §5.4 step 3.8: "MUST NOT accept the value").
    public mutating func verifyAndStore(claimed: EntityCapabilities, discoInfo: XMLElement) -> Bool {
        guard claimed.hash.lowercased() == EntityCapabilities.sha1,
            let computed = try? EntityCapabilities.verificationString(for: discoInfo),
            computed == claimed.ver
        else { return false }
        let features = discoInfo.children(named: "feature", namespace: Namespace.discoInfo).compactMap {
            $0[attribute: "var"]
        }
        self.store(ver: computed, features: features)
        return true
    }

    /// Removes one entry, e.g. when an administrator flushes a bad client release.
    public mutating func remove(ver: String) {
        guard self.entries.removeValue(forKey: ver) != nil else { return }
        self.order.removeAll { $0 == ver }
    }

    /// Inserts or refreshes an entry, evicting the oldest beyond ``capacity``.
    private mutating func store(ver: String, features: [String]) {
        if self.entries.updateValue(Array(Set(features)).sorted(), forKey: ver) != nil {
            self.order.removeAll { $0 == ver }
        }
        self.order.append(ver)
        while self.order.count > self.capacity {
            let evicted = self.order.removeFirst()
            self.entries.removeValue(forKey: evicted)
        }
    }
}
