import Testing

@testable import RDF

@Suite struct TermDictionaryTests {
    @Test func collectAndReuseKeepLookupsConsistent() {
        var rng = SplitMix64(state: 9)
        var dictionary = TermDictionary()
        var live: [Term: UInt32] = [:]
        for round in 0..<30_000 {
            let term = Term.string("t\(Int.random(in: 0..<3000, using: &rng))")
            if round % 2 == 0 {
                let id = dictionary.intern(term)
                if let known = live[term] {
                    #expect(known == id)
                } else {
                    dictionary.retain(id)
                    live[term] = id
                }
            } else if let id = live[term] {
                dictionary.release(id)
                live[term] = nil
            }
        }
        #expect(dictionary.liveCount == live.count)
        for (term, id) in live {
            #expect(dictionary.lookup(term) == id)
            #expect(dictionary[id] == term)
        }
        for i in 0..<3000 where live[.string("t\(i)")] == nil {
            #expect(dictionary.lookup(.string("t\(i)")) == nil)
        }
    }
}
