/// A matching query the harness sends to `directory.D` together with the answer it must get, computed from the
/// harness's own generated profiles (CONTRACT §5.3; issue 6 step "matching queries").
///
/// Every query is restricted to this run's clouds with `FILTER(STRSTARTS(STR(?cloud), "xmpp:h<seed>-<run>-"))`, so
/// other clouds registered at an external root do not disturb the exact comparison.
public struct MatchQuery: Sendable, Hashable {
    /// The query shapes, used in turn.
    public enum Shape: String, Sendable, Hashable, CaseIterable, Codable {
        /// Ready clouds offering a service of a class (or below it) in an EU region: `DISTINCT ?cloud`.
        case serviceInEU = "service-in-eu"
        /// Services per concrete class among ready clouds: `GROUP BY ?type` with `COUNT`.
        case countByType = "count-by-type"
        /// Object storage with ≥ 2 replicas under a EUR price per GB-month: `?cloud ?service` pairs.
        case cheapReplicatedStorage = "cheap-replicated-storage"
        /// One cloud's label and its operator's country.
        case cloudLabel = "cloud-label"
        /// Ready clouds per country of their service regions: `GROUP BY ?country` with `COUNT(DISTINCT)`.
        case cloudsPerCountry = "clouds-per-country"
    }

    /// The shape.
    public var shape: Shape
    /// The SPARQL 1.1 SELECT text.
    public var sparql: String
    /// The rows the directory must return, in any order: variable name → the text of the bound term.
    public var expected: [[String: String]]

    static let prologue = """
        PREFIX ic: <\(CapabilityCatalog.ns)>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

        """
    static let ancestors = ["ObjectStorage", "Storage", "Compute", "Database", "Network", "VirtualMachine"]
    static let priceLimits = [30, 120, 300]

    /// The `number`-th query over `ready` (the profiles of this run's clouds that are online and published);
    /// the shape cycles through ``Shape/allCases`` and each shape's parameter through its own list.
    public static func make(number: Int, prefix: String, ready: [CloudProfile]) -> MatchQuery {
        let shape = Shape.allCases[number % Shape.allCases.count]
        let variant = number / Shape.allCases.count
        let filter = "FILTER(STRSTARTS(STR(?cloud), \(DescriptionGenerator.literal(prefix))))"
        switch shape {
        case .serviceInEU:
            let ancestor = self.ancestors[variant % self.ancestors.count]
            let sparql = """
                SELECT DISTINCT ?cloud WHERE {
                  ?cloud ic:ready true ; ic:offers ?service .
                  ?service a/rdfs:subClassOf* ic:\(ancestor) ; ic:region ?region .
                  ?region ic:jurisdiction ic:EU .
                  \(filter)
                }
                """
            let expected = ready.filter { profile in
                profile.services.contains {
                    CapabilityCatalog.isSubclass($0.kind, of: ancestor) && self.isEU($0.region)
                }
            }.map { ["cloud": $0.iri] }
            return MatchQuery(shape: shape, sparql: self.prologue + sparql, expected: expected)
        case .countByType:
            let sparql = """
                SELECT ?type (COUNT(?service) AS ?services) WHERE {
                  ?cloud ic:ready true ; ic:offers ?service .
                  ?service a ?type .
                  \(filter)
                }
                GROUP BY ?type
                """
            var counts: [String: Int] = [:]
            for profile in ready { for service in profile.services { counts[service.kind, default: 0] += 1 } }
            let expected = counts.map { ["type": CapabilityCatalog.ns + $0.key, "services": String($0.value)] }
            return MatchQuery(shape: shape, sparql: self.prologue + sparql, expected: expected)
        case .cheapReplicatedStorage:
            let limit = TenThousandths(self.priceLimits[variant % self.priceLimits.count])
            let sparql = """
                SELECT ?cloud ?service WHERE {
                  ?cloud ic:ready true ; ic:offers ?service .
                  ?service a/rdfs:subClassOf* ic:ObjectStorage ; ic:replicas ?replicas ; ic:price ?price .
                  ?price ic:amount ?amount ; ic:currency "EUR" ; ic:unit ic:GBMonth .
                  FILTER(?replicas >= 2 && ?amount < \(limit))
                  \(filter)
                }
                """
            var expected: [[String: String]] = []
            for profile in ready {
                for (n, service) in profile.services.enumerated()
                where CapabilityCatalog.isSubclass(service.kind, of: "ObjectStorage") && (service.replicas ?? 0) >= 2
                    && service.currency == "EUR" && service.unit == "GBMonth" && service.price < limit
                {
                    expected.append(["cloud": profile.iri, "service": profile.serviceIRI(n)])
                }
            }
            return MatchQuery(shape: shape, sparql: self.prologue + sparql, expected: expected)
        case .cloudLabel:
            guard !ready.isEmpty else { return self.make(number: number + 1, prefix: prefix, ready: ready) }
            let profile = ready[(variant &* 7_919) % ready.count]
            let sparql = """
                SELECT ?label ?country WHERE {
                  <\(profile.iri)> rdfs:label ?label ; ic:operatedBy ?operator .
                  ?operator ic:country ?country .
                }
                """
            let expected = [["label": profile.label, "country": CapabilityCatalog.ns + profile.providerCountry]]
            return MatchQuery(shape: shape, sparql: self.prologue + sparql, expected: expected)
        case .cloudsPerCountry:
            let sparql = """
                SELECT ?country (COUNT(DISTINCT ?cloud) AS ?clouds) WHERE {
                  ?cloud ic:ready true ; ic:offers ?service .
                  ?service ic:region ?region .
                  ?region ic:country ?country .
                  \(filter)
                }
                GROUP BY ?country
                """
            var clouds: [String: Set<String>] = [:]
            for profile in ready {
                for service in profile.services {
                    let country = CapabilityCatalog.country(ofRegion: service.region) ?? "?"
                    clouds[country, default: []].insert(profile.name)
                }
            }
            let expected = clouds.map { ["country": CapabilityCatalog.ns + $0.key, "clouds": String($0.value.count)] }
            return MatchQuery(shape: shape, sparql: self.prologue + sparql, expected: expected)
        }
    }

    /// Whether `rows` are exactly the expected rows, in any order; nil when they are, else what differs.
    public func mismatch(_ rows: [[String: String]]) -> String? {
        let got = rows.map(Self.key).sorted()
        let want = self.expected.map(Self.key).sorted()
        guard got != want else { return nil }
        let missing = Set(want).subtracting(got).sorted()
        let extra = Set(got).subtracting(want).sorted()
        return "\(self.shape.rawValue): \(got.count) rows, expected \(want.count); "
            + "missing \(missing.count) \(missing.prefix(2)), unexpected \(extra.count) \(extra.prefix(2))"
    }

    /// Whether a region lies in the EU (`?region ic:jurisdiction ic:EU`).
    static func isEU(_ region: String) -> Bool {
        CapabilityCatalog.country(ofRegion: region).map { CapabilityCatalog.euCountries.contains($0) } ?? false
    }

    /// A row as `name=value` pairs sorted by name, to compare rows as multisets.
    static func key(_ row: [String: String]) -> String {
        row.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}
