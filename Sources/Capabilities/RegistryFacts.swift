import Foundation
import RDF
import Registry
import XMPPCore

/// Registry facts as triples: `<xmpp:NAME@D> a ic:Cloud ; ic:name "NAME" ; ic:trustLevel N ; ic:status "…" ;
/// ic:endpoint <url> ; ic:registeredAt "…"^^xsd:dateTime` (`schemas/intercloud.ttl`).
enum RegistryFacts {
    /// The facts the root asserts about a registered cloud.
    static func triples(for entry: CloudEntry, account: JID) -> [Triple] {
        let cloud = Term.iri(CapabilityVocabulary.cloudIRI(account))
        var triples = [
            Triple(cloud, .iri(RDFVocabulary.type), CapabilityVocabulary.ic("Cloud")),
            Triple(cloud, CapabilityVocabulary.ic("name"), .string(entry.name.description)),
            Triple(cloud, CapabilityVocabulary.ic("trustLevel"), .integer(entry.trustLevel)),
            Triple(cloud, CapabilityVocabulary.ic("status"), .string(entry.status.rawValue)),
            Triple(
                cloud, CapabilityVocabulary.ic("registeredAt"),
                .literal(Literal(Self.dateTime(entry.createdAt), datatype: XSD.dateTime))),
        ]
        for endpoint in entry.endpoints {
            triples.append(Triple(cloud, CapabilityVocabulary.ic("endpoint"), .iri(endpoint)))
        }
        return triples
    }

    /// An `xsd:dateTime` in UTC with a `Z` (XSD 1.1 Part 2 §3.3.7).
    static func dateTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
