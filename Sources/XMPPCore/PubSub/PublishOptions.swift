/// The preconditions a publisher attaches to a publish request (XEP-0060 §7.1.5), read from its XEP-0004 form.
///
/// The service compares each option with the node's configuration: if the node does not exist yet it is created
/// with them (XEP-0163 §3 auto-create); if it exists and an option disagrees, the publish fails with
/// ``PubSubError/preconditionNotMet(_:)``. Only the two fields this server enforces get typed properties.
public struct PublishOptions: Sendable, Equatable {
    /// The form field naming the access model (XEP-0060 §4.5, §16.4.5).
    public static let accessModelField = "pubsub#access_model"
    /// The form field naming the number of retained items (XEP-0060 §16.4.5, §12.17).
    public static let maxItemsField = "pubsub#max_items"
    /// The hidden field carrying the form's type (XEP-0068 §2).
    public static let formTypeField = "FORM_TYPE"

    /// The requested `pubsub#access_model`, e.g. `"presence"` or `"open"`, as sent (XEP-0060 §4.5).
    ///
    /// Kept as text so an unknown model reaches the server, which refuses it as a failed precondition;
    /// see ``parsedAccessModel``.
    public var accessModel: String?
    /// The requested `pubsub#max_items`; the literal `max` becomes `Int.max` (XEP-0060 §12.17).
    public var maxItems: Int?
    /// Every other field by `var`, with all its values (XEP-0004 §3.2), minus `FORM_TYPE`.
    public var other: [String: [String]]

    /// Creates options directly (XEP-0060 §7.1.5).
    public init(accessModel: String? = nil, maxItems: Int? = nil, other: [String: [String]] = [:]) {
        self.accessModel = accessModel
        self.maxItems = maxItems
        self.other = other
    }

    /// The access model as a known ``AccessModel``, or `nil` when absent or unknown (XEP-0060 §4.5).
    public var parsedAccessModel: AccessModel? { self.accessModel.flatMap(AccessModel.init(rawValue:)) }

    /// Reads the `<x xmlns='jabber:x:data' type='submit'/>` inside `<publish-options/>` (XEP-0060 §7.1.5;
    /// XEP-0004 §3.1).
    ///
    /// Throws `bad-request` unless it is a submitted form whose `FORM_TYPE` is
    /// `http://jabber.org/protocol/pubsub#publish-options`, or when `pubsub#max_items` is neither a positive integer
    /// nor `max` (XEP-0060 §7.1.5, §12.17).
    public init(form: XMLElement) throws(PubSubError) {
        guard form.name == "x", form.namespace == Namespace.dataForms else {
            throw .badRequest("publish-options must hold a jabber:x:data form")
        }
        guard form[attribute: "type"] == "submit" else {
            throw .badRequest("publish-options form must have type='submit'")
        }
        var fields: [String: [String]] = [:]
        for field in form.children(named: "field", namespace: Namespace.dataForms) {
            guard let name = field[attribute: "var"] else { continue }
            let values = field.children(named: "value", namespace: Namespace.dataForms).map(\.text)
            fields[name, default: []].append(contentsOf: values)
        }
        guard fields.removeValue(forKey: Self.formTypeField) == [Namespace.pubsubPublishOptions] else {
            throw .badRequest("publish-options FORM_TYPE must be \(Namespace.pubsubPublishOptions)")
        }
        self.init()
        if let values = fields.removeValue(forKey: Self.accessModelField) {
            guard values.count == 1 else { throw .badRequest("\(Self.accessModelField) takes one value") }
            self.accessModel = values[0]
        }
        if let values = fields.removeValue(forKey: Self.maxItemsField) {
            guard values.count == 1, let maxItems = Self.parseMaxItems(values[0]) else {
                throw .badRequest("\(Self.maxItemsField) must be a positive integer or 'max'")
            }
            self.maxItems = maxItems
        }
        self.other = fields
    }

    /// The form a client sends, `FORM_TYPE` first, then the typed fields and ``other`` in sorted order
    /// (XEP-0060 §7.1.5; XEP-0004 §3.1).
    public func makeForm() -> XMLElement {
        var form = XMLElement(name: "x", namespace: Namespace.dataForms, attributes: ["type": "submit"])
        form.append(Self.field(Self.formTypeField, [Namespace.pubsubPublishOptions], type: "hidden"))
        if let accessModel = self.accessModel {
            form.append(Self.field(Self.accessModelField, [accessModel]))
        }
        if let maxItems = self.maxItems {
            form.append(Self.field(Self.maxItemsField, [maxItems == Int.max ? "max" : String(maxItems)]))
        }
        for name in self.other.keys.sorted() {
            form.append(Self.field(name, self.other[name] ?? []))
        }
        return form
    }

    /// Parses `pubsub#max_items`: a positive integer, or `max` for no limit (XEP-0060 §12.17).
    static func parseMaxItems(_ text: String) -> Int? {
        let trimmed = Self.trimmed(text)
        if trimmed == "max" { return Int.max }
        guard let value = Int(trimmed), value > 0 else { return nil }
        return value
    }

    private static func field(_ name: String, _ values: [String], type: String? = nil) -> XMLElement {
        var field = XMLElement(name: "field", namespace: Namespace.dataForms, attributes: ["var": name])
        field[attribute: "type"] = type
        for value in values {
            field.append(XMLElement(name: "value", namespace: Namespace.dataForms, children: [.text(value)]))
        }
        return field
    }

    /// The text without leading and trailing XML whitespace (XML 1.0 §2.3 `S`), without Foundation.
    private static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(text[first...last])
    }
}
