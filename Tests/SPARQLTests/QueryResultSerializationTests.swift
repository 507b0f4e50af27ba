import Foundation
import RDF
import Testing

@testable import SPARQL

@Suite struct QueryResultSerializationTests {
    static let result = QueryResult.bindings(
        variables: ["x", "hpage", "name", "age", "friend"],
        rows: [
            [
                "x": .blank("r1"), "hpage": .iri("http://work.example.org/alice/"), "name": .string("Alice"),
                "friend": .blank("r2"),
            ],
            [
                "x": .blank("r2"), "hpage": .iri("http://work.example.org/bob/"),
                "name": .literal(Literal("Bob", language: "en")), "age": .integer(30),
            ],
        ])

    @Test func jsonMatchesTheSpecShape() throws {
        let json = Self.result.serialized(as: .json)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let head = object?["head"] as? [String: Any]
        #expect(head?["vars"] as? [String] == ["x", "hpage", "name", "age", "friend"])
        let bindings = (object?["results"] as? [String: Any])?["bindings"] as? [[String: [String: String]]]
        #expect(bindings?.count == 2)
        #expect(bindings?[0]["x"] == ["type": "bnode", "value": "r1"])
        #expect(bindings?[0]["age"] == nil)
        #expect(bindings?[1]["name"] == ["type": "literal", "value": "Bob", "xml:lang": "en"])
        #expect(
            bindings?[1]["age"] == [
                "type": "literal", "value": "30", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
            ])
        #expect(try ResultsReader.json(Data(json.utf8)).rowCount == 2)
    }

    @Test func jsonEscapesControlCharacters() {
        let r = QueryResult.bindings(variables: ["v"], rows: [["v": .string("a\"b\\c\nd\u{01}")]])
        #expect(r.serialized(as: .json).contains(#""value":"a\"b\\c\nd\u0001""#))
        #expect(QueryResult.boolean(true).serialized(as: .json) == #"{"head":{},"boolean":true}"#)
    }

    @Test func xmlRoundTripsAndEscapes() throws {
        let tricky = QueryResult.bindings(
            variables: ["v", "w"],
            rows: [["v": .string("<a & \"b\">"), "w": .literal(Literal("1", datatype: "urn:t&u"))]])
        let xml = tricky.serialized(as: .xml)
        #expect(xml.contains("<literal>&lt;a &amp; &quot;b&quot;&gt;</literal>"))
        #expect(xml.contains("datatype=\"urn:t&amp;u\""))
        let parsed = try ResultsReader.xml(Data(xml.utf8))
        guard case .bindings(let vars, let rows) = parsed else {
            Issue.record("not bindings")
            return
        }
        #expect(vars == ["v", "w"])
        #expect(rows == [["v": .string("<a & \"b\">"), "w": .literal(Literal("1", datatype: "urn:t&u"))]])
        let full = try ResultsReader.xml(Data(Self.result.serialized(as: .xml).utf8))
        guard case .bindings(_, let fullRows) = full, case .bindings(_, let original) = Self.result else {
            Issue.record("not bindings")
            return
        }
        #expect(fullRows == original)
    }

    @Test func booleanXML() throws {
        let xml = QueryResult.boolean(false).serialized(as: .xml)
        #expect(xml.contains("<boolean>false</boolean>"))
        guard case .boolean(let b) = try ResultsReader.xml(Data(xml.utf8)) else {
            Issue.record("not boolean")
            return
        }
        #expect(!b)
    }

    @Test func graphsAreNTriples() {
        let g = QueryResult.graph([
            Triple(.iri("urn:s"), .iri("urn:p"), .literal(Literal("x\ny\"", language: "en"))),
            Triple(.blank("b1"), .iri("urn:p"), .literal(Literal("2", datatype: XSD.integer))),
        ])
        #expect(
            g.serialized(as: .json)
                == "<urn:s> <urn:p> \"x\\ny\\\"\"@en .\n_:b1 <urn:p> \"2\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
        )
        #expect(g.rowCount == 2)
    }
}
