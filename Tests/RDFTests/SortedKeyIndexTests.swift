import Testing

@testable import RDF

@Suite struct SortedKeyIndexTests {
    /// Checks the chunk invariants and returns the keys.
    static func validated(_ index: SortedKeyIndex) -> [IndexKey] {
        let keys = index.sortedKeys()
        #expect(keys.count == index.count)
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
        #expect(index.chunks.allSatisfy { !$0.isEmpty && $0.count <= SortedKeyIndex.chunkCapacity })
        #expect(zip(index.chunks, index.lastKeys).allSatisfy { $0.last == $1 })
        #expect(zip(index.chunks, index.sizes).allSatisfy { $0.count == $1 })
        return keys
    }

    @Test func randomInsertsAndRemovesMatchASet() {
        var rng = SplitMix64(state: 42)
        var index = SortedKeyIndex()
        var model: Set<IndexKey> = []
        for round in 0..<20_000 {
            let key = IndexKey(UInt32.random(in: 0..<40, using: &rng), UInt32.random(in: 0..<60, using: &rng), 0, 1)
            if round % 3 == 2 {
                let removed = index.remove(key)
                #expect(removed == (model.remove(key) != nil))
            } else {
                let inserted = index.insert(key)
                #expect(inserted == model.insert(key).inserted)
            }
        }
        #expect(Self.validated(index) == model.sorted())
        for first in UInt32(0)..<41 {
            let range = IndexKey.range(bound: 1, first)
            #expect(index.count(in: range) == model.filter { $0.c0 == first }.count)
        }
    }

    @Test func sequentialLoadKeepsChunksFull() {
        var index = SortedKeyIndex()
        for i in UInt32(0)..<10_000 { index.insert(IndexKey(i, 0, 0, 0)) }
        _ = Self.validated(index)
        #expect(index.chunks.count == (10_000 + SortedKeyIndex.chunkCapacity - 1) / SortedKeyIndex.chunkCapacity)
    }

    @Test func batchInsertAndRemove() {
        var index = SortedKeyIndex()
        let evens = (0..<5000).map { IndexKey(UInt32($0 * 2), 0, 0, 0) }
        let addedEvens = index.insert(sortedUnique: evens)
        #expect(addedEvens.count == 5000)
        let all = (0..<10_000).map { IndexKey(UInt32($0), 0, 0, 0) }
        let addedOdds = index.insert(sortedUnique: all)
        #expect(addedOdds.count == 5000)
        #expect(Self.validated(index) == all)
        index.remove(sortedUnique: evens)
        #expect(Self.validated(index) == all.filter { $0.c0 % 2 == 1 })
        index.remove(sortedUnique: Array(all[0..<10]))
        #expect(index.count == 4995)
    }
}
