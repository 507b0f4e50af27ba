import Foundation

extension NegotiationTerms {
    /// Reads and validates a terms form (XEP-0004 §3; XEP-0068 §3; docs/negotiation.md "Terms").
    ///
    /// `expectedType` is `submit` in proposals and counters and `result` in agreements. Throws
    /// ``NegotiationError/Code/invalidTerms`` naming the field for: another form type or `FORM_TYPE`; a required
    /// field (service-type, quantity, unit, region, price-ceiling, currency, duration) missing or empty; any known
    /// field with more than one value; a service type that is not an absolute IRI; a quantity that is not a
    /// positive decimal; a negative or non-decimal price ceiling; a currency that is not three capital letters; a
    /// duration that is not a positive `xsd:duration`; an invalid start `xsd:dateTime`; an SLA outside 0–100;
    /// replicas not a positive integer.
    public init(form: DataForm, expectedType: DataForm.FormType = .submit) throws(NegotiationError) {
        guard form.type == expectedType else {
            throw NegotiationError(.invalidTerms, "the terms form must have type '\(expectedType.rawValue)'")
        }
        do {
            try form.requireFormType(Namespace.negotiationTerms)
            self = try Self.parse(form)
        } catch {
            throw NegotiationError(terms: error)
        }
    }

    private static func parse(_ form: DataForm) throws(DataFormError) -> NegotiationTerms {
        let serviceType = try form.requiredValue(FieldName.serviceType.rawValue)
        guard Self.isAbsoluteIRI(serviceType) else {
            throw Self.invalid(.serviceType, serviceType, "an absolute IRI")
        }
        let quantityText = try form.requiredValue(FieldName.quantity.rawValue)
        guard let quantity = XSDDecimal(quantityText), quantity > XSDDecimal(0) else {
            throw Self.invalid(.quantity, quantityText, "a positive decimal")
        }
        let priceText = try form.requiredValue(FieldName.priceCeiling.rawValue)
        guard let priceCeiling = XSDDecimal(priceText), !priceCeiling.isNegative else {
            throw Self.invalid(.priceCeiling, priceText, "a non-negative decimal")
        }
        let currency = try form.requiredValue(FieldName.currency.rawValue)
        guard currency.utf8.count == 3, currency.utf8.allSatisfy({ (65...90).contains($0) }) else {
            throw Self.invalid(.currency, currency, "an ISO 4217 code of three capital letters")
        }
        let durationText = try form.requiredValue(FieldName.duration.rawValue)
        guard let duration = XSDDuration(durationText), !duration.isNegative, !duration.isZero else {
            throw Self.invalid(.duration, durationText, "a positive xsd:duration")
        }
        var terms = NegotiationTerms(
            serviceType: serviceType, quantity: quantity, unit: try Self.token(form, .unit),
            region: try Self.token(form, .region), priceCeiling: priceCeiling, currency: currency, duration: duration)
        if let text = try form.singleValue(FieldName.start.rawValue) {
            guard let start = XSDDateTime.parse(text) else { throw Self.invalid(.start, text, "an xsd:dateTime") }
            terms.start = start
        }
        terms.slaAvailability = try Self.percentage(form, .slaAvailability)
        terms.slaDurability = try Self.percentage(form, .slaDurability)
        if let text = try form.singleValue(FieldName.replicas.rawValue) {
            guard let replicas = Int(XSDLexical.trimmed(text)), replicas >= 1 else {
                throw Self.invalid(.replicas, text, "a positive integer")
            }
            terms.replicas = replicas
        }
        let known = Set(FieldName.allCases.map(\.rawValue)).union([DataForm.formTypeVariable])
        for field in form.fields {
            guard let name = field.variable, !known.contains(name) else { continue }
            terms.extensions[name] = field.values
        }
        return terms
    }

    /// A required single-line value without leading or trailing whitespace or control characters.
    private static func token(_ form: DataForm, _ name: FieldName) throws(DataFormError) -> String {
        let value = try form.requiredValue(name.rawValue)
        guard XSDLexical.trimmed(value) == value, !value.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw Self.invalid(name, value, "a single line without surrounding whitespace")
        }
        return value
    }

    private static func percentage(_ form: DataForm, _ name: FieldName) throws(DataFormError) -> XSDDecimal? {
        guard let text = try form.singleValue(name.rawValue) else { return nil }
        guard let value = XSDDecimal(text), !value.isNegative, value <= XSDDecimal(100) else {
            throw Self.invalid(name, text, "a percentage between 0 and 100")
        }
        return value
    }

    /// `scheme ":" rest` with an RFC 3987 scheme and no whitespace, `<`, `>`, `"` (RFC 3987 §2.2 `absolute-IRI`).
    static func isAbsoluteIRI(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex
        else { return false }
        let isLetter: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
        let scheme = text[..<colon].unicodeScalars
        guard let first = scheme.first, isLetter(first),
            scheme.allSatisfy({ isLetter($0) || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) })
        else { return false }
        return !text.unicodeScalars.contains { $0.value <= 0x20 || "<>\"{}|\\^`".unicodeScalars.contains($0) }
    }

    private static func invalid(_ name: FieldName, _ value: String, _ expected: String) -> DataFormError {
        DataFormError(.invalidValue, reason: "field '\(name.rawValue)' must be \(expected), not '\(value)'")
    }
}
