/// The quads matching a pattern, as a lazy sequence (the closure-free alternative to `QuadStore.match`).
///
/// The sequence holds its own reference to the store's indexes, so it stays valid (a snapshot) if the store it came
/// from is mutated afterwards.
public struct QuadMatches: Sequence, Sendable {
    /// One index range to scan.
    struct Segment: Sendable {
        var index: SortedKeyIndex
        var order: KeyOrder
        var positions: Range<SortedKeyIndex.Position>
    }

    /// The ranges, scanned in order.
    let segments: [Segment]
    /// The bound positions each scanned quad must match.
    let filter: QuadFilter

    /// Iterates the matches in index order.
    public struct Iterator: IteratorProtocol {
        private let segments: [Segment]
        private let filter: QuadFilter
        private var segment = 0
        private var chunk: [IndexKey] = []
        private var chunkIndex = 0
        private var offset = 0
        private var stop = 0

        /// An iterator at the first match.
        init(_ matches: QuadMatches) {
            self.segments = matches.segments
            self.filter = matches.filter
            self.chunkIndex = -1
        }

        /// The next matching quad, or nil after the last.
        public mutating func next() -> EncodedQuad? {
            while self.segment < self.segments.count {
                let s = self.segments[self.segment]
                while true {
                    if self.offset < self.stop {
                        let q = s.order.quad(self.chunk[self.offset])
                        self.offset += 1
                        if self.filter.accepts(q) { return q }
                        continue
                    }
                    // Move to the next chunk of the segment's range.
                    let nextChunk = self.chunkIndex < 0 ? s.positions.lowerBound.chunk : self.chunkIndex + 1
                    let end = s.positions.upperBound
                    guard nextChunk < s.index.chunks.count, nextChunk <= end.chunk,
                        s.positions.lowerBound < end
                    else { break }
                    self.chunkIndex = nextChunk
                    self.chunk = s.index.chunks[nextChunk]
                    self.offset = nextChunk == s.positions.lowerBound.chunk ? s.positions.lowerBound.offset : 0
                    self.stop = nextChunk == end.chunk ? end.offset : self.chunk.count
                }
                self.segment += 1
                self.chunkIndex = -1
                self.offset = 0
                self.stop = 0
            }
            return nil
        }
    }

    /// An iterator over the matches.
    public func makeIterator() -> Iterator { Iterator(self) }
}

extension QuadStore {
    /// The quads matching a pattern (nil = wildcard) as a lazy sequence, in the same order as `match`.
    public func matches(subject: TermID?, predicate: TermID?, object: TermID?, in graphs: GraphSelector)
        -> QuadMatches
    {
        var segments: [QuadMatches.Segment] = []
        for plan in self.plans(subject?.raw, predicate?.raw, object?.raw, graphs) {
            self.withIndex(plan) { index, order in
                segments.append(
                    QuadMatches.Segment(index: copy index, order: order, positions: index.positions(of: plan.range)))
            }
        }
        return QuadMatches(
            segments: segments,
            filter: QuadFilter(subject: subject, predicate: predicate, object: object, graph: graphs))
    }
}
