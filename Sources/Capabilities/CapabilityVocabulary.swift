import RDF
import XMPPCore

/// IRIs and names the capability directory uses (CONTRACT §5.1–§5.3, `schemas/intercloud.ttl`).
public enum CapabilityVocabulary {
    /// The ontology namespace, prefix `ic:`.
    public static let ns = "https://w3id.org/intercloud/ns#"
    /// The PEP node clouds publish their description to (CONTRACT §5.1).
    public static let node = "urn:intercloud:capabilities:0"
    /// The payload element's namespace (CONTRACT §5.1).
    public static let payloadNamespace = "urn:intercloud:capabilities:0"
    /// The match protocol's namespace (CONTRACT §5.3).
    public static let matchNamespace = "urn:intercloud:match:0"
    /// SPARQL Query Results XML namespace.
    public static let resultsNamespace = "http://www.w3.org/2005/sparql-results#"

    /// Properties only the root asserts (registry facts and live presence); a description that uses them is refused.
    public static let rootAssertedProperties: Set<String> = [
        "presence", "ready", "name", "trustLevel", "status", "registeredAt", "endpoint",
    ].reduce(into: []) { $0.insert(ns + $1) }

    /// The IRI of a cloud: `xmpp:NAME@D` (RFC 5122).
    public static func cloudIRI(_ account: JID) -> String { "xmpp:" + account.bare.description }

    /// The named graph holding a cloud's own description: the cloud's IRI.
    public static func descriptionGraph(_ account: JID) -> Term { .iri(self.cloudIRI(account)) }

    /// The named graph holding what the root asserts about a cloud: registry facts and live presence.
    public static func directoryGraph(_ account: JID) -> Term {
        .iri("urn:intercloud:directory:" + account.bare.description)
    }

    /// `ic:` + local name, as a term.
    static func ic(_ local: String) -> Term { .iri(ns + local) }
}
