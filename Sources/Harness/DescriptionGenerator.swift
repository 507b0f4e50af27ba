import Foundation

/// Generates varied, deterministic capability descriptions for simulated clouds, mirroring
/// `benchmarks/sparql/gen_clouds.py`: 1–3 services typed over the ontology's class hierarchy, each with a region,
/// a price `[ amount currency unit ]`, SLA figures and capacity (CONTRACT §5.1, `schemas/intercloud.ttl`).
///
/// Cloud `i` depends only on (seed, i), never on how many clouds there are or on the run id, so that a seed names a
/// data set and the harness can compute every expected answer from its own profiles.
public enum DescriptionGenerator {
    /// The cloud name of cloud `index`: `h<seed>-<runID>-<index>` (CONTRACT §3: `a-z 0-9 -`, at most 63).
    public static func cloudName(seed: UInt64, runID: String, index: Int) -> String {
        "h\(seed)-\(runID)-\(index)"
    }

    /// The prefix every cloud IRI of a run starts with, `xmpp:h<seed>-<runID>-`, used to keep queries to this run's
    /// own clouds.
    public static func iriPrefix(seed: UInt64, runID: String) -> String {
        "xmpp:h\(seed)-\(runID)-"
    }

    /// The profile of cloud `index` named `name` in `domain`.
    public static func profile(index: Int, name: String, domain: String, seed: UInt64) -> CloudProfile {
        var random = SeededGenerator(seed: seed &* 1_000_003 &+ UInt64(index))
        let regions = CapabilityCatalog.regions
        let home = regions[random.weightedIndex(CapabilityCatalog.regionWeights)]
        let label =
            "\(random.pick(CapabilityCatalog.namePrefixes)) \(random.pick(CapabilityCatalog.nameNouns)) \(index)"
        var certifications: Set<String> = []
        for _ in 0..<random.pick([0, 0, 1, 1, 2, 3]) {
            let pick = random.weightedIndex(CapabilityCatalog.certificationWeights)
            certifications.insert(CapabilityCatalog.certifications[pick])
        }
        let providerCountry =
            random.chance(percent: 70) ? home.country : regions[random.integer(in: 0...(regions.count - 1))].country
        let validUntil = self.dateTime(
            year: 2027, month: random.integer(in: 1...12), day: random.integer(in: 1...28),
            hour: random.integer(in: 0...23))
        let count = random.weightedIndex([45, 40, 15]) + 1
        var services: [ServiceOffer] = []
        for n in 0..<count {
            let kind = CapabilityCatalog.services[random.weightedIndex(CapabilityCatalog.services.map(\.weight))]
            let region =
                n == 0 || random.chance(percent: 50)
                ? home.code : regions[random.weightedIndex(CapabilityCatalog.regionWeights)].code
            services.append(self.service(kind, region: region, random: &random))
        }
        return CloudProfile(
            index: index, name: name, domain: domain, label: label, providerCountry: providerCountry,
            certifications: certifications.sorted(), validUntil: validUntil, services: services,
            trustLevel: random.weightedIndex([5, 10, 25, 30, 20, 10]))
    }

    private static func service(
        _ kind: CapabilityCatalog.ServiceClass, region: String, random: inout SeededGenerator
    ) -> ServiceOffer {
        var amount = random.integer(in: kind.price)
        if kind.price.upperBound >= 10_000 { amount = amount / 100 * 100 }  // two decimal places above one unit
        if amount % 10_000 == 0 { amount += kind.price.upperBound >= 10_000 ? 100 : 1 }  // never integral
        let country = CapabilityCatalog.country(ofRegion: region) ?? "DE"
        var offer = ServiceOffer(
            kind: kind.name, region: region, price: TenThousandths(amount),
            currency: CapabilityCatalog.currency(ofCountry: country), unit: kind.unit,
            availability: random.pick(CapabilityCatalog.availabilities))
        switch kind.extra {
        case .storage:
            offer.replicas = random.pick([1, 2, 2, 3, 3, 3, 4, 5])
            offer.durability = random.pick(CapabilityCatalog.durabilities)
        case .database:
            offer.replicas = random.pick([1, 2, 3])
        case .compute where random.chance(percent: 50):
            offer.quantity = .init(property: "capacity", amount: random.pick([64, 256, 1_024, 4_096]), unit: "VCPU")
        case .gpu where random.chance(percent: 50):
            offer.quantity = .init(property: "capacity", amount: random.pick([8, 16, 64, 256]), unit: "GPU")
        case .network where random.chance(percent: 50):
            offer.quantity = .init(property: "bandwidth", amount: random.pick([1, 10, 40, 100]), unit: "Gbps")
        default:
            break
        }
        return offer
    }

    /// The Turtle description of `profile` (RDF 1.1 Turtle; CONTRACT §5.1): the cloud `<xmpp:NAME@D>`, its
    /// operator `<xmpp:NAME@D#operator>`, and one resource per service with the price as a blank node.
    public static func turtle(_ profile: CloudProfile) -> String {
        var lines = [
            "@prefix ic: <\(CapabilityCatalog.ns)> .", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .", "",
        ]
        var cloud = [
            "<\(profile.iri)> a ic:Cloud", "    rdfs:label \(self.literal(profile.label))",
            "    ic:operatedBy <\(profile.iri)#operator>",
            "    ic:validUntil \"\(profile.validUntil)\"^^xsd:dateTime",
        ]
        for certification in profile.certifications { cloud.append("    ic:certification ic:\(certification)") }
        let offers = profile.services.indices.map { "<\(profile.serviceIRI($0))>" }.joined(separator: ", ")
        cloud.append("    ic:offers \(offers)")
        lines.append(cloud.joined(separator: " ;\n") + " .")
        lines.append("")
        lines.append(
            "<\(profile.iri)#operator> a ic:Provider ; rdfs:label \(self.literal(profile.label + " Operator")) ; "
                + "ic:country ic:\(profile.providerCountry) .")
        for (n, service) in profile.services.enumerated() {
            var body = [
                "<\(profile.serviceIRI(n))> a ic:\(service.kind)", "    ic:region ic:\(service.region)",
                "    ic:price [ ic:amount \"\(service.price)\"^^xsd:decimal ; ic:currency \(self.literal(service.currency))"
                    + " ; ic:unit ic:\(service.unit) ]",
                "    ic:availability \"\(service.availability)\"^^xsd:decimal",
            ]
            if let replicas = service.replicas { body.append("    ic:replicas \(replicas)") }
            if let durability = service.durability { body.append("    ic:durability \"\(durability)\"^^xsd:decimal") }
            if let quantity = service.quantity {
                body.append(
                    "    ic:\(quantity.property) [ ic:amount \(quantity.amount) ; ic:unit ic:\(quantity.unit) ]")
            }
            lines.append("")
            lines.append(body.joined(separator: " ;\n") + " .")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `YYYY-MM-DDTHH:00:00Z`, an `xsd:dateTime` lexical form (XML Schema 1.1 Part 2 §3.3.7).
    static func dateTime(year: Int, month: Int, day: Int, hour: Int) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(hour)):00:00Z"
    }

    /// A Turtle string literal with `\` and `"` escaped (RDF 1.1 Turtle §6.4).
    static func literal(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
