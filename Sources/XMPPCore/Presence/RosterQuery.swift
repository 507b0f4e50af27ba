/// A client's roster set, reduced to what the server may act on (RFC 6121 §2.3, §2.5).
///
/// `subscription` (other than `remove`), `ask` and `approved` are not client-settable: the server ignores them
/// (RFC 6121 §2.1.2.1, §2.1.2.2, §2.1.2.5), so they have no place here.
public enum RosterSetRequest: Sendable, Hashable {
    /// Add or update an item with this name and these (sorted, unique) groups (RFC 6121 §2.3, §2.4).
    case update(jid: JID, name: String?, groups: [String])
    /// Delete the item, cancelling subscriptions both ways (RFC 6121 §2.5).
    case remove(jid: JID)

    /// The contact the request is about (RFC 6121 §2.1.2.3).
    public var jid: JID {
        switch self {
        case .update(let jid, _, _), .remove(let jid): jid
        }
    }

    /// Parses one `<item/>` of a roster set (RFC 6121 §2.3.2, §2.3.3, §2.5.2).
    ///
    /// Errors: missing or full `jid` is bad-request, an invalid one jid-malformed; duplicate groups bad-request;
    /// an empty group name or an over-long name or group not-acceptable (RFC 6121 §2.3.3).
    public init(_ item: XMLElement) throws(StanzaError) {
        guard item.name == "item", item.namespace == Namespace.roster else {
            throw StanzaError(.badRequest, text: "expected <item xmlns='\(Namespace.roster)'/>")
        }
        let jid = try RosterItem.parseJID(item)
        if item[attribute: "subscription"] == "remove" {
            self = .remove(jid: jid)
            return
        }
        self = .update(
            jid: jid, name: try RosterItem.parseName(item), groups: try RosterItem.parseGroups(item))
    }

    /// Applies an update to the stored item (or a new one), keeping its subscription and pre-approval, which a
    /// roster set cannot change (RFC 6121 §2.3.2, §2.1.2.5). Returns `nil` for ``remove(jid:)``.
    public func applied(to existing: RosterItem?) -> RosterItem? {
        guard case .update(let jid, let name, let groups) = self else { return nil }
        var item = existing ?? RosterItem(jid: jid)
        item.name = name
        item.groups = groups
        return item
    }
}

/// Builders and parsers for the `<query xmlns='jabber:iq:roster'/>` payload (RFC 6121 §2.1, §2.2, §2.3, §2.5).
public enum RosterQuery {
    /// Parses a roster set iq: type `set`, a roster query, exactly one `<item/>` (RFC 6121 §2.3.2, §2.3.3).
    ///
    /// The caller checks that the set comes from the user's own account (`forbidden`, RFC 6121 §2.1.5).
    public static func parseSet(_ iq: Stanza) throws(StanzaError) -> RosterSetRequest {
        guard iq.kind == .iq, iq.type == "set" else {
            throw StanzaError(.badRequest, text: "a roster set is an iq of type 'set'")
        }
        guard let query = iq.payload, query.name == "query", query.namespace == Namespace.roster else {
            throw StanzaError(.badRequest, text: "expected <query xmlns='\(Namespace.roster)'/>")
        }
        let items = query.elements
        guard items.count == 1, let item = items.first else {
            throw StanzaError(.badRequest, text: "a roster set must contain exactly one item")
        }
        return try RosterSetRequest(item)
    }

    /// The version a roster get asks to resume from: `nil` without `ver` (no versioning), else the string,
    /// possibly empty (RFC 6121 §2.6.2).
    public static func requestedVersion(_ iq: Stanza) -> String? {
        guard let query = iq.payload, query.name == "query", query.namespace == Namespace.roster else { return nil }
        return query[attribute: "ver"]
    }

    /// The roster result payload: every item, with `ver` when versioning is in use (RFC 6121 §2.1.4, §2.6.3).
    ///
    /// Items are ordered by JID so the output is deterministic.
    public static func result(items: [RosterItem], version: String?) -> XMLElement {
        var query = XMLElement(name: "query", namespace: Namespace.roster)
        query[attribute: "ver"] = version
        for item in items.sorted(by: { $0.jid.description < $1.jid.description }) {
            query.append(item.makeElement())
        }
        return query
    }

    /// The payload of a roster push (an iq of type `set` to each interested resource) for a changed item
    /// (RFC 6121 §2.1.6, §2.6.3).
    public static func push(item: RosterItem, version: String?) -> XMLElement {
        var query = XMLElement(name: "query", namespace: Namespace.roster)
        query[attribute: "ver"] = version
        query.append(item.makeElement())
        return query
    }

    /// The payload of a roster push announcing a deleted item: `subscription='remove'` (RFC 6121 §2.5.2).
    public static func removalPush(jid: JID, version: String?) -> XMLElement {
        var query = XMLElement(name: "query", namespace: Namespace.roster)
        query[attribute: "ver"] = version
        query.append(
            XMLElement(
                name: "item", namespace: Namespace.roster,
                attributes: ["jid": jid.bare.description, "subscription": "remove"]))
        return query
    }
}
