/// One roster item as stored (RFC 6121 §2.1.2), in plain strings so that the roster model converts at the edge.
///
/// The store does not interpret the fields: ``contact`` is the contact's bare JID in its canonical string form
/// (the key of the item within its owner's roster), ``subscription`` is the raw value of the subscription state
/// machine (RFC 6121 Appendix A, e.g. `"none"`, `"noneOut"`, `"both"`), and ``approved`` records a
/// pre-approval (RFC 6121 §3.4).
public struct StoredRosterItem: Sendable, Hashable, Codable {
    /// The contact's bare JID (RFC 6121 §2.1.2.2 `jid`); unique within one owner's roster.
    public var contact: String
    /// The handle the owner gave the contact (RFC 6121 §2.1.2.4 `name`), if any.
    public var name: String?
    /// The raw subscription state (RFC 6121 §2.1.2.5 and Appendix A).
    public var subscription: String
    /// The groups the item belongs to (RFC 6121 §2.1.2.6), in the owner's order.
    public var groups: [String]
    /// Whether the owner pre-approved a subscription request from the contact (RFC 6121 §2.1.2.1, §3.4).
    public var approved: Bool

    /// Creates a record; a new contact is by default in no group, unnamed and not pre-approved.
    public init(
        contact: String, name: String? = nil, subscription: String = "none", groups: [String] = [],
        approved: Bool = false
    ) {
        self.contact = contact
        self.name = name
        self.subscription = subscription
        self.groups = groups
        self.approved = approved
    }
}
