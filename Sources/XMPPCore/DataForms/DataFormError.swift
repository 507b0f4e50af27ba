/// Why a `jabber:x:data` element is not a valid data form, or a field does not hold the value asked for
/// (XEP-0004 §3.1–§3.3).
///
/// The `code` is stable for callers and tests; protocols that embed forms map every code to `bad-request`
/// (RFC 6120 §8.3.3.1) with ``reason`` as the error text.
public struct DataFormError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable error codes (XEP-0004 §3.1–§3.3).
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The element is not `<x xmlns='jabber:x:data'/>` (XEP-0004 §3.1).
        case notADataForm = "not-a-data-form"
        /// The form's `type` is missing or not one of form, submit, cancel, result (XEP-0004 §3.1).
        case invalidFormType = "invalid-form-type"
        /// A field's `type` is not one of the XEP-0004 §3.3 field types.
        case invalidFieldType = "invalid-field-type"
        /// A field other than `fixed` has no `var` (XEP-0004 §3.2).
        case missingVariable = "missing-variable"
        /// Two fields share a `var` (XEP-0004 §3.2: `var` identifies the field uniquely).
        case duplicateVariable = "duplicate-variable"
        /// A single-valued field carries more than one `<value/>` (XEP-0004 §3.3).
        case tooManyValues = "too-many-values"
        /// An `<option/>` has no `<value/>` (XEP-0004 §3.2).
        case invalidOption = "invalid-option"
        /// The `FORM_TYPE` is missing or not the one expected (XEP-0068 §3).
        case wrongFormType = "wrong-form-type"
        /// A field the caller requires is absent or empty (XEP-0004 §3.2 `<required/>`).
        case missingField = "missing-field"
        /// A value does not have the type asked for: boolean, JID, integer (XEP-0004 §3.3).
        case invalidValue = "invalid-value"
    }

    /// The stable code.
    public var code: Code
    /// A human-readable explanation naming the field, suitable as stanza error text (RFC 6120 §8.3.2).
    public var reason: String

    /// Creates an error (XEP-0004 §3).
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// A description such as `missing-variable: a field other than 'fixed' needs a var`.
    public var description: String { "\(self.code.rawValue): \(self.reason)" }
}
