import Foundation
import NIOConcurrencyHelpers
import RDF
import Registry
import XMPPCore

/// The live capability dataset the root matches against (CONTRACT §5.1–§5.3): one named graph per cloud
/// description, one root-asserted graph per cloud (registry facts and presence), queried as their union.
///
/// Only active registered clouds are visible: when a cloud is suspended or removed all its graphs leave the store
/// at once; a suspended cloud's description is kept aside and comes back on reinstatement. Every change is one
/// mutation of the ``QuadStore`` under a lock, so a publication replaces a cloud's graph atomically and a query
/// sees either the old or the new description, never a mix. Thread-safe.
public final class CapabilityDirectory: Sendable {
    /// Query limits (configurable: `[sparql] timeout_ms`, `max_rows`).
    public struct Limits: Sendable, Equatable {
        /// How long one query may run.
        public var timeout: Duration
        /// How many rows (or triples) one answer may hold.
        public var maxRows: Int

        /// Creates limits.
        public init(timeout: Duration = .seconds(5), maxRows: Int = 10_000) {
            self.timeout = timeout
            self.maxRows = maxRows
        }
    }

    /// What the directory knows of one cloud.
    struct CloudState: Sendable {
        var active = false
        var facts: [Triple] = []
        var description: [Triple] = []
        var shows: [String?] = []
    }

    struct State: Sendable {
        var store = QuadStore()
        var clouds: [JID: CloudState] = [:]
        var publications = 0
    }

    /// The XMPP domain whose clouds this directory describes.
    public let domain: String
    /// Query limits.
    public let limits: Limits
    let state = NIOLockedValueBox(State())

    /// Creates an empty directory; `ontology` (the triples of `schemas/intercloud.ttl`) goes into the default
    /// graph so that `rdfs:subClassOf*` paths over the service hierarchy work.
    public init(domain: String, limits: Limits = Limits(), ontology: [Triple] = []) {
        self.domain = domain
        self.limits = limits
        self.state.withLockedValue { $0.store.insert(ontology, graph: .defaultGraph) }
    }

    /// The number of quads held (for metrics and tests).
    public var quadCount: Int { self.state.withLockedValue { $0.store.count } }

    /// A snapshot of the dataset for one query: later changes do not affect it.
    func snapshot() -> QuadStore { self.state.withLockedValue { $0.store } }

    /// Parses and checks a description published by `account` (CONTRACT §5.1) without storing it.
    public func parseDescription(_ turtle: String, of account: JID) throws(CapabilityError) -> [Triple] {
        let prefix = self.state.withLockedValue { state -> String in
            state.publications += 1
            return "p\(state.publications)_"
        }
        let triples: [Triple]
        do {
            triples = try TurtleParser(baseIRI: CapabilityVocabulary.cloudIRI(account), blankNodePrefix: prefix)
                .parse(turtle)
        } catch {
            throw CapabilityError(.invalidDescription, "invalid Turtle: \(error.description)")
        }
        try DescriptionPolicy(domain: self.domain, account: account).check(triples)
        return triples
    }

    /// Replaces `account`'s description (CONTRACT §5.1). A cloud that can publish is logged in, hence registered
    /// and active; until the registry's own facts arrive it is treated as such.
    public func setDescription(_ triples: [Triple], of account: JID) {
        self.update(account) { cloud in
            cloud.description = triples
            if cloud.facts.isEmpty { cloud.active = true }
        }
    }

    /// Removes `account`'s description (item retracted or node deleted).
    public func removeDescription(of account: JID) {
        self.update(account) { $0.description = [] }
    }

    /// Records the `<show/>` of each available resource of `account` (CONTRACT §5.2).
    public func setAvailability(of account: JID, shows: [String?]) {
        self.update(account) { cloud in
            cloud.shows = shows
            if cloud.facts.isEmpty && !shows.isEmpty { cloud.active = true }
        }
    }

    /// Records a registry entry: its facts, and whether it is visible at all (active).
    public func registryChanged(_ entry: CloudEntry) {
        guard let account = try? JID(localpart: entry.name.description, domainpart: self.domain, resourcepart: nil)
        else { return }
        let facts = RegistryFacts.triples(for: entry, account: account)
        self.update(account) { cloud in
            cloud.facts = facts
            cloud.active = entry.status == .active
        }
    }

    /// A cloud left the registry: every trace of it leaves the directory.
    public func registryRemoved(_ account: JID) {
        self.state.withLockedValue { state in
            state.clouds[account.bare] = nil
            state.store.removeGraph(CapabilityVocabulary.descriptionGraph(account))
            state.store.removeGraph(CapabilityVocabulary.directoryGraph(account))
        }
    }

    /// The accounts the directory currently holds (active or parked).
    public func knownAccounts() -> Set<JID> { self.state.withLockedValue { Set($0.clouds.keys) } }

    /// Applies `change` to one cloud's state and rewrites its two graphs in the same critical section.
    private func update(_ account: JID, _ change: (inout CloudState) -> Void) {
        let bare = account.bare
        self.state.withLockedValue { state in
            let before = state.clouds[bare] ?? CloudState()
            var cloud = before
            change(&cloud)
            state.clouds[bare] = cloud
            let descriptionGraph = CapabilityVocabulary.descriptionGraph(bare)
            let directoryGraph = CapabilityVocabulary.directoryGraph(bare)
            guard cloud.active else {
                if before.active {
                    state.store.removeGraph(descriptionGraph)
                    state.store.removeGraph(directoryGraph)
                }
                return
            }
            if !before.active || before.description != cloud.description {
                state.store.replaceGraph(descriptionGraph, with: cloud.description)
            }
            if !before.active || before.facts != cloud.facts || before.shows != cloud.shows {
                state.store.replaceGraph(directoryGraph, with: cloud.facts + PresenceFacts.triples(bare, cloud.shows))
            }
        }
    }
}
