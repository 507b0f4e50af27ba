import Synchronization

/// Runs `count` operations with at most `limit` in flight (issue 6: "bounded concurrency"), in index order of
/// starting; returns when all have finished. Each operation handles its own failures.
enum BoundedConcurrency {
    static func forEach(
        _ count: Int, limit: Int, _ operation: @escaping @Sendable (Int) async -> Void
    ) async {
        guard count > 0 else { return }
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            while next < min(max(limit, 1), count) {
                let index = next
                group.addTask { await operation(index) }
                next += 1
            }
            while await group.next() != nil {
                guard next < count else { continue }
                let index = next
                group.addTask { await operation(index) }
                next += 1
            }
        }
    }
}

/// One optional value per cloud, written by concurrent operations of a step and read by later steps. Thread-safe.
final class Slots<Value: Sendable>: Sendable {
    private let values: Mutex<[Value?]>

    /// `count` empty slots.
    init(count: Int) {
        self.values = Mutex([Value?](repeating: nil, count: count))
    }

    /// The value of slot `index`.
    subscript(index: Int) -> Value? {
        self.values.withLock { $0[index] }
    }

    /// Fills slot `index`.
    func set(_ index: Int, _ value: Value?) {
        self.values.withLock { $0[index] = value }
    }

    /// The indices of the filled slots, ascending.
    var filled: [Int] {
        self.values.withLock { values in values.indices.filter { values[$0] != nil } }
    }
}
