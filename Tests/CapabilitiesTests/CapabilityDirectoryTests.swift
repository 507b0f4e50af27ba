import Foundation
import RDF
import Registry
import SPARQL
import Testing
import XMPPCore

@testable import Capabilities

@Suite struct CapabilityDirectoryTests {
    let domain = "root.test"
    let prefixes = "PREFIX ic: <https://w3id.org/intercloud/ns#>\n"

    func account(_ name: String) throws -> JID { try JID(localpart: name, domainpart: self.domain, resourcepart: nil) }

    func entry(_ name: String, status: CloudStatus = .active, trust: Int = 2) throws -> CloudEntry {
        try CloudEntry(
            name: try CloudName(name), trustLevel: trust, status: status, createdAt: Date(timeIntervalSince1970: 0),
            updatedAt: Date(timeIntervalSince1970: 0))
    }

    func names(_ directory: CapabilityDirectory, _ query: String) async throws -> [String] {
        guard case .bindings(_, let rows) = try await directory.query(self.prefixes + query) else { return [] }
        return rows.compactMap { row -> String? in
            if case .literal(let literal)? = row["name"] { return literal.lexical }
            return nil
        }.sorted()
    }

    @Test func readyCloudsOnlyAndSuspensionHides() async throws {
        let directory = CapabilityDirectory(domain: self.domain)
        for name in ["alpha", "beta"] {
            directory.registryChanged(try self.entry(name))
            let turtle = "@prefix ic: <https://w3id.org/intercloud/ns#> . <> ic:offers [ a ic:ObjectStorage ] ."
            directory.setDescription(
                try directory.parseDescription(turtle, of: try self.account(name)), of: try self.account(name))
        }
        directory.setAvailability(of: try self.account("alpha"), shows: [nil])
        directory.setAvailability(of: try self.account("beta"), shows: ["away"])
        let ready = "SELECT ?name WHERE { ?c ic:ready true ; ic:name ?name ; ic:offers ?s }"
        #expect(try await self.names(directory, ready) == ["alpha"])

        directory.setAvailability(of: try self.account("beta"), shows: ["chat", "dnd"])
        #expect(try await self.names(directory, ready) == ["alpha", "beta"])

        directory.registryChanged(try self.entry("alpha", status: .suspended))
        #expect(try await self.names(directory, ready) == ["beta"])
        #expect(try await self.names(directory, "SELECT ?name WHERE { ?c ic:name ?name }") == ["beta"])

        directory.registryChanged(try self.entry("alpha"))
        #expect(try await self.names(directory, ready) == ["alpha", "beta"])

        directory.registryRemoved(try self.account("beta"))
        #expect(try await self.names(directory, "SELECT ?name WHERE { ?c ic:name ?name }") == ["alpha"])
    }

    @Test func aPublicationReplacesTheGraph() async throws {
        let directory = CapabilityDirectory(domain: self.domain)
        let cloud = try self.account("gamma")
        directory.registryChanged(try self.entry("gamma"))
        let v1 = "@prefix ic: <https://w3id.org/intercloud/ns#> . <> ic:replicas 2 ."
        let v2 = "@prefix ic: <https://w3id.org/intercloud/ns#> . <> ic:replicas 3 ."
        directory.setDescription(try directory.parseDescription(v1, of: cloud), of: cloud)
        directory.setDescription(try directory.parseDescription(v2, of: cloud), of: cloud)
        let result = try await directory.query(self.prefixes + "SELECT ?r WHERE { ?c ic:replicas ?r }")
        #expect(result.rowCount == 1)
        directory.removeDescription(of: cloud)
        #expect(try await directory.query(self.prefixes + "SELECT ?r WHERE { ?c ic:replicas ?r }").rowCount == 0)
    }

    @Test func badTurtleNamesTheLine() throws {
        let directory = CapabilityDirectory(domain: self.domain)
        #expect {
            _ = try directory.parseDescription(
                "@prefix ic: <https://w3id.org/intercloud/ns#> .\n<> ic:x .\n", of: try self.account("a"))
        } throws: { error in
            guard let error = error as? CapabilityError else { return false }
            return error.code == .invalidDescription && error.reason.contains("line 2")
        }
    }

    @Test(arguments: [
        "<> <https://w3id.org/intercloud/ns#ready> true .",
        "<> <https://w3id.org/intercloud/ns#trustLevel> 5 .",
        "<xmpp:other@root.test> <https://w3id.org/intercloud/ns#replicas> 3 .",
    ])
    func rootAssertionsAreRefused(turtle: String) throws {
        let directory = CapabilityDirectory(domain: self.domain)
        #expect {
            _ = try directory.parseDescription(turtle, of: try self.account("a"))
        } throws: { error in
            (error as? CapabilityError)?.code == .forbiddenAssertion
        }
    }

    @Test func limitsAreEnforced() async throws {
        let directory = CapabilityDirectory(domain: self.domain, limits: .init(timeout: .seconds(5), maxRows: 2))
        for name in ["a1", "a2", "a3"] { directory.registryChanged(try self.entry(name)) }
        await #expect {
            _ = try await directory.query(self.prefixes + "SELECT ?c WHERE { ?c ic:name ?n }")
        } throws: { error in
            (error as? CapabilityError)?.code == .resultTooLarge
        }
        await #expect {
            _ = try await directory.query("SELECT WHERE {")
        } throws: { error in
            (error as? CapabilityError)?.code == .querySyntax
        }
    }

    @Test func presenceAggregation() {
        #expect(PresenceFacts.presence([]) == "unavailable")
        #expect(PresenceFacts.presence(["away", nil]) == "available")
        #expect(PresenceFacts.presence(["dnd", "xa"]) == "xa")
        #expect(PresenceFacts.presence(["chat", nil]) == "chat")
        #expect(PresenceFacts.ready(["away", "dnd"]) == false)
        #expect(PresenceFacts.ready(["away", "chat"]) == true)
        #expect(PresenceFacts.ready([]) == false)
    }

    @Test func contentNegotiation() {
        #expect(
            SPARQLProtocolAnswer.mediaRanges("application/sparql-results+xml;q=0.5, application/json") == [
                "application/json", "application/sparql-results+xml",
            ])
        let xml = SPARQLProtocolAnswer.make(.boolean(true), accept: "application/sparql-results+xml")
        #expect(xml.contentType.hasPrefix(SPARQLProtocolAnswer.xmlType))
        let json = SPARQLProtocolAnswer.make(.boolean(true), accept: nil)
        #expect(json.contentType.hasPrefix(SPARQLProtocolAnswer.jsonType))
        let graph = SPARQLProtocolAnswer.make(.graph([]), accept: "text/turtle")
        #expect(graph.contentType.hasPrefix("text/turtle"))
    }

    @Test func embeddedOntologyMatchesTheSchemaFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("schemas/intercloud.ttl"), encoding: .utf8)
        #expect(CapabilityOntology.turtle + "\n" == file || CapabilityOntology.turtle == file)
        #expect(!CapabilityOntology.triples.isEmpty)
    }
}
