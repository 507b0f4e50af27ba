import Testing

@testable import Harness

@Suite("Description generator (CONTRACT §5.1)")
struct DescriptionGeneratorTests {
    @Test("SplitMix64 gives the reference sequence for seed 0")
    func splitMixReference() {
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test("the same seed and index give the same profile and Turtle")
    func deterministic() {
        for index in [0, 1, 17, 4_999] {
            let first = DescriptionGenerator.profile(index: index, name: "h7-ab-\(index)", domain: "d.test", seed: 7)
            let second = DescriptionGenerator.profile(index: index, name: "h7-ab-\(index)", domain: "d.test", seed: 7)
            #expect(first == second)
            #expect(DescriptionGenerator.turtle(first) == DescriptionGenerator.turtle(second))
        }
    }

    @Test("another seed gives other clouds")
    func seedMatters() {
        let one = (0..<20).map { DescriptionGenerator.profile(index: $0, name: "c\($0)", domain: "d", seed: 1) }
        let two = (0..<20).map { DescriptionGenerator.profile(index: $0, name: "c\($0)", domain: "d", seed: 2) }
        #expect(one != two)
        #expect(one.map(\.services) != two.map(\.services))
    }

    @Test("descriptions are varied and use only the ontology's classes and regions")
    func varied() {
        let profiles = (0..<300).map { DescriptionGenerator.profile(index: $0, name: "c\($0)", domain: "d", seed: 42) }
        let services = profiles.flatMap(\.services)
        let kinds = Set(services.map(\.kind))
        #expect(kinds.count >= 15)
        #expect(kinds.isSubset(of: Set(CapabilityCatalog.services.map(\.name))))
        #expect(Set(profiles.map(\.services.count)) == [1, 2, 3])
        #expect(services.allSatisfy { CapabilityCatalog.country(ofRegion: $0.region) != nil })
        #expect(services.allSatisfy { $0.price.value % 10_000 != 0 })
        #expect(services.contains { MatchQuery.isEU($0.region) } && services.contains { !MatchQuery.isEU($0.region) })
        let storage = services.filter { CapabilityCatalog.isSubclass($0.kind, of: "Storage") }
        #expect(!storage.isEmpty && storage.allSatisfy { $0.replicas != nil && $0.durability != nil })
        #expect(Set(profiles.map(\.trustLevel)).isSubset(of: Set(0...5)))
    }

    @Test("the Turtle names the cloud, its operator and every service")
    func turtleShape() {
        let profile = DescriptionGenerator.profile(index: 3, name: "h1-x-3", domain: "intercloud.test", seed: 1)
        let turtle = DescriptionGenerator.turtle(profile)
        #expect(turtle.hasPrefix("@prefix ic: <https://w3id.org/intercloud/ns#> ."))
        #expect(turtle.contains("<xmpp:h1-x-3@intercloud.test> a ic:Cloud ;"))
        #expect(turtle.contains("<xmpp:h1-x-3@intercloud.test#operator> a ic:Provider"))
        for (n, service) in profile.services.enumerated() {
            #expect(turtle.contains("<xmpp:h1-x-3@intercloud.test#s\(n)> a ic:\(service.kind) ;"))
            #expect(turtle.contains("ic:amount \"\(service.price)\"^^xsd:decimal"))
        }
        #expect(!turtle.contains("ic:ready") && !turtle.contains("ic:presence"))
    }

    @Test("cloud names follow CONTRACT §3")
    func cloudNames() {
        let name = DescriptionGenerator.cloudName(
            seed: 18_446_744_073_709_551_615, runID: "zzzzzzzzzzzzzzzz", index: 999_999)
        #expect(name.count <= 63)
        #expect(name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D })
        #expect(DescriptionGenerator.iriPrefix(seed: 5, runID: "ab") == "xmpp:h5-ab-")
    }

    @Test(
        "decimal amounts print canonically",
        arguments: [(123, "0.0123"), (125_000, "12.5"), (30_000, "3"), (1, "0.0001")])
    func amounts(value: Int, text: String) {
        #expect(TenThousandths(value).description == text)
    }

    @Test("the class hierarchy mirrors the ontology")
    func hierarchy() {
        #expect(CapabilityCatalog.isSubclass("GPUCompute", of: "Compute"))
        #expect(CapabilityCatalog.isSubclass("ArchiveStorage", of: "ObjectStorage"))
        #expect(CapabilityCatalog.isSubclass("KeyValueStore", of: "Database"))
        #expect(!CapabilityCatalog.isSubclass("BlockStorage", of: "ObjectStorage"))
        #expect(!CapabilityCatalog.isSubclass("CDN", of: "Storage"))
        #expect(CapabilityCatalog.isSubclass("CDN", of: "CDN"))
    }
}
