/// An open-addressing hash map from term identifiers to values, cheaper than `Dictionary` on hot paths.
struct IDMap<Value> {
    private var keys: [UInt32]
    private var values: [Value?]
    private var mask: Int
    private(set) var count = 0

    /// An empty map sized for about `capacity` keys.
    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.keys = Array(repeating: IDSpace.unbound, count: size)
        self.values = Array(repeating: nil, count: size)
        self.mask = size - 1
    }

    @inline(__always) private static func hash(_ key: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }

    subscript(key: UInt32) -> Value? {
        get {
            var i = Self.hash(key) & self.mask
            while true {
                let k = self.keys[i]
                if k == key { return self.values[i] }
                if k == IDSpace.unbound { return nil }
                i = (i + 1) & self.mask
            }
        }
        set {
            guard let newValue else { return }  // removal is not needed by the engine
            if (self.count + 1) * 2 > self.keys.count { self.grow() }
            var i = Self.hash(key) & self.mask
            while true {
                let k = self.keys[i]
                if k == key {
                    self.values[i] = newValue
                    return
                }
                if k == IDSpace.unbound {
                    self.keys[i] = key
                    self.values[i] = newValue
                    self.count += 1
                    return
                }
                i = (i + 1) & self.mask
            }
        }
    }

    private mutating func grow() {
        let oldKeys = self.keys
        let oldValues = self.values
        let size = oldKeys.count * 2
        self.keys = Array(repeating: IDSpace.unbound, count: size)
        self.values = Array(repeating: nil, count: size)
        self.mask = size - 1
        self.count = 0
        for (i, k) in oldKeys.enumerated() where k != IDSpace.unbound { self[k] = oldValues[i] }
    }
}

/// An open-addressing set of 64-bit keys (pairs of identifiers), for duplicate elimination on hot paths.
struct PairSet {
    private var keys: [UInt64]
    private var used: [Bool]
    private var mask: Int
    private(set) var count = 0

    /// An empty set sized for about `capacity` keys.
    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.keys = Array(repeating: 0, count: size)
        self.used = Array(repeating: false, count: size)
        self.mask = size - 1
    }

    @inline(__always) private static func hash(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29)
    }

    /// Inserts `key`; returns false if it was already present.
    mutating func insert(_ key: UInt64) -> Bool {
        if (self.count + 1) * 2 > self.keys.count { self.grow() }
        var i = Self.hash(key) & self.mask
        while self.used[i] {
            if self.keys[i] == key { return false }
            i = (i + 1) & self.mask
        }
        self.used[i] = true
        self.keys[i] = key
        self.count += 1
        return true
    }

    /// Whether `key` is present.
    func contains(_ key: UInt64) -> Bool {
        var i = Self.hash(key) & self.mask
        while self.used[i] {
            if self.keys[i] == key { return true }
            i = (i + 1) & self.mask
        }
        return false
    }

    private mutating func grow() {
        let oldKeys = self.keys
        let oldUsed = self.used
        let size = oldKeys.count * 2
        self.keys = Array(repeating: 0, count: size)
        self.used = Array(repeating: false, count: size)
        self.mask = size - 1
        self.count = 0
        for i in 0..<oldKeys.count where oldUsed[i] { _ = self.insert(oldKeys[i]) }
    }
}
