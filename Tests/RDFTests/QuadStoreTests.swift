import Testing

@testable import RDF

/// A deterministic generator (SplitMix64) so randomized tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct QuadStoreTests {
    @Test func replaceGraphSwapsTriples() {
        var store = QuadStore()
        let g = Term.iri("xmpp:a@d")
        store.replaceGraph(g, with: [Triple(.iri("xmpp:a@d"), .iri("urn:p"), .integer(1))])
        store.replaceGraph(g, with: [Triple(.iri("xmpp:a@d"), .iri("urn:p"), .integer(2))])
        #expect(store.count == 1)
        let two = store.id(of: .integer(2))
        #expect(two != nil)
        #expect(store.estimatedCount(subject: nil, predicate: nil, object: two, in: .union) == 1)
        #expect(store.id(of: .integer(1)) == nil)  // collected: no quad uses it any more
    }

    /// Random quads over a small vocabulary, so every pattern shape has several matches.
    static func randomQuads(_ n: Int, seed: UInt64) -> [Quad] {
        var rng = SplitMix64(state: seed)
        let graphs: [GraphName] = [.defaultGraph] + (0..<6).map { .named(.iri("urn:g\($0)")) }
        return (0..<n).map { _ in
            let s = Term.iri("urn:s\(Int.random(in: 0..<20, using: &rng))")
            let p = Term.iri("urn:p\(Int.random(in: 0..<5, using: &rng))")
            let o: Term =
                Bool.random(using: &rng)
                ? .integer(Int.random(in: 0..<15, using: &rng)) : .iri("urn:s\(Int.random(in: 0..<20, using: &rng))")
            return Quad(Triple(s, p, o), graph: graphs[Int.random(in: 0..<graphs.count, using: &rng)])
        }
    }

    static func reference(_ quads: Set<Quad>, _ s: Term?, _ p: Term?, _ o: Term?, _ selector: GraphName?, any: Bool)
        -> Set<Quad>
    {
        quads.filter { q in
            if let s, q.triple.subject != s { return false }
            if let p, q.triple.predicate != p { return false }
            if let o, q.triple.object != o { return false }
            if any { return q.graph != .defaultGraph }
            if let selector { return q.graph == selector }
            return true
        }
    }

    @Test func everyPatternShapeAndSelectorMatchesTheReference() {
        let quads = Self.randomQuads(600, seed: 7)
        var store = QuadStore()
        for quad in quads { store.insert(quad) }
        let expected = Set(quads)
        #expect(store.count == expected.count)
        let subjects: [Term?] = [nil, .iri("urn:s3"), .iri("urn:nope")]
        let predicates: [Term?] = [nil, .iri("urn:p1")]
        let objects: [Term?] = [nil, .integer(4), .iri("urn:s7")]
        let selectors: [(GraphSelector, GraphName?, Bool)] = [
            (.union, nil, false), (.defaultGraph, .defaultGraph, false), (.anyNamed, nil, true),
            (.named(store.id(of: .iri("urn:g2"))!), .named(.iri("urn:g2")), false),
        ]
        for s in subjects {
            for p in predicates {
                for o in objects {
                    for (selector, graph, any) in selectors {
                        let want = Self.reference(expected, s, p, o, graph, any: any)
                        let ids = [s, p, o].map { $0.map { store.id(of: $0) ?? TermID(raw: 999_999) } }
                        var got: [Quad] = []
                        store.match(subject: ids[0], predicate: ids[1], object: ids[2], in: selector) { q in
                            let g: GraphName = q.graph == .defaultGraph ? .defaultGraph : .named(store.term(q.graph))
                            got.append(
                                Quad(
                                    Triple(store.term(q.subject), store.term(q.predicate), store.term(q.object)),
                                    graph: g))
                            return true
                        }
                        var encoded: [EncodedQuad] = []
                        store.match(subject: ids[0], predicate: ids[1], object: ids[2], in: selector) {
                            encoded.append($0)
                            return true
                        }
                        var distinct: [Triple] = []
                        store.matchDistinctTriples(subject: ids[0], predicate: ids[1], object: ids[2], in: selector) {
                            distinct.append(
                                Triple(store.term($0.subject), store.term($0.predicate), store.term($0.object)))
                            return true
                        }
                        #expect(distinct.count == Set(distinct).count)
                        #expect(Set(distinct) == Set(want.map(\.triple)))
                        #expect(
                            Array(store.matches(subject: ids[0], predicate: ids[1], object: ids[2], in: selector))
                                == encoded)
                        #expect(
                            got.count == want.count,
                            "\(String(describing: s)) \(String(describing: p)) \(String(describing: o)) \(selector)")
                        #expect(Set(got) == want)
                        let estimate = store.estimatedCount(
                            subject: ids[0], predicate: ids[1], object: ids[2], in: selector)
                        #expect(estimate == want.count)
                        #expect(
                            store.matchCount(subject: ids[0], predicate: ids[1], object: ids[2], in: selector)
                                == want.count)
                        #expect(
                            store.contains(subject: ids[0], predicate: ids[1], object: ids[2], in: selector)
                                == !want.isEmpty)
                    }
                }
            }
        }
    }

    @Test func batchInsertEqualsSingleInserts() {
        let quads = Self.randomQuads(2000, seed: 11)
        var one = QuadStore()
        for quad in quads { one.insert(quad) }
        var batch = QuadStore()
        batch.insert(contentsOf: quads[..<300])
        batch.insert(contentsOf: quads[300...])
        #expect(one.count == batch.count)
        for selector in [GraphSelector.union, .defaultGraph, .anyNamed] {
            #expect(
                one.estimatedCount(subject: nil, predicate: nil, object: nil, in: selector)
                    == batch.estimatedCount(subject: nil, predicate: nil, object: nil, in: selector))
        }
        #expect(Set(one.namedGraphs().map { one.term($0) }) == Set(batch.namedGraphs().map { batch.term($0) }))
    }

    @Test func replaceAndRemoveGraphsCollectTerms() {
        var store = QuadStore()
        let presence = Term.iri("urn:presence")
        let pinned = store.intern(.iri("urn:pinned"))
        for i in 0..<50 {
            let cloud = Term.iri("xmpp:c\(i)@d")
            store.replaceGraph(
                cloud,
                with: [
                    Triple(cloud, .iri(RDFVocabulary.type), .iri("urn:Cloud")),
                    Triple(cloud, .iri("urn:name"), .string("cloud \(i)")),
                ])
            store.insert(Quad(Triple(cloud, .iri("urn:ready"), .boolean(true)), graph: .named(presence)))
        }
        #expect(store.count == 150)
        #expect(store.namedGraphs().count == 51)
        #expect(store.tripleCount(inGraph: store.id(of: presence)!) == 50)
        let terms = store.termCount
        // Republishing with one changed literal touches one triple; the old literal is collected.
        let c7 = Term.iri("xmpp:c7@d")
        store.replaceGraph(
            c7,
            with: [
                Triple(c7, .iri(RDFVocabulary.type), .iri("urn:Cloud")), Triple(c7, .iri("urn:name"), .string("seven")),
            ])
        #expect(store.termCount == terms)
        #expect(store.id(of: .string("cloud 7")) == nil)
        for i in 0..<50 { store.removeGraph(.iri("xmpp:c\(i)@d")) }
        #expect(store.count == 50)
        #expect(store.namedGraphs() == [store.id(of: presence)!])
        #expect(store.id(of: .iri("urn:Cloud")) == nil)
        let ready = Quad(Triple(c7, .iri("urn:ready"), .boolean(true)), graph: .named(presence))
        let first = store.remove(ready)
        let second = store.remove(ready)
        #expect(first && !second)
        #expect(store.count == 49)
        #expect(store.term(pinned) == .iri("urn:pinned"))
        // Reused identifiers resolve to the new terms.
        store.insert(Quad(Triple(.iri("urn:x"), .iri("urn:y"), .string("fresh"))))
        let fresh = store.id(of: .string("fresh"))!
        #expect(store.term(fresh) == .string("fresh"))
    }

    @Test func replaceGraphMatchesReferenceUnderChurn() {
        var rng = SplitMix64(state: 3)
        var store = QuadStore()
        var model: [Term: Set<Triple>] = [:]
        for _ in 0..<400 {
            let g = Term.iri("urn:g\(Int.random(in: 0..<30, using: &rng))")
            let n = Int.random(in: 0..<12, using: &rng)
            let triples = (0..<n).map { _ in
                Triple(
                    .iri("urn:s\(Int.random(in: 0..<8, using: &rng))"),
                    .iri("urn:p\(Int.random(in: 0..<3, using: &rng))"),
                    .integer(Int.random(in: 0..<10, using: &rng)))
            }
            store.replaceGraph(g, with: triples)
            model[g] = Set(triples)
        }
        #expect(store.count == model.values.reduce(0) { $0 + $1.count })
        for (g, triples) in model {
            var got: Set<Triple> = []
            if let id = store.id(of: g) {
                store.match(subject: nil, predicate: nil, object: nil, in: .named(id)) { q in
                    got.insert(Triple(store.term(q.subject), store.term(q.predicate), store.term(q.object)))
                    return true
                }
            }
            #expect(got == triples)
        }
    }

    @Test func streamingInsertAddsAllOrNothing() {
        let quads = Self.randomQuads(500, seed: 4)
        var store = QuadStore()
        store.insert(streaming: { (add: (Quad) -> Void) in quads.forEach(add) })
        #expect(store.count == Set(quads).count)
        struct Stop: Error {}
        var other = QuadStore()
        #expect(throws: Stop.self) {
            try other.insert(streaming: { (add: (Quad) -> Void) throws(Stop) in
                add(quads[0])
                throw Stop()
            })
        }
        #expect(other.count == 0)
    }

    @Test func copiesAndIteratorsAreSnapshots() {
        var store = QuadStore()
        store.insert(contentsOf: Self.randomQuads(3000, seed: 21))
        let snapshot = store
        let iterator = store.matches(subject: nil, predicate: nil, object: nil, in: .union)
        let before = store.count
        store.replaceGraph(.iri("urn:g1"), with: [])
        store.insert(Quad(Triple(.iri("urn:new"), .iri("urn:p"), .string("x"))))
        #expect(snapshot.count == before)
        #expect(Array(iterator).count == before)
        #expect(store.count != before)
        #expect(snapshot.id(of: .string("x")) == nil)
        #expect(snapshot.estimatedCount(subject: nil, predicate: nil, object: nil, in: .union) == before)
    }

    @Test func matchStopsWhenBodyReturnsFalse() {
        var store = QuadStore()
        store.insert(Self.randomQuads(100, seed: 5), graph: .defaultGraph)
        var seen = 0
        store.match(subject: nil, predicate: nil, object: nil, in: .union) { _ in
            seen += 1
            return seen < 3
        }
        #expect(seen == 3)
    }
}

extension QuadStore {
    /// Inserts the triples of quads into one graph (test helper).
    mutating func insert(_ quads: [Quad], graph: GraphName) { self.insert(quads.map(\.triple), graph: graph) }
}

@Suite struct TermEqualityTests {
    /// RDF 1.1 Concepts §3.3: lexical forms compare character by character, so NFC and NFD spellings are two terms.
    @Test func canonicallyEquivalentStringsAreDifferentTerms() {
        let composed = Term.string("caf\u{E9}")
        let decomposed = Term.string("cafe\u{301}")
        #expect(composed != decomposed)
        #expect(Set([composed, decomposed]).count == 2)
        #expect(Term.iri("urn:\u{E9}") != Term.iri("urn:e\u{301}"))
        var store = QuadStore()
        store.insert(Quad(Triple(.iri("urn:s"), .iri("urn:p"), composed)))
        store.insert(Quad(Triple(.iri("urn:s"), .iri("urn:p"), decomposed)))
        #expect(store.count == 2)
        #expect(Term.string("same") == Term.string("same"))
    }
}
