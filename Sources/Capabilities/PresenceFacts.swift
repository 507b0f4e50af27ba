import RDF
import XMPPCore

/// The live presence triples of one cloud (CONTRACT §5.2):
/// `<xmpp:NAME@D> a ic:Cloud ; ic:presence "…" ; ic:ready true|false`.
enum PresenceFacts {
    /// Most to least available; the cloud's `ic:presence` is its most available resource's.
    static let order = ["chat", "available", "away", "xa", "dnd"]

    /// The aggregated presence: the most available resource's show (`available` for none, RFC 6121 §4.7.2.1),
    /// or `unavailable` when no resource is available.
    static func presence(_ shows: [String?]) -> String {
        let values = shows.map { $0.flatMap { self.order.contains($0) ? $0 : nil } ?? "available" }
        return self.order.first { values.contains($0) } ?? "unavailable"
    }

    /// Ready: at least one resource online with no `<show/>` or `chat` (CONTRACT §5.2).
    static func ready(_ shows: [String?]) -> Bool {
        shows.contains { $0 == nil || $0 == "chat" }
    }

    /// The triples for `account` with the given resources' shows.
    static func triples(_ account: JID, _ shows: [String?]) -> [Triple] {
        let cloud = Term.iri(CapabilityVocabulary.cloudIRI(account))
        return [
            Triple(cloud, .iri(RDFVocabulary.type), CapabilityVocabulary.ic("Cloud")),
            Triple(cloud, CapabilityVocabulary.ic("presence"), .string(self.presence(shows))),
            Triple(cloud, CapabilityVocabulary.ic("ready"), .boolean(self.ready(shows))),
        ]
    }
}
