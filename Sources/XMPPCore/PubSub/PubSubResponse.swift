/// Builders for the elements a PEP service sends: iq results and event notifications
/// (XEP-0060 §6.5.2, §7.1.2, §7.1.2.1, §7.2.2.1; XEP-0163 §4.3).
///
/// Each returns a plain element; the iq results go through ``Stanza/makeResult(payload:)``.
public enum PubSubResponse {
    /// The result payload of a publish, telling the publisher the item id the service used
    /// (XEP-0060 §7.1.2): `<pubsub><publish node='…'><item id='…'/></publish></pubsub>`.
    public static func publishResult(node: String, itemID: String) -> XMLElement {
        let item = XMLElement(name: "item", namespace: Namespace.pubsub, attributes: ["id": itemID])
        let publish = XMLElement(
            name: "publish", namespace: Namespace.pubsub, attributes: ["node": node], children: [.element(item)])
        return XMLElement(name: "pubsub", namespace: Namespace.pubsub, children: [.element(publish)])
    }

    /// The result payload of an items retrieval, in the order given (XEP-0060 §6.5.2):
    /// `<pubsub><items node='…'><item id='…'>payload</item>…</items></pubsub>`.
    public static func itemsResult(node: String, items: [(id: String, payload: XMLElement)]) -> XMLElement {
        var list = XMLElement(name: "items", namespace: Namespace.pubsub, attributes: ["node": node])
        for (id, payload) in items {
            list.append(
                XMLElement(
                    name: "item", namespace: Namespace.pubsub, attributes: ["id": id], children: [.element(payload)]))
        }
        return XMLElement(name: "pubsub", namespace: Namespace.pubsub, children: [.element(list)])
    }

    /// The event announcing a published item, with its payload (XEP-0060 §7.1.2.1; XEP-0163 §4.3):
    /// `<event xmlns='…#event'><items node='…'><item id='…'>payload</item></items></event>`.
    public static func notification(node: String, itemID: String, payload: XMLElement) -> XMLElement {
        let item = XMLElement(
            name: "item", namespace: Namespace.pubsubEvent, attributes: ["id": itemID], children: [.element(payload)])
        return Self.event(node: node, child: item)
    }

    /// The event announcing a retracted item (XEP-0060 §7.2.2.1):
    /// `<event xmlns='…#event'><items node='…'><retract id='…'/></items></event>`.
    public static func retractNotification(node: String, itemID: String) -> XMLElement {
        let retract = XMLElement(name: "retract", namespace: Namespace.pubsubEvent, attributes: ["id": itemID])
        return Self.event(node: node, child: retract)
    }

    /// A `<message type='headline'/>` in `jabber:client` carrying an `<event/>` (XEP-0060 §7.1.2.1; XEP-0163 §4.3.1).
    ///
    /// `from` is reduced to its bare JID: PEP notifications come from the account, never from a resource
    /// (XEP-0163 §4.3.1). `to` is used as given (a full JID for caps-filtered delivery, XEP-0163 §4.3.1).
    public static func notificationMessage(from: JID, to: JID, event: XMLElement, id: String) -> XMLElement {
        XMLElement(
            name: "message", namespace: Namespace.client,
            attributes: ["from": from.bare.description, "to": to.description, "type": "headline", "id": id],
            children: [.element(event)])
    }

    /// The notification message for a published item: ``notification(node:itemID:payload:)`` inside
    /// ``notificationMessage(from:to:event:id:)`` (XEP-0060 §7.1.2.1; XEP-0163 §4.3.1).
    public static func notificationMessage(
        from: JID, to: JID, node: String, itemID: String, payload: XMLElement, id: String
    ) -> XMLElement {
        Self.notificationMessage(
            from: from, to: to, event: Self.notification(node: node, itemID: itemID, payload: payload), id: id)
    }

    private static func event(node: String, child: XMLElement) -> XMLElement {
        let items = XMLElement(
            name: "items", namespace: Namespace.pubsubEvent, attributes: ["node": node], children: [.element(child)])
        return XMLElement(name: "event", namespace: Namespace.pubsubEvent, children: [.element(items)])
    }
}
