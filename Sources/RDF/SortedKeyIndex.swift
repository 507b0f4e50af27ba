/// A sorted set of `IndexKey`s stored as a list of small sorted chunks (a two-level B+-tree).
///
/// Lookups binary-search the chunks' last keys, then the chunk. Inserting or removing a key moves at most one chunk's
/// worth of memory (`chunkCapacity` keys), so single-quad updates cost O(log n + chunkCapacity) whatever the store
/// size. Copying an index copies only the outer arrays; a mutation after a copy copies only the chunk it touches, so a
/// snapshot held by a reader makes the next write cost O(n / chunkCapacity) pointer retains, not O(n).
struct SortedKeyIndex: Sendable {
    /// The most keys one chunk holds.
    static let chunkCapacity = 512
    /// How full bulk-built chunks are, leaving room for later inserts without splitting.
    static let bulkFill = 480

    /// A place in the index: a chunk and an offset in it; `chunk == chunks.count` is the end.
    struct Position: Comparable, Sendable {
        var chunk: Int
        var offset: Int

        /// Index order of positions.
        static func < (lhs: Position, rhs: Position) -> Bool {
            lhs.chunk != rhs.chunk ? lhs.chunk < rhs.chunk : lhs.offset < rhs.offset
        }
    }

    /// The chunks, each sorted and non-empty, in key order.
    var chunks: [[IndexKey]] = []
    /// `lastKeys[i] == chunks[i].last!`.
    var lastKeys: [IndexKey] = []
    /// `sizes[i] == chunks[i].count`, contiguous so range counts sum fast.
    var sizes: [Int] = []
    /// The number of keys.
    var count = 0

    /// The position after the last key.
    var endPosition: Position { Position(chunk: self.chunks.count, offset: 0) }

    /// The first chunk whose last key is `>= key` (or `> key` when `strict`); `chunks.count` if none.
    @inline(__always)
    func chunkIndex(for key: IndexKey, strict: Bool) -> Int {
        self.lastKeys.withUnsafeBufferPointer { buffer in
            var low = 0
            var high = buffer.count
            while low < high {
                let mid = (low &+ high) >> 1
                if strict ? !(key < buffer[mid]) : buffer[mid] < key { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    @inline(__always)
    /// The first offset in a sorted chunk whose key is `>= key` (`> key` when `strict`).
    static func bound(in buffer: UnsafeBufferPointer<IndexKey>, _ key: IndexKey, strict: Bool) -> Int {
        var low = 0
        var high = buffer.count
        while low < high {
            let mid = (low &+ high) >> 1
            if strict ? !(key < buffer[mid]) : buffer[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The position of the first key `>= key`.
    func lowerBound(_ key: IndexKey) -> Position {
        let c = self.chunkIndex(for: key, strict: false)
        if c == self.chunks.count { return self.endPosition }
        let offset = self.chunks[c].withUnsafeBufferPointer { Self.bound(in: $0, key, strict: false) }
        return Position(chunk: c, offset: offset)
    }

    /// The position of the first key `> key`.
    func upperBound(_ key: IndexKey) -> Position {
        let c = self.chunkIndex(for: key, strict: true)
        if c == self.chunks.count { return self.endPosition }
        let offset = self.chunks[c].withUnsafeBufferPointer { Self.bound(in: $0, key, strict: true) }
        return Position(chunk: c, offset: offset)
    }

    /// The positions delimiting the keys in `range`.
    func positions(of range: ClosedRange<IndexKey>) -> Range<Position> {
        let lower = self.lowerBound(range.lowerBound)
        if lower.chunk == self.chunks.count { return lower..<lower }
        // Most ranges end in the chunk they start in: search only its tail then.
        if !(self.lastKeys[lower.chunk] < range.upperBound) {
            let offset = self.chunks[lower.chunk].withUnsafeBufferPointer { buffer in
                lower.offset
                    + Self.bound(
                        in: UnsafeBufferPointer(rebasing: buffer[lower.offset...]), range.upperBound, strict: true)
            }
            return lower..<Position(chunk: lower.chunk, offset: offset)
        }
        let upper = self.upperBound(range.upperBound)
        return lower..<max(lower, upper)
    }

    /// The number of keys between two positions: O(1) within a chunk, else a sum over the chunks spanned.
    func count(_ positions: Range<Position>) -> Int {
        let a = positions.lowerBound
        let b = positions.upperBound
        if a.chunk >= self.chunks.count { return 0 }
        if a.chunk == b.chunk { return b.offset - a.offset }
        return self.sizes.withUnsafeBufferPointer { sizes in
            var n = sizes[a.chunk] - a.offset + b.offset
            var c = a.chunk + 1
            while c < b.chunk {
                n &+= sizes[c]
                c += 1
            }
            return n
        }
    }

    /// The number of keys in `range`.
    func count(in range: ClosedRange<IndexKey>) -> Int { self.count(self.positions(of: range)) }

    /// Whether the key is present.
    func contains(_ key: IndexKey) -> Bool {
        let p = self.lowerBound(key)
        return p.chunk < self.chunks.count && self.chunks[p.chunk][p.offset] == key
    }

    /// Calls `body` with each key between two positions in order; returns false if `body` stopped the scan.
    @inline(__always)
    func forEach(_ positions: Range<Position>, _ body: (IndexKey) throws -> Bool) rethrows -> Bool {
        let end = positions.upperBound
        var c = positions.lowerBound.chunk
        var start = positions.lowerBound.offset
        while c < self.chunks.count && c <= end.chunk {
            let stop = c == end.chunk ? end.offset : self.sizes[c]
            let more = try self.chunks[c].withUnsafeBufferPointer { buffer in
                var i = start
                while i < stop {
                    if try !body(buffer[i]) { return false }
                    i += 1
                }
                return true
            }
            if !more { return false }
            c += 1
            start = 0
        }
        return true
    }

    /// Every key, in order.
    func sortedKeys() -> [IndexKey] {
        var all: [IndexKey] = []
        all.reserveCapacity(self.count)
        for chunk in self.chunks { all.append(contentsOf: chunk) }
        return all
    }
}
