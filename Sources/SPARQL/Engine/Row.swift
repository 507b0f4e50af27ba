import RDF

/// A solution mapping under construction: one term identifier per variable slot (SPARQL 1.1 §18.1.8).
///
/// Operators bind unbound slots in place, call their continuation and unbind the same slots afterwards, so a whole
/// pipeline runs on one buffer without allocating per solution.
typealias Row = UnsafeMutablePointer<UInt32>

/// Identifier space used by the evaluator: store identifiers, then terms created during evaluation.
enum IDSpace {
    /// An unbound slot.
    static let unbound: UInt32 = .max
    /// Identifiers at or above this value name terms created by expressions (BIND, aggregates, VALUES constants
    /// absent from the store); they never occur in the store, so patterns never match them.
    static let extensionBase: UInt32 = 1 << 31
}

/// A growable table of fixed-width rows of identifiers, stored flat.
struct RowTable {
    /// Number of identifiers per row.
    let width: Int
    /// `count * width` identifiers.
    var storage: [UInt32] = []

    /// An empty table of rows of `width` identifiers.
    init(width: Int) { self.width = width }

    /// The number of rows.
    var count: Int { self.width == 0 ? self.emptyRows : self.storage.count / self.width }
    private var emptyRows = 0

    /// Appends the given slots of `row`.
    mutating func append(_ row: Row, slots: [Int]) {
        if self.width == 0 {
            self.emptyRows += 1
            return
        }
        for s in slots { self.storage.append(row[s]) }
    }

    /// Appends raw values.
    mutating func append(values: some Sequence<UInt32>) {
        if self.width == 0 {
            self.emptyRows += 1
            return
        }
        self.storage.append(contentsOf: values)
    }

    subscript(row: Int, column: Int) -> UInt32 { self.storage[row * self.width + column] }
}

/// An allocated row buffer of a given width, all slots unbound.
final class RowBuffer {
    /// The buffer.
    let pointer: Row
    /// Slots in the buffer.
    let width: Int

    /// A buffer of `width` unbound slots.
    init(width: Int) {
        self.width = width
        self.pointer = Row.allocate(capacity: max(width, 1))
        self.pointer.initialize(repeating: IDSpace.unbound, count: max(width, 1))
    }

    deinit { self.pointer.deallocate() }
}
