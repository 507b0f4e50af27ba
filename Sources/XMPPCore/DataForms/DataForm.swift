/// An XEP-0004 data form: the `<x xmlns='jabber:x:data'/>` element as a value (XEP-0004 §3).
///
/// Forms are how structured parameters travel in XMPP (configuration, publish-options, negotiation terms). The
/// model keeps everything XEP-0004 defines — title, instructions, fields with their options, and the reported
/// fields and items of a multi-item result (§3.4) — so parsing then ``makeElement()`` round-trips. Protocols
/// identify their forms by the hidden `FORM_TYPE` field (XEP-0068 §3), see ``formType``.
public struct DataForm: Sendable, Hashable {
    /// The four form types and what each means in a form-processing exchange (XEP-0004 §3.1).
    public enum FormType: String, Sendable, Hashable, CaseIterable {
        /// The form-processing entity asks for data.
        case form
        /// The form-submitting entity sends data.
        case submit
        /// The form-submitting entity cancels the submission.
        case cancel
        /// The form-processing entity returns data (results, or the data that was agreed).
        case result
    }

    /// The `var` of the field naming the form's type (XEP-0068 §3).
    public static let formTypeVariable = "FORM_TYPE"

    /// The form type (XEP-0004 §3.1).
    public var type: FormType
    /// The optional `<title/>` (XEP-0004 §3.1).
    public var title: String?
    /// The `<instructions/>` elements, one string each (XEP-0004 §3.1).
    public var instructions: [String]
    /// The fields in document order (XEP-0004 §3.2).
    public var fields: [Field]
    /// The `<reported/>` field descriptions of a multi-item result, if any (XEP-0004 §3.4).
    public var reported: [Field]?
    /// The `<item/>` rows of a multi-item result, each a list of fields (XEP-0004 §3.4).
    public var items: [[Field]]

    /// Creates a form (XEP-0004 §3.1).
    public init(
        type: FormType, title: String? = nil, instructions: [String] = [], fields: [Field] = [],
        reported: [Field]? = nil, items: [[Field]] = []
    ) {
        self.type = type
        self.title = title
        self.instructions = instructions
        self.fields = fields
        self.reported = reported
        self.items = items
    }

    /// Creates a form whose first field is the hidden `FORM_TYPE` (XEP-0068 §3), followed by `fields`.
    public init(type: FormType, formType: String, fields: [Field]) {
        let formTypeField = Field(variable: Self.formTypeVariable, type: .hidden, values: [formType])
        self.init(type: type, fields: [formTypeField] + fields)
    }

    /// The value of the `FORM_TYPE` field, if the form has one used as a context indicator (XEP-0068 §3).
    ///
    /// The field counts when it is `hidden`, or when it has no `type` in a `submit` form, since submitted forms
    /// may omit field types (XEP-0068 1.3.0 §3; XEP-0004 §3.2). Any other `FORM_TYPE` is ignored, as XEP-0068 says.
    public var formType: String? {
        guard let field = self.field(Self.formTypeVariable) else { return nil }
        guard field.type == .hidden || (field.type == nil && self.type == .submit) else { return nil }
        return field.values.first
    }

    /// The field with this `var`, if any (XEP-0004 §3.2).
    public func field(_ variable: String) -> Field? {
        self.fields.first { $0.variable == variable }
    }

    /// All values of the field with this `var`; empty when the field is absent (XEP-0004 §3.2).
    public func values(_ variable: String) -> [String] {
        self.field(variable)?.values ?? []
    }

    /// The value of a single-valued field: `nil` when absent or valueless, an error with more than one value
    /// (XEP-0004 §3.3).
    public func singleValue(_ variable: String) throws(DataFormError) -> String? {
        let values = self.values(variable)
        guard values.count <= 1 else {
            throw DataFormError(.tooManyValues, reason: "field '\(variable)' takes one value, not \(values.count)")
        }
        return values.first
    }

    /// The value of a field that must be present with exactly one non-empty value (XEP-0004 §3.2 `<required/>`).
    public func requiredValue(_ variable: String) throws(DataFormError) -> String {
        guard let value = try self.singleValue(variable), !value.isEmpty else {
            throw DataFormError(.missingField, reason: "required field '\(variable)' is missing or empty")
        }
        return value
    }

    /// A `boolean` field: `1`/`true` or `0`/`false`, `nil` when absent (XEP-0004 §3.3).
    public func boolean(_ variable: String) throws(DataFormError) -> Bool? {
        guard let value = try self.singleValue(variable) else { return nil }
        switch value {
        case "1", "true": return true
        case "0", "false": return false
        default: throw DataFormError(.invalidValue, reason: "field '\(variable)' is not a boolean: '\(value)'")
        }
    }

    /// A `jid-single` field as a validated ``JID``, `nil` when absent (XEP-0004 §3.3; RFC 7622).
    public func jid(_ variable: String) throws(DataFormError) -> JID? {
        guard let value = try self.singleValue(variable) else { return nil }
        guard let jid = JID(value) else {
            throw DataFormError(.invalidValue, reason: "field '\(variable)' is not a JID: '\(value)'")
        }
        return jid
    }

    /// An integer field (decimal digits with an optional sign), `nil` when absent (XEP-0004 §3.3 text-single,
    /// XEP-0122 §3.2 `xs:integer`).
    public func integer(_ variable: String) throws(DataFormError) -> Int? {
        guard let value = try self.singleValue(variable) else { return nil }
        guard let integer = Int(value) else {
            throw DataFormError(.invalidValue, reason: "field '\(variable)' is not an integer: '\(value)'")
        }
        return integer
    }

    /// Replaces the values of the field with this `var`, appending the field when absent (XEP-0004 §3.2).
    public mutating func set(_ variable: String, values: [String], type: Field.FieldType? = nil) {
        if let index = self.fields.firstIndex(where: { $0.variable == variable }) {
            self.fields[index].values = values
            if let type { self.fields[index].type = type }
        } else {
            self.fields.append(Field(variable: variable, type: type, values: values))
        }
    }

    /// Checks that the form's `FORM_TYPE` is `expected` (XEP-0068 §3).
    public func requireFormType(_ expected: String) throws(DataFormError) {
        guard let actual = self.formType else {
            throw DataFormError(.wrongFormType, reason: "the form has no hidden FORM_TYPE (expected \(expected))")
        }
        guard actual == expected else {
            throw DataFormError(.wrongFormType, reason: "FORM_TYPE is '\(actual)', expected \(expected)")
        }
    }
}
