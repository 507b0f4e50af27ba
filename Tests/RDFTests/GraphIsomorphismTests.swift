import Testing

@testable import RDF

@Suite struct GraphIsomorphismTests {
    static func graph(_ text: String) -> [Triple] { (try? NTriplesParser().parse(text)) ?? [] }

    @Test func blankNodeRenamingIsIsomorphic() {
        let a = Self.graph("_:a <urn:p> _:b .\n_:b <urn:p> \"x\" .\n")
        let b = Self.graph("_:y <urn:p> _:z .\n_:z <urn:p> \"x\" .\n")
        #expect(GraphIsomorphism.isIsomorphic(a, b))
    }

    @Test func structureDifferencesAreNotIsomorphic() {
        let chain = Self.graph("_:a <urn:p> _:b .\n_:b <urn:p> _:c .\n")
        let star = Self.graph("_:a <urn:p> _:b .\n_:a <urn:p> _:c .\n")
        #expect(!GraphIsomorphism.isIsomorphic(chain, star))
        let one = Self.graph("_:a <urn:p> \"x\" .\n_:a <urn:q> \"y\" .\n")
        let two = Self.graph("_:a <urn:p> \"x\" .\n_:b <urn:q> \"y\" .\n")
        #expect(!GraphIsomorphism.isIsomorphic(one, two))
        #expect(
            !GraphIsomorphism.isIsomorphic(
                Self.graph("<urn:s> <urn:p> \"x\" .\n"), Self.graph("<urn:s> <urn:p> \"y\" .\n")))
    }

    @Test func symmetricCyclesNeedTheSearch() {
        // Two 3-cycles vs one 6-cycle: every node has the same colour, only the search tells them apart.
        let twoTriangles = Self.graph(
            "_:a <urn:p> _:b .\n_:b <urn:p> _:c .\n_:c <urn:p> _:a .\n"
                + "_:d <urn:p> _:e .\n_:e <urn:p> _:f .\n_:f <urn:p> _:d .\n"
        )
        let hexagon = Self.graph(
            "_:a <urn:p> _:b .\n_:b <urn:p> _:c .\n_:c <urn:p> _:d .\n"
                + "_:d <urn:p> _:e .\n_:e <urn:p> _:f .\n_:f <urn:p> _:a .\n"
        )
        #expect(!GraphIsomorphism.isIsomorphic(twoTriangles, hexagon))
        #expect(GraphIsomorphism.isIsomorphic(hexagon, hexagon.reversed()))
    }
}
