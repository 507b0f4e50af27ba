extension Namespace {
    /// The roster management namespace (RFC 6121 §2.1).
    public static let roster = "jabber:iq:roster"
}

/// One contact in a user's roster, as the server stores and pushes it (RFC 6121 §2.1.2).
///
/// The `jid` is always bare, `groups` are sorted and unique, and the subscription is one of the nine defined states,
/// so an item built here always serialises to a valid `<item/>` (RFC 6121 §2.1.2, Appendix A.1).
public struct RosterItem: Sendable, Hashable, Codable {
    /// The longest `name` or group name the server accepts, in UTF-8 bytes (RFC 6121 §2.3.3: "too long" is
    /// not-acceptable; the limit is the server's choice).
    public static let maximumTextLength = 1023

    /// The contact's bare JID: the item's key (RFC 6121 §2.1.2.3).
    public var jid: JID {
        didSet { self.jid = self.jid.bare }
    }
    /// The user-assigned handle, if any (RFC 6121 §2.1.2.4).
    public var name: String?
    /// The subscription state; pending-in is kept here but never shown (RFC 6121 §2.1.2.5, Appendix A.1).
    public var subscription: SubscriptionState
    /// The user's groups for this contact, sorted and deduplicated (RFC 6121 §2.1.2.6).
    public var groups: [String] {
        didSet { self.groups = Self.normalize(self.groups) }
    }
    /// Whether the user pre-approved a subscription from the contact (RFC 6121 §2.1.2.1, §3.4).
    public var approved: Bool

    /// Creates an item; the JID is reduced to its bare form and groups are sorted and deduplicated
    /// (RFC 6121 §2.1.2.3, §2.1.2.6).
    public init(
        jid: JID, name: String? = nil, subscription: SubscriptionState = .none, groups: [String] = [],
        approved: Bool = false
    ) {
        self.jid = jid.bare
        self.name = name
        self.subscription = subscription
        self.groups = Self.normalize(groups)
        self.approved = approved
    }

    /// Reads an `<item/>` as the server sends it in a roster result or push (RFC 6121 §2.1.2).
    ///
    /// Used for round trips and stored rosters. Client roster sets go through ``RosterSetRequest`` instead, which
    /// ignores `subscription`, `ask` and `approved` as RFC 6121 §2.1.2.1, §2.1.2.2 and §2.1.2.5 require.
    public init(_ element: XMLElement) throws(StanzaError) {
        guard element.name == "item", element.namespace == Namespace.roster else {
            throw StanzaError(.badRequest, text: "expected <item xmlns='\(Namespace.roster)'/>")
        }
        let jid = try Self.parseJID(element)
        guard
            let state = SubscriptionState(
                rosterSubscription: element[attribute: "subscription"] ?? "none",
                askSubscribe: element[attribute: "ask"] == "subscribe")
        else { throw StanzaError(.badRequest, text: "invalid subscription/ask on roster item") }
        let approved = element[attribute: "approved"]
        self.init(
            jid: jid, name: try Self.parseName(element), subscription: state,
            groups: try Self.parseGroups(element), approved: approved == "true" || approved == "1")
    }

    /// The `<item/>` for a roster result or push (RFC 6121 §2.1.2, §2.1.4, §2.1.6).
    ///
    /// `ask='subscribe'` appears only for a pending-out request and `approved='true'` only when set; pending-in is
    /// never revealed (RFC 6121 §2.1.2.1, §2.1.2.2, Appendix A.1).
    public func makeElement() -> XMLElement {
        var item = XMLElement(
            name: "item", namespace: Namespace.roster,
            attributes: ["jid": self.jid.description, "subscription": self.subscription.rosterSubscription])
        item[attribute: "name"] = self.name
        if self.subscription.askSubscribe { item[attribute: "ask"] = "subscribe" }
        if self.approved { item[attribute: "approved"] = "true" }
        for group in self.groups {
            item.append(XMLElement(name: "group", namespace: Namespace.roster, children: [.text(group)]))
        }
        return item
    }

    private enum CodingKeys: String, CodingKey {
        case jid, name, subscription, groups, approved
    }

    /// Decodes an item, validating the JID (RFC 7622 §3) and normalising groups (RFC 6121 §2.1.2.6).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .jid)
        guard let jid = JID(text) else {
            throw DecodingError.dataCorruptedError(forKey: .jid, in: container, debugDescription: "invalid JID")
        }
        self.init(
            jid: jid, name: try container.decodeIfPresent(String.self, forKey: .name),
            subscription: try container.decode(SubscriptionState.self, forKey: .subscription),
            groups: try container.decodeIfPresent([String].self, forKey: .groups) ?? [],
            approved: try container.decodeIfPresent(Bool.self, forKey: .approved) ?? false)
    }

    /// Encodes the item with the JID as its string form (RFC 7622 §3.1).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.jid.description, forKey: .jid)
        try container.encodeIfPresent(self.name, forKey: .name)
        try container.encode(self.subscription, forKey: .subscription)
        try container.encode(self.groups, forKey: .groups)
        try container.encode(self.approved, forKey: .approved)
    }

    static func normalize(_ groups: [String]) -> [String] {
        Array(Set(groups)).sorted()
    }

    /// The `jid` attribute: present, a valid JID, and bare (RFC 6121 §2.1.2.3).
    static func parseJID(_ item: XMLElement) throws(StanzaError) -> JID {
        guard let text = item[attribute: "jid"] else {
            throw StanzaError(.badRequest, text: "roster item without 'jid'")
        }
        guard let jid = JID(text) else { throw StanzaError(.jidMalformed, text: "invalid roster item 'jid'") }
        guard jid.isBare else { throw StanzaError(.badRequest, text: "roster item 'jid' must be a bare JID") }
        return jid
    }

    /// The `name` attribute, at most ``maximumTextLength`` bytes (RFC 6121 §2.1.2.4, §2.3.3).
    static func parseName(_ item: XMLElement) throws(StanzaError) -> String? {
        guard let name = item[attribute: "name"] else { return nil }
        guard name.utf8.count <= Self.maximumTextLength else {
            throw StanzaError(.notAcceptable, text: "roster item name is too long")
        }
        return name
    }

    /// The `<group/>` children: non-empty, not too long, no duplicates (RFC 6121 §2.1.2.6, §2.3.3).
    static func parseGroups(_ item: XMLElement) throws(StanzaError) -> [String] {
        var groups: Set<String> = []
        for group in item.children(named: "group", namespace: Namespace.roster) {
            let name = group.text
            guard !name.isEmpty else { throw StanzaError(.notAcceptable, text: "empty roster group name") }
            guard name.utf8.count <= Self.maximumTextLength else {
                throw StanzaError(.notAcceptable, text: "roster group name is too long")
            }
            guard groups.insert(name).inserted else {
                throw StanzaError(.badRequest, text: "duplicate roster group '\(name)'")
            }
        }
        return groups.sorted()
    }
}
