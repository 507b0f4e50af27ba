import Testing

@testable import Harness

@Suite("Matching queries and their expected answers (CONTRACT §5.3)")
struct MatchQueryTests {
    static func offer(_ kind: String, _ region: String, price: Int = 150, replicas: Int? = nil) -> ServiceOffer {
        ServiceOffer(
            kind: kind, region: region, price: TenThousandths(price),
            currency: CapabilityCatalog.currency(ofCountry: CapabilityCatalog.country(ofRegion: region) ?? ""),
            unit: "GBMonth", availability: "99.9", replicas: replicas)
    }

    static func profile(_ index: Int, _ services: [ServiceOffer], country: String = "DE") -> CloudProfile {
        CloudProfile(
            index: index, name: "h1-t-\(index)", domain: "d.test", label: "Cloud \(index)", providerCountry: country,
            certifications: [], validUntil: "2027-01-01T00:00:00Z", services: services, trustLevel: 1)
    }

    static let ready = [
        profile(0, [offer("ObjectStorage", "DEFRA", price: 150, replicas: 3), offer("VirtualMachine", "USNYC")]),
        profile(1, [offer("ArchiveStorage", "FRPAR", price: 20, replicas: 4)]),
        profile(2, [offer("BlockStorage", "GBLON", replicas: 3)], country: "GB"),
        profile(3, [offer("ObjectStorage", "NOOSL", price: 250, replicas: 5)]),
    ]

    @Test("the shapes cycle and every query is limited to the run's clouds")
    func shapesCycle() {
        let shapes = (0..<10).map { MatchQuery.make(number: $0, prefix: "xmpp:h1-t-", ready: Self.ready).shape }
        #expect(shapes == MatchQuery.Shape.allCases + MatchQuery.Shape.allCases)
        for number in [0, 1, 2, 4] {
            #expect(
                MatchQuery.make(number: number, prefix: "xmpp:h1-t-", ready: Self.ready).sparql.contains(
                    "FILTER(STRSTARTS(STR(?cloud), \"xmpp:h1-t-\"))"))
        }
    }

    @Test("object storage in the EU follows the subclass hierarchy and jurisdictions")
    func serviceInEU() {
        let query = MatchQuery.make(number: 0, prefix: "xmpp:h1-t-", ready: Self.ready)
        #expect(query.sparql.contains("a/rdfs:subClassOf* ic:ObjectStorage"))
        #expect(Set(query.expected.map { $0["cloud"] ?? "" }) == ["xmpp:h1-t-0@d.test", "xmpp:h1-t-1@d.test"])
        let storage = MatchQuery.make(number: 5, prefix: "xmpp:h1-t-", ready: Self.ready)
        #expect(storage.sparql.contains("ic:Storage"))
        #expect(storage.expected.count == 2)
    }

    @Test("counts per type and per country")
    func counts() {
        let byType = MatchQuery.make(number: 1, prefix: "p", ready: Self.ready)
        #expect(
            byType.mismatch([
                ["type": CapabilityCatalog.ns + "ObjectStorage", "services": "2"],
                ["type": CapabilityCatalog.ns + "VirtualMachine", "services": "1"],
                ["type": CapabilityCatalog.ns + "ArchiveStorage", "services": "1"],
                ["type": CapabilityCatalog.ns + "BlockStorage", "services": "1"],
            ]) == nil)
        let byCountry = MatchQuery.make(number: 4, prefix: "p", ready: Self.ready)
        let germany = byCountry.expected.first { $0["country"] == CapabilityCatalog.ns + "DE" }
        #expect(germany?["clouds"] == "1")
        #expect(byCountry.expected.count == 5)
    }

    @Test("cheap replicated storage compares prices exactly and needs EUR")
    func cheapStorage() {
        let query = MatchQuery.make(number: 2, prefix: "p", ready: Self.ready)
        #expect(query.sparql.contains("?replicas >= 2 && ?amount < 0.003"))
        #expect(query.expected == [["cloud": "xmpp:h1-t-1@d.test", "service": "xmpp:h1-t-1@d.test#s0"]])
        let wider = MatchQuery.make(number: 7, prefix: "p", ready: Self.ready)
        #expect(wider.sparql.contains("?amount < 0.012"))
        #expect(wider.expected.count == 1)
        let widest = MatchQuery.make(number: 12, prefix: "p", ready: Self.ready)
        #expect(widest.sparql.contains("?amount < 0.03"))
        #expect(
            Set(widest.expected.map { $0["cloud"] ?? "" }) == [
                "xmpp:h1-t-0@d.test", "xmpp:h1-t-1@d.test", "xmpp:h1-t-3@d.test",
            ])
    }

    @Test("a label query names one cloud and its operator's country")
    func label() {
        let query = MatchQuery.make(number: 3, prefix: "p", ready: Self.ready)
        #expect(query.sparql.contains("<xmpp:h1-t-0@d.test> rdfs:label ?label"))
        #expect(query.expected == [["label": "Cloud 0", "country": CapabilityCatalog.ns + "DE"]])
    }

    @Test("rows compare as multisets, and a difference is described")
    func mismatch() {
        let query = MatchQuery.make(number: 0, prefix: "p", ready: Self.ready)
        #expect(query.mismatch(query.expected.reversed()) == nil)
        let missing = query.mismatch(Array(query.expected.dropFirst()))
        #expect(missing?.contains("missing 1") == true)
        let doubled = query.mismatch(query.expected + query.expected.prefix(1))
        #expect(doubled?.contains("3 rows, expected 2") == true)
    }
}
