import RDF
import XMPPCore

/// What a cloud may say about itself (CONTRACT §5.1): anything about its own IRI and about blank nodes or
/// resources outside the directory, but nothing about other clouds of this domain, and none of the properties
/// the root asserts (presence, readiness, registry facts) — otherwise a cloud could claim to be ready or trusted.
struct DescriptionPolicy {
    let domain: String
    let account: JID

    /// Throws `forbiddenAssertion` naming the first offending triple.
    func check(_ triples: [Triple]) throws(CapabilityError) {
        let own = CapabilityVocabulary.cloudIRI(self.account)
        let domainSuffix = "@" + self.domain
        for triple in triples {
            if case .iri(let predicate) = triple.predicate,
                CapabilityVocabulary.rootAssertedProperties.contains(predicate)
            {
                throw CapabilityError(
                    .forbiddenAssertion, "\(Self.local(predicate)) is asserted by the root, not by a description")
            }
            if case .iri(let subject) = triple.subject {
                // The cloud's own IRI and its fragments (`xmpp:NAME@D#storage`) are its own; another cloud of this
                // domain (with any resource or fragment) is not.
                let base = subject.split(separator: "#", maxSplits: 1).first.map(String.init) ?? subject
                let bare = base.split(separator: "/", maxSplits: 1).first.map(String.init) ?? base
                if bare != own, bare.hasPrefix("xmpp:"), bare.hasSuffix(domainSuffix) {
                    throw CapabilityError(
                        .forbiddenAssertion, "a description may only describe its own cloud, not \(subject)")
                }
            }
        }
    }

    /// `ic:name` for an ontology IRI.
    static func local(_ iri: String) -> String {
        iri.hasPrefix(CapabilityVocabulary.ns) ? "ic:" + iri.dropFirst(CapabilityVocabulary.ns.count) : iri
    }
}
