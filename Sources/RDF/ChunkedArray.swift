/// A growable array stored as fixed-size chunks, so that a copy shares the chunks and a mutation after a copy
/// duplicates one chunk rather than the whole array (cheap copy-on-write for the dictionary of a large store).
struct ChunkedArray<Element: Sendable>: Sendable {
    private var chunks: [[Element]] = []
    private let shift: Int
    private let mask: Int
    /// The number of elements.
    private(set) var count = 0

    /// An empty array whose chunks hold `1 << chunkShift` elements.
    init(chunkShift: Int) {
        self.shift = chunkShift
        self.mask = (1 << chunkShift) - 1
    }

    /// An array of `count` copies of `value`.
    init(repeating value: Element, count: Int, chunkShift: Int) {
        self.init(chunkShift: chunkShift)
        let chunkSize = 1 << chunkShift
        var remaining = count
        while remaining > 0 {
            let n = min(remaining, chunkSize)
            var chunk = [Element](repeating: value, count: n)
            chunk.reserveCapacity(chunkSize)
            self.chunks.append(chunk)
            remaining -= n
        }
        self.count = count
    }

    /// The element at `index` (which must be below `count`).
    subscript(index: Int) -> Element {
        @inline(__always) get { self.chunks[index >> self.shift][index & self.mask] }
        @inline(__always) set { self.chunks[index >> self.shift][index & self.mask] = newValue }
    }

    /// Appends an element.
    mutating func append(_ element: Element) {
        if self.count & self.mask == 0 {
            var chunk: [Element] = []
            chunk.reserveCapacity(self.mask + 1)
            self.chunks.append(chunk)
        }
        self.chunks[self.chunks.count - 1].append(element)
        self.count += 1
    }
}
