/// The slice of the Intercloud ontology (`schemas/intercloud.ttl`, CONTRACT §5.1) the generated descriptions use,
/// with the weights and price ranges of `benchmarks/sparql/gen_clouds.py`, and the facts the harness needs to
/// compute expected answers itself: the service class hierarchy and which regions lie in the EU.
public enum CapabilityCatalog {
    /// The ontology namespace, prefix `ic:`.
    public static let ns = "https://w3id.org/intercloud/ns#"

    /// What extra figures a service class carries.
    public enum Extra: Sendable, Hashable {
        /// `ic:replicas` and `ic:durability`.
        case storage
        /// `ic:replicas`.
        case database
        /// Sometimes `ic:capacity` in vCPU.
        case compute
        /// Sometimes `ic:capacity` in GPU.
        case gpu
        /// Sometimes `ic:bandwidth` in Gbps.
        case network
        /// Nothing more.
        case none
    }

    /// A concrete service class: its weight among generated services, its price unit and price range in
    /// ten-thousandths of the currency, and its extras.
    public struct ServiceClass: Sendable, Hashable {
        /// The class's local name, e.g. `ObjectStorage`.
        public let name: String
        /// The relative frequency among generated services.
        public let weight: Int
        /// The price unit's local name, e.g. `GBMonth`.
        public let unit: String
        /// The lowest and highest price, in ten-thousandths.
        public let price: ClosedRange<Int>
        /// The extra figures.
        public let extra: Extra
    }

    /// The concrete classes generated, in a fixed order (gen_clouds.py `SERVICES`).
    public static let services: [ServiceClass] = [
        .init(name: "ObjectStorage", weight: 14, unit: "GBMonth", price: 40...400, extra: .storage),
        .init(name: "ArchiveStorage", weight: 4, unit: "GBMonth", price: 8...60, extra: .storage),
        .init(name: "BlockStorage", weight: 7, unit: "GBMonth", price: 300...1_400, extra: .storage),
        .init(name: "FileStorage", weight: 4, unit: "GBMonth", price: 500...3_200, extra: .storage),
        .init(name: "BackupService", weight: 3, unit: "GBMonth", price: 100...600, extra: .storage),
        .init(name: "VirtualMachine", weight: 14, unit: "InstanceHour", price: 80...6_000, extra: .compute),
        .init(name: "GPUCompute", weight: 4, unit: "GPUHour", price: 6_000...42_000, extra: .gpu),
        .init(name: "BareMetal", weight: 3, unit: "InstanceHour", price: 2_500...35_000, extra: .compute),
        .init(name: "ContainerService", weight: 5, unit: "VCPUHour", price: 150...700, extra: .compute),
        .init(name: "ServerlessFunctions", weight: 3, unit: "MillionRequests", price: 1_000...4_500, extra: .none),
        .init(name: "RelationalDatabase", weight: 6, unit: "InstanceHour", price: 200...12_000, extra: .database),
        .init(name: "KeyValueStore", weight: 3, unit: "InstanceHour", price: 150...6_000, extra: .database),
        .init(name: "DocumentDatabase", weight: 2, unit: "InstanceHour", price: 300...9_000, extra: .database),
        .init(name: "GraphDatabase", weight: 1, unit: "InstanceHour", price: 500...15_000, extra: .database),
        .init(name: "TimeSeriesDatabase", weight: 1, unit: "InstanceHour", price: 400...8_000, extra: .database),
        .init(name: "LoadBalancer", weight: 3, unit: "InstanceHour", price: 100...400, extra: .network),
        .init(name: "VPN", weight: 2, unit: "InstanceHour", price: 200...900, extra: .network),
        .init(name: "Interconnect", weight: 1, unit: "Month", price: 900_000...24_000_000, extra: .network),
        .init(name: "DNS", weight: 2, unit: "MillionRequests", price: 2_000...6_000, extra: .none),
        .init(name: "CDN", weight: 4, unit: "GBTransfer", price: 40...900, extra: .network),
        .init(name: "Messaging", weight: 2, unit: "MillionRequests", price: 2_000...8_000, extra: .none),
        .init(name: "Analytics", weight: 2, unit: "InstanceHour", price: 1_000...25_000, extra: .none),
        .init(name: "MachineLearning", weight: 2, unit: "GPUHour", price: 9_000...55_000, extra: .gpu),
    ]

    /// `rdfs:subClassOf` between service classes, child → parent (`schemas/intercloud.ttl`, "Services").
    public static let superclass: [String: String] = [
        "Compute": "Service", "VirtualMachine": "Compute", "GPUCompute": "VirtualMachine", "BareMetal": "Compute",
        "ContainerService": "Compute", "ServerlessFunctions": "Compute", "Storage": "Service",
        "ObjectStorage": "Storage", "ArchiveStorage": "ObjectStorage", "BlockStorage": "Storage",
        "FileStorage": "Storage", "BackupService": "Storage", "Database": "Service", "RelationalDatabase": "Database",
        "NoSQLDatabase": "Database", "KeyValueStore": "NoSQLDatabase", "DocumentDatabase": "NoSQLDatabase",
        "GraphDatabase": "NoSQLDatabase", "TimeSeriesDatabase": "Database", "Network": "Service",
        "LoadBalancer": "Network", "VPN": "Network", "Interconnect": "Network", "DNS": "Network", "CDN": "Network",
        "Messaging": "Service", "Analytics": "Service", "MachineLearning": "Service",
    ]

    /// Whether `kind` is `ancestor` or below it: `?s a/rdfs:subClassOf* ic:ancestor` (SPARQL 1.1 §9.1).
    public static func isSubclass(_ kind: String, of ancestor: String) -> Bool {
        var current: String? = kind
        var steps = 0
        while let name = current, steps <= self.superclass.count {
            if name == ancestor { return true }
            current = self.superclass[name]
            steps += 1
        }
        return false
    }

    /// Regions (UN/LOCODE individuals) and their countries, in a fixed order (`schemas/intercloud.ttl` "Regions").
    public static let regions: [(code: String, country: String)] = [
        ("ATVIE", "AT"), ("BEBRU", "BE"), ("DEFRA", "DE"), ("DEBER", "DE"), ("DEMUC", "DE"), ("DKCPH", "DK"),
        ("ESMAD", "ES"), ("FIHEL", "FI"), ("FRPAR", "FR"), ("FRMRS", "FR"), ("IEDUB", "IE"), ("ITMIL", "IT"),
        ("NLAMS", "NL"), ("PLWAW", "PL"), ("PTLIS", "PT"), ("SESTO", "SE"), ("NOOSL", "NO"), ("CHZRH", "CH"),
        ("CHGVA", "CH"), ("GBLON", "GB"), ("USNYC", "US"), ("USSFO", "US"), ("USCHI", "US"), ("USDAL", "US"),
        ("CAMTR", "CA"), ("BRSAO", "BR"), ("JPTYO", "JP"), ("KRSEL", "KR"), ("SGSIN", "SG"), ("INBOM", "IN"),
        ("AUSYD", "AU"), ("ZAJNB", "ZA"),
    ]

    /// Countries whose regions carry `ic:jurisdiction ic:EU` (`schemas/intercloud.ttl` "Countries").
    public static let euCountries: Set<String> = [
        "AT", "BE", "DE", "DK", "ES", "FI", "FR", "IE", "IT", "NL", "PL", "PT", "SE",
    ]

    /// Region weights: the core EU markets twice as likely, so EU queries have many answers.
    static let regionWeights: [Int] = regions.map {
        ["DE", "FR", "NL", "IE", "SE", "FI", "PL", "IT", "ES", "AT"].contains($0.country) ? 4 : 2
    }

    /// The country of a region code.
    public static func country(ofRegion code: String) -> String? {
        self.regions.first { $0.code == code }?.country
    }

    /// The price currency of a country (gen_clouds.py `CURRENCY`; EUR when not listed).
    public static func currency(ofCountry country: String) -> String {
        switch country {
        case "CH": "CHF"
        case "GB": "GBP"
        case "US", "CA", "BR", "JP", "KR", "SG", "IN", "AU", "ZA": "USD"
        default: "EUR"
        }
    }

    static let certifications = [
        "ISO27001", "ISO27017", "ISO27018", "ISO9001", "SOC1", "SOC2", "C5", "SecNumCloud", "CSASTAR", "PCIDSS",
        "HIPAA", "FedRAMP",
    ]
    static let certificationWeights = [10, 5, 4, 3, 2, 6, 2, 1, 3, 2, 1, 1]
    static let namePrefixes = [
        "Nordic", "Alpine", "Atlantic", "Baltic", "Iberian", "Danube", "Rhine", "Celtic", "Adriatic", "Aegean",
        "Boreal", "Pacific", "Sierra", "Prairie", "Harbor", "Summit", "Meridian", "Aurora", "Granite", "Cobalt",
    ]
    static let nameNouns = ["Cloud", "Compute", "Data", "Hosting", "Networks", "Storage", "Systems", "Grid", "Works"]
    static let availabilities = ["99.5", "99.9", "99.95", "99.99", "99.995"]
    static let durabilities = ["99.99", "99.999", "99.9999", "99.999999999"]
}
