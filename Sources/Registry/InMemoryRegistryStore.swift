import Synchronization

/// A ``RegistryStore`` kept in memory: the twin of the persistent backends, for tests and ephemeral runs.
///
/// State lives behind a `Mutex`, so the store is a `Sendable` class usable from any task; operations never
/// suspend while holding the lock.
public final class InMemoryRegistryStore: RegistryStore {
    private let entries: Mutex<[CloudName: CloudEntry]>

    /// Creates a store holding `entries` (later duplicates of a name replace earlier ones).
    public init(_ entries: [CloudEntry] = []) {
        self.entries = Mutex(Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { $1 }))
    }

    /// Registers a new cloud; ``RegistryError/Code/alreadyExists`` if the name is taken.
    public func add(_ entry: CloudEntry) async throws(RegistryError) {
        try self.entries.withLock { (entries) throws(RegistryError) in
            guard entries[entry.name] == nil else {
                throw .alreadyExists(reason: "cloud '\(entry.name)' is already registered")
            }
            entries[entry.name] = entry
        }
    }

    /// Replaces an existing cloud's entry; ``RegistryError/Code/notFound`` if absent.
    public func update(_ entry: CloudEntry) async throws(RegistryError) {
        try self.entries.withLock { (entries) throws(RegistryError) in
            guard entries[entry.name] != nil else {
                throw .notFound(reason: "cloud '\(entry.name)' is not registered")
            }
            entries[entry.name] = entry
        }
    }

    /// The cloud with this name, or `nil`.
    public func entry(named name: CloudName) async throws(RegistryError) -> CloudEntry? {
        self.entries.withLock { $0[name] }
    }

    /// Every cloud, sorted by name.
    public func list() async throws(RegistryError) -> [CloudEntry] {
        self.entries.withLock { $0.values.sorted { $0.name < $1.name } }
    }

    /// Unregisters a cloud; ``RegistryError/Code/notFound`` if absent.
    public func remove(named name: CloudName) async throws(RegistryError) {
        try self.entries.withLock { (entries) throws(RegistryError) in
            guard entries.removeValue(forKey: name) != nil else {
                throw .notFound(reason: "cloud '\(name)' is not registered")
            }
        }
    }
}
