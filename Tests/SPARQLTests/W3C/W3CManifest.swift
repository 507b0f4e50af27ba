import Foundation
import RDF

/// One test of a W3C SPARQL test manifest (the DAWG test manifest vocabulary, `mf:` / `qt:`).
struct W3CTest {
    enum Kind {
        case positiveSyntax, negativeSyntax, evaluation
    }
    var folder: String
    var name: String
    var kind: Kind
    var query: URL
    var data: [URL] = []
    /// Named graphs: the graph name and the file holding its triples.
    var graphData: [(name: String, file: URL)] = []
    var result: URL?
}

/// Reads `manifest.ttl` files with the project's Turtle parser.
enum W3CManifest {
    static let mf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
    static let qt = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
    static let rdfs = "http://www.w3.org/2000/01/rdf-schema#"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The `file:` IRI of a local file.
    static func iri(_ url: URL) -> String { "file://" + url.standardizedFileURL.path }

    static func url(_ iri: String) -> URL? {
        guard iri.hasPrefix("file://") else { return nil }
        return URL(fileURLWithPath: String(iri.dropFirst("file://".count)).removingPercentEncoding ?? "")
    }

    /// The tests of one folder's manifest, in manifest order.
    static func load(folder: URL, name: String) throws -> [W3CTest] {
        let manifest = folder.appendingPathComponent("manifest.ttl")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        let triples = try TurtleParser(baseIRI: Self.iri(manifest), blankNodePrefix: "m").parse(text)
        var properties: [Term: [(String, Term)]] = [:]
        for t in triples {
            guard case .iri(let p) = t.predicate else { continue }
            properties[t.subject, default: []].append((p, t.object))
        }
        func values(_ s: Term, _ p: String) -> [Term] { (properties[s] ?? []).filter { $0.0 == p }.map(\.1) }
        func value(_ s: Term, _ p: String) -> Term? { values(s, p).first }
        func fileURL(_ t: Term?) -> URL? {
            guard case .iri(let i)? = t else { return nil }
            return Self.url(i)
        }
        guard
            let root = triples.first(where: {
                $0.predicate == .iri(RDFVocabulary.type) && $0.object == .iri(Self.mf + "Manifest")
            })?.subject, var list = value(root, Self.mf + "entries")
        else { throw Failure(description: "\(manifest.path): no mf:Manifest with mf:entries") }
        var entries: [Term] = []
        while list != .iri(RDFVocabulary.nil), let first = value(list, RDFVocabulary.first) {
            entries.append(first)
            guard let rest = value(list, RDFVocabulary.rest) else { break }
            list = rest
        }
        var tests: [W3CTest] = []
        for entry in entries {
            let types = values(entry, RDFVocabulary.type)
            var testName = "\(entry)"
            if case .literal(let l)? = value(entry, Self.mf + "name") { testName = l.lexical }
            let kind: W3CTest.Kind
            if types.contains(.iri(Self.mf + "QueryEvaluationTest")) {
                kind = .evaluation
            } else if types.contains(.iri(Self.mf + "PositiveSyntaxTest"))
                || types.contains(.iri(Self.mf + "PositiveSyntaxTest11"))
            {
                kind = .positiveSyntax
            } else if types.contains(.iri(Self.mf + "NegativeSyntaxTest"))
                || types.contains(.iri(Self.mf + "NegativeSyntaxTest11"))
            {
                kind = .negativeSyntax
            } else {
                continue
            }
            guard let action = value(entry, Self.mf + "action") else { continue }
            if kind != .evaluation {
                guard let q = fileURL(action) else { continue }
                tests.append(W3CTest(folder: name, name: testName, kind: kind, query: q))
                continue
            }
            guard let q = fileURL(value(action, Self.qt + "query")) else { continue }
            var test = W3CTest(folder: name, name: testName, kind: kind, query: q)
            test.data = values(action, Self.qt + "data").compactMap { fileURL($0) }
            for g in values(action, Self.qt + "graphData") {
                if case .iri(let i) = g, let u = Self.url(i) {
                    test.graphData.append((i, u))
                } else if let file = value(g, Self.qt + "graph"), case .iri(let i) = file, let u = Self.url(i) {
                    var graphName = i
                    if case .literal(let l)? = value(g, Self.rdfs + "label") { graphName = l.lexical }
                    test.graphData.append((graphName, u))
                }
            }
            test.result = fileURL(value(entry, Self.mf + "result"))
            tests.append(test)
        }
        return tests
    }
}
