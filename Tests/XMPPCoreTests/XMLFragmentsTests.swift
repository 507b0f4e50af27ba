import Testing

@testable import XMPPCore

/// Stored XML fragments parse back into elements, and stream events reach a machine through `consume(_:)`.
@Suite struct XMLFragmentsTests {
    @Test func fragmentsParseBackInOrder() throws {
        let elements = try XMLStreamParser.fragments("<message id='1'><body>a</body></message><presence/>")
        #expect(elements.map(\.name) == ["message", "presence"])
        #expect(elements.first?.namespace == Namespace.client)
        #expect(elements.first?.child(named: "body", namespace: Namespace.client)?.text == "a")
    }

    @Test func damagedFragmentsThrow() {
        #expect(throws: XMLStreamError.self) { try XMLStreamParser.fragments("<message><body></message>") }
    }
}
