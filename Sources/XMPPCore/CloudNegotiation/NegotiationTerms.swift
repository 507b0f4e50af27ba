import Foundation

/// The terms of an offer, read from and written to the `urn:intercloud:negotiation:0#terms` data form
/// (XEP-0004 §3; XEP-0068 §3; docs/negotiation.md "Terms").
///
/// Every known field is validated when the form is read, so a value of this type always holds usable terms:
/// an absolute IRI for the service type, positive exact decimals, an ISO 4217 currency code, a positive
/// `xsd:duration`. Fields the form type does not define are kept verbatim in ``extensions`` and become part of the
/// agreement, because both parties saw and accepted them.
public struct NegotiationTerms: Sendable, Hashable {
    /// The field names of the terms form (docs/negotiation.md "Terms").
    public enum FieldName: String, Sendable, CaseIterable {
        case serviceType = "service-type"
        case quantity
        case unit
        case region
        case priceCeiling = "price-ceiling"
        case currency
        case duration
        case start
        case slaAvailability = "sla-availability"
        case slaDurability = "sla-durability"
        case replicas
    }

    /// The service, an IRI from the Intercloud ontology, e.g. `https://w3id.org/intercloud/ns#ObjectStorage`.
    public var serviceType: String
    /// How much of the service, greater than zero, in ``unit``.
    public var quantity: XSDDecimal
    /// The unit of ``quantity``, e.g. `GB`, `vCPU`, `instance`.
    public var unit: String
    /// Where the service runs, e.g. `eu-west`.
    public var region: String
    /// The most the requester pays for the whole quantity over the whole duration, in ``currency``; not negative.
    public var priceCeiling: XSDDecimal
    /// The ISO 4217 alphabetic code of the price, e.g. `EUR`.
    public var currency: String
    /// How long the service is provided, a positive `xsd:duration` (XSD §3.3.6).
    public var duration: XSDDuration
    /// When the service starts; `nil` means when the agreement is recorded (XEP-0082 §3.3).
    public var start: Date?
    /// The availability SLA in percent, 0–100, e.g. `99.95`.
    public var slaAvailability: XSDDecimal?
    /// The durability SLA in percent, 0–100, e.g. `99.999999999`.
    public var slaDurability: XSDDecimal?
    /// The number of replicas, at least one.
    public var replicas: Int?
    /// Fields the form type does not define, by `var`, with all their values (XEP-0004 §3.2).
    public var extensions: [String: [String]]

    /// Creates terms; the values are not checked here, ``init(form:)`` checks what peers send.
    public init(
        serviceType: String, quantity: XSDDecimal, unit: String, region: String, priceCeiling: XSDDecimal,
        currency: String, duration: XSDDuration, start: Date? = nil, slaAvailability: XSDDecimal? = nil,
        slaDurability: XSDDecimal? = nil, replicas: Int? = nil, extensions: [String: [String]] = [:]
    ) {
        self.serviceType = serviceType
        self.quantity = quantity
        self.unit = unit
        self.region = region
        self.priceCeiling = priceCeiling
        self.currency = currency
        self.duration = duration
        self.start = start
        self.slaAvailability = slaAvailability
        self.slaDurability = slaDurability
        self.replicas = replicas
        self.extensions = extensions
    }

    /// The terms as field values in canonical lexical form, `FORM_TYPE` excluded, keyed by `var`: what an agreement
    /// records and signs (docs/negotiation.md "Canonical form").
    public var fieldValues: [String: [String]] {
        var values = self.extensions
        values[FieldName.serviceType.rawValue] = [self.serviceType]
        values[FieldName.quantity.rawValue] = [self.quantity.description]
        values[FieldName.unit.rawValue] = [self.unit]
        values[FieldName.region.rawValue] = [self.region]
        values[FieldName.priceCeiling.rawValue] = [self.priceCeiling.description]
        values[FieldName.currency.rawValue] = [self.currency]
        values[FieldName.duration.rawValue] = [self.duration.description]
        if let start = self.start { values[FieldName.start.rawValue] = [XSDDateTime.format(start)] }
        if let value = self.slaAvailability { values[FieldName.slaAvailability.rawValue] = [value.description] }
        if let value = self.slaDurability { values[FieldName.slaDurability.rawValue] = [value.description] }
        if let replicas = self.replicas { values[FieldName.replicas.rawValue] = [String(replicas)] }
        return values
    }

    /// The terms form: hidden `FORM_TYPE`, then the known fields in ``FieldName`` order, then the extensions sorted
    /// by `var`; values in canonical lexical form (XEP-0004 §3.1; XEP-0068 §3).
    public func makeForm(type: DataForm.FormType = .submit) -> DataForm {
        let values = self.fieldValues
        var fields: [DataForm.Field] = []
        for name in FieldName.allCases {
            guard let fieldValues = values[name.rawValue] else { continue }
            fields.append(DataForm.Field(variable: name.rawValue, values: fieldValues))
        }
        for name in self.extensions.keys.sorted() {
            fields.append(DataForm.Field(variable: name, values: self.extensions[name] ?? []))
        }
        return DataForm(type: type, formType: Namespace.negotiationTerms, fields: fields)
    }
}
