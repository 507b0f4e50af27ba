extension SortedKeyIndex {
    /// Inserts a key; returns false if it was already present. O(log n + chunkCapacity).
    @discardableResult
    mutating func insert(_ key: IndexKey) -> Bool {
        if self.chunks.isEmpty {
            self.appendChunk([key])
            return true
        }
        var c = self.chunkIndex(for: key, strict: false)
        if c == self.chunks.count { c -= 1 }
        let offset = self.chunks[c].withUnsafeBufferPointer { Self.bound(in: $0, key, strict: false) }
        let size = self.sizes[c]
        if offset < size && self.chunks[c][offset] == key { return false }
        self.count += 1
        if size < Self.chunkCapacity {
            self.chunks[c].insert(key, at: offset)
            self.sizes[c] = size + 1
            if offset == size { self.lastKeys[c] = key }
            return true
        }
        // The chunk is full. Appending at either end starts a new chunk (sequential loads keep chunks full);
        // otherwise the chunk splits in halves.
        if offset == size {
            self.insertChunk([key], at: c + 1)
        } else if offset == 0 && c > 0 && self.sizes[c - 1] < Self.chunkCapacity {
            self.chunks[c - 1].append(key)
            self.sizes[c - 1] += 1
            self.lastKeys[c - 1] = key
        } else if offset == 0 {
            self.insertChunk([key], at: c)
        } else {
            var first = self.chunks[c]
            self.chunks[c] = []  // drop the stored reference so `first` is mutated in place
            let half = size / 2
            var second = Self.makeChunk(first[half...])
            first.removeSubrange(half...)
            if offset < half { first.insert(key, at: offset) } else { second.insert(key, at: offset - half) }
            self.chunks[c] = first
            self.sizes[c] = first.count
            self.lastKeys[c] = first[first.count - 1]
            self.insertChunk(second, at: c + 1)
        }
        return true
    }

    /// Removes a key; returns false if it was absent. O(log n + chunkCapacity).
    @discardableResult
    mutating func remove(_ key: IndexKey) -> Bool {
        let p = self.lowerBound(key)
        let c = p.chunk
        guard c < self.chunks.count, self.chunks[c][p.offset] == key else { return false }
        self.count -= 1
        let size = self.sizes[c] - 1
        if size == 0 {
            self.chunks.remove(at: c)
            self.sizes.remove(at: c)
            self.lastKeys.remove(at: c)
            return true
        }
        self.chunks[c].remove(at: p.offset)
        self.sizes[c] = size
        if p.offset == size { self.lastKeys[c] = self.chunks[c][size - 1] }
        // Merge a sparse chunk into its successor so heavy churn does not leave many tiny chunks.
        if size < Self.chunkCapacity / 4 && c + 1 < self.chunks.count
            && size + self.sizes[c + 1] <= Self.chunkCapacity * 3 / 4
        {
            let next = self.chunks[c + 1]
            self.chunks[c].append(contentsOf: next)
            self.sizes[c] += next.count
            self.lastKeys[c] = self.lastKeys[c + 1]
            self.chunks.remove(at: c + 1)
            self.sizes.remove(at: c + 1)
            self.lastKeys.remove(at: c + 1)
        }
        return true
    }

    /// Inserts sorted, duplicate-free keys and returns those that were not present yet (in order).
    ///
    /// A batch that is large relative to the index is merged with the existing chunks in one linear pass straight
    /// into new chunks (no intermediate array of all keys); a small one is inserted key by key.
    mutating func insert(sortedUnique keys: [IndexKey]) -> [IndexKey] {
        if keys.isEmpty { return [] }
        if self.count == 0 {
            self.rebuild(sortedUnique: keys)
            return keys
        }
        if keys.count * 8 < self.count {
            return keys.filter { self.insert($0) }
        }
        var builder = ChunkBuilder()
        var added: [IndexKey] = []
        var j = 0
        for chunk in self.chunks {
            for key in chunk {
                while j < keys.count && keys[j] < key {
                    builder.append(keys[j])
                    added.append(keys[j])
                    j += 1
                }
                if j < keys.count && keys[j] == key { j += 1 }
                builder.append(key)
            }
        }
        while j < keys.count {
            builder.append(keys[j])
            added.append(keys[j])
            j += 1
        }
        self = builder.finish()
        return added
    }

    /// Removes sorted, duplicate-free keys that are present (keys absent from the index are ignored).
    mutating func remove(sortedUnique keys: [IndexKey]) {
        if keys.isEmpty { return }
        if keys.count * 8 < self.count {
            for key in keys { self.remove(key) }
            return
        }
        var builder = ChunkBuilder()
        var j = 0
        for chunk in self.chunks {
            for key in chunk {
                while j < keys.count && keys[j] < key { j += 1 }
                if j < keys.count && keys[j] == key { continue }
                builder.append(key)
            }
        }
        self = builder.finish()
    }

    /// Replaces the contents with sorted, duplicate-free keys, packing chunks to `bulkFill`.
    mutating func rebuild(sortedUnique keys: [IndexKey]) {
        var builder = ChunkBuilder()
        for key in keys { builder.append(key) }
        self = builder.finish()
    }

    /// Builds an index from keys appended in order.
    struct ChunkBuilder {
        private var index = SortedKeyIndex()
        private var current: [IndexKey] = SortedKeyIndex.makeChunk([])

        @inline(__always)
        /// Appends a key greater than every key appended before.
        mutating func append(_ key: IndexKey) {
            self.current.append(key)
            if self.current.count == SortedKeyIndex.bulkFill { self.flush() }
        }

        private mutating func flush() {
            guard !self.current.isEmpty else { return }
            self.index.appendChunk(self.current)
            self.current = SortedKeyIndex.makeChunk([])
        }

        /// The index of the keys appended.
        consuming func finish() -> SortedKeyIndex {
            self.flush()
            return self.index
        }
    }

    /// A chunk holding `keys` with room for `chunkCapacity` keys.
    static func makeChunk(_ keys: ArraySlice<IndexKey>) -> [IndexKey] {
        var chunk: [IndexKey] = []
        chunk.reserveCapacity(Self.chunkCapacity)
        chunk.append(contentsOf: keys)
        return chunk
    }

    /// Appends a chunk whose keys follow every key of the index.
    mutating func appendChunk(_ chunk: [IndexKey]) {
        self.insertChunk(chunk, at: self.chunks.count)
        self.count += chunk.count
    }

    /// Inserts a chunk without changing `count`.
    private mutating func insertChunk(_ chunk: [IndexKey], at c: Int) {
        var chunk = chunk
        if chunk.capacity < Self.chunkCapacity { chunk.reserveCapacity(Self.chunkCapacity) }
        self.lastKeys.insert(chunk[chunk.count - 1], at: c)
        self.sizes.insert(chunk.count, at: c)
        self.chunks.insert(chunk, at: c)
    }
}
