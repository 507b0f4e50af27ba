/// An exact decimal amount in ten-thousandths, e.g. a price of `0.0123` is `123` (XML Schema 1.1 Part 2 §3.3.3).
///
/// Generated prices stay integers so that the harness compares them with query thresholds exactly, as the SPARQL
/// engine compares `xsd:decimal` values (SPARQL 1.1 §17.3).
public struct TenThousandths: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount times 10 000.
    public var value: Int

    /// Creates an amount of `value` / 10 000.
    public init(_ value: Int) {
        self.value = value
    }

    /// The canonical `xsd:decimal` lexical form: no trailing fractional zeros, e.g. `0.0123`, `12.5`, `3`.
    public var description: String {
        let sign = self.value < 0 ? "-" : ""
        let magnitude = self.value.magnitude
        var fraction = String(magnitude % 10_000)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + String(magnitude / 10_000) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// Numeric order.
    public static func < (lhs: TenThousandths, rhs: TenThousandths) -> Bool { lhs.value < rhs.value }
}

/// One service a generated cloud offers: `<xmpp:NAME@D#sN> a ic:KIND ; ic:region … ; ic:price [ … ]`
/// (CONTRACT §5.1, `schemas/intercloud.ttl`).
public struct ServiceOffer: Sendable, Hashable {
    /// A capacity-like figure: `ic:capacity` or `ic:bandwidth` with `[ ic:amount N ; ic:unit ic:UNIT ]`.
    public struct Quantity: Sendable, Hashable {
        /// `capacity` or `bandwidth`.
        public var property: String
        /// The amount.
        public var amount: Int
        /// The unit's local name, e.g. `VCPU`.
        public var unit: String
    }

    /// The service class's local name, e.g. `ObjectStorage`.
    public var kind: String
    /// The region's local name (UN/LOCODE), e.g. `DEFRA`.
    public var region: String
    /// The price amount per ``unit``.
    public var price: TenThousandths
    /// The ISO 4217 currency code of the price.
    public var currency: String
    /// The price unit's local name, e.g. `GBMonth`.
    public var unit: String
    /// The availability in percent, an `xsd:decimal` lexical form.
    public var availability: String
    /// The number of replicas (storage, databases).
    public var replicas: Int?
    /// The durability in percent (storage).
    public var durability: String?
    /// Capacity or bandwidth, for some compute, GPU and network services.
    public var quantity: Quantity?
}

/// Everything the harness generated for one cloud: what it publishes, and therefore what the directory must answer
/// about it (CONTRACT §5.1–§5.3).
public struct CloudProfile: Sendable, Hashable {
    /// The cloud's position in the run, 0-based.
    public var index: Int
    /// The cloud name `h<seed>-<runID>-<index>` (CONTRACT §3).
    public var name: String
    /// The XMPP domain D.
    public var domain: String
    /// The `rdfs:label`.
    public var label: String
    /// The operator's country code.
    public var providerCountry: String
    /// Certification local names, sorted.
    public var certifications: [String]
    /// The certificate's end of validity claimed in `ic:validUntil`, an `xsd:dateTime` lexical form.
    public var validUntil: String
    /// The services, in order; service n is `<xmpp:NAME@D#sn>`.
    public var services: [ServiceOffer]
    /// The trust level to register with (CONTRACT §4).
    public var trustLevel: Int

    /// The bare JID `NAME@D`.
    public var jid: String { "\(self.name)@\(self.domain)" }
    /// The cloud's IRI `xmpp:NAME@D` (CONTRACT §5.1; RFC 5122).
    public var iri: String { "xmpp:\(self.jid)" }

    /// The IRI of service `n`.
    public func serviceIRI(_ n: Int) -> String { "\(self.iri)#s\(n)" }
}
