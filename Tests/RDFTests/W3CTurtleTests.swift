import Foundation
import Testing

@testable import RDF

/// Runs the W3C RDF 1.1 Turtle test suite (rdf-tests `rdf/rdf11/rdf-turtle`, manifest vocabulary of the RDF test
/// suites) from `../shared/w3c-rdf-tests` beside the repository, or from `$W3C_RDF_TESTS`.
@Suite struct W3CTurtleTests {
    /// The number of tests that passed when this floor was committed (of 313); fewer is a regression.
    static let passFloor = 313
    static let baseIRI = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/"
    static let mf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
    static let rdft = "http://www.w3.org/ns/rdftest#"

    /// The suite folder, or nil if it cannot be found: `$W3C_RDF_TESTS` when set (and only it), else
    /// `<repo>/../shared/w3c-rdf-tests` found from this file's path with symbolic links resolved or not.
    static func suiteRoot(filePath: String = #filePath) -> String? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["W3C_RDF_TESTS"] {
            return FileManager.default.fileExists(atPath: env + "/rdf/rdf11/rdf-turtle/manifest.ttl") ? env : nil
        }
        let file = URL(fileURLWithPath: filePath)
        for source in [file.resolvingSymlinksInPath(), file] {
            // <repo>/Tests/RDFTests/<file> → <repo>/../shared/w3c-rdf-tests
            let repo = source.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            candidates.append(repo.deletingLastPathComponent().appendingPathComponent("shared/w3c-rdf-tests").path)
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/rdf/rdf11/rdf-turtle/manifest.ttl") }
    }

    struct Entry {
        var name: String
        var type: String
        var action: String
        var result: String?
    }

    /// The manifest's entries in order (mf:entries is an RDF list).
    static func entries(_ manifest: [Triple]) -> [Entry] {
        var properties: [Term: [String: Term]] = [:]
        for t in manifest {
            if case .iri(let p) = t.predicate { properties[t.subject, default: [:]][p] = t.object }
        }
        guard
            let manifestNode = manifest.first(where: {
                $0.predicate == .iri(RDFVocabulary.type) && $0.object == .iri(Self.mf + "Manifest")
            })?.subject,
            var cell = properties[manifestNode]?[Self.mf + "entries"]
        else { return [] }
        var entries: [Entry] = []
        while cell != .iri(RDFVocabulary.nil), let item = properties[cell]?[RDFVocabulary.first] {
            let p = properties[item] ?? [:]
            func iri(_ key: String) -> String? { if case .iri(let v) = p[key] { v } else { nil } }
            func text(_ key: String) -> String? { if case .literal(let v) = p[key] { v.lexical } else { nil } }
            entries.append(
                Entry(
                    name: text(Self.mf + "name") ?? "?", type: iri(RDFVocabulary.type) ?? "?",
                    action: iri(Self.mf + "action") ?? "", result: iri(Self.mf + "result")))
            guard let next = properties[cell]?[RDFVocabulary.rest] else { break }
            cell = next
        }
        return entries
    }

    /// Runs one test; true if it passed.
    static func run(_ entry: Entry, folder: String) -> Bool {
        func load(_ iri: String) -> String? {
            guard let file = iri.split(separator: "/").last else { return nil }
            return try? String(contentsOfFile: folder + "/" + file, encoding: .utf8)
        }
        guard let text = load(entry.action), let file = entry.action.split(separator: "/").last else { return false }
        let parsed = Result { () throws(RDFError) in try TurtleParser(baseIRI: Self.baseIRI + file).parse(text) }
        switch entry.type.replacingOccurrences(of: Self.rdft, with: "") {
        case "TestTurtleEval":
            guard case .success(let triples) = parsed, let result = entry.result, let expectedText = load(result),
                let expected = try? NTriplesParser().parse(expectedText)
            else { return false }
            return GraphIsomorphism.isIsomorphic(triples, expected)
        case "TestTurtlePositiveSyntax":
            if case .success = parsed { return true }
            return false
        case "TestTurtleNegativeSyntax", "TestTurtleNegativeEval":
            if case .failure = parsed { return true }
            return false
        default:
            return false
        }
    }

    @Test func turtleSuite() throws {
        let root = try #require(
            Self.suiteRoot(), "W3C test suite not found: set W3C_RDF_TESTS or put it at ../shared/w3c-rdf-tests")
        let folder = root + "/rdf/rdf11/rdf-turtle"
        let manifestText = try String(contentsOfFile: folder + "/manifest.ttl", encoding: .utf8)
        let manifest = try TurtleParser(baseIRI: Self.baseIRI + "manifest.ttl").parse(manifestText)
        let entries = Self.entries(manifest)
        #expect(entries.count == 313)
        var passed: [String: Int] = [:]
        var total: [String: Int] = [:]
        var failures: [String] = []
        for entry in entries {
            let type = entry.type.replacingOccurrences(of: Self.rdft, with: "")
            total[type, default: 0] += 1
            if Self.run(entry, folder: folder) {
                passed[type, default: 0] += 1
            } else {
                failures.append("\(type) \(entry.name)")
            }
        }
        for type in total.keys.sorted() {
            print("W3C rdf-turtle \(type): \(passed[type] ?? 0)/\(total[type]!) passed")
        }
        let passCount = passed.values.reduce(0, +)
        print("W3C rdf-turtle: \(passCount)/\(entries.count) passed; failing: \(failures.joined(separator: ", "))")
        #expect(passCount >= Self.passFloor, "failing: \(failures)")
    }
}
