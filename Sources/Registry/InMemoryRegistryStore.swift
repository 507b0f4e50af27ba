import Synchronization

/// A ``RegistryStore`` kept in memory: the twin of the persistent backends, for tests and ephemeral runs.
///
/// State lives behind a `Mutex`, so the store is a `Sendable` class usable from any task; operations never
/// suspend while holding the lock.
public final class InMemoryRegistryStore: RegistryStore {
    /// Entries and, per cloud, the certificates issued to it (RFC 4523 §2.1 `userCertificate`).
    private struct State {
        var entries: [CloudName: CloudEntry] = [:]
        var certificates: [CloudName: [IssuedCertificateRef]] = [:]
    }

    private let state: Mutex<State>

    /// Creates a store holding `entries` (later duplicates of a name replace earlier ones).
    public init(_ entries: [CloudEntry] = []) {
        self.state = Mutex(
            State(entries: Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { $1 })))
    }

    /// Registers a new cloud; ``RegistryError/Code/alreadyExists`` if the name is taken.
    public func add(_ entry: CloudEntry) async throws(RegistryError) {
        try self.state.withLock { (state) throws(RegistryError) in
            guard state.entries[entry.name] == nil else {
                throw .alreadyExists(reason: "cloud '\(entry.name)' is already registered")
            }
            state.entries[entry.name] = entry
        }
    }

    /// Replaces an existing cloud's entry, keeping its certificates; ``RegistryError/Code/notFound`` if absent.
    public func update(_ entry: CloudEntry) async throws(RegistryError) {
        try self.state.withLock { (state) throws(RegistryError) in
            guard state.entries[entry.name] != nil else {
                throw .notFound(reason: "cloud '\(entry.name)' is not registered")
            }
            state.entries[entry.name] = entry
        }
    }

    /// The cloud with this name, or `nil`.
    public func entry(named name: CloudName) async throws(RegistryError) -> CloudEntry? {
        self.state.withLock { $0.entries[name] }
    }

    /// Every cloud, sorted by name.
    public func list() async throws(RegistryError) -> [CloudEntry] {
        self.state.withLock { $0.entries.values.sorted { $0.name < $1.name } }
    }

    /// Unregisters a cloud and its certificates; ``RegistryError/Code/notFound`` if absent.
    public func remove(named name: CloudName) async throws(RegistryError) {
        try self.state.withLock { (state) throws(RegistryError) in
            guard state.entries.removeValue(forKey: name) != nil else {
                throw .notFound(reason: "cloud '\(name)' is not registered")
            }
            state.certificates[name] = nil
        }
    }

    /// Records a certificate for the cloud; ``RegistryError/Code/notFound`` for an unknown cloud,
    /// ``RegistryError/Code/alreadyExists`` for a serial already recorded (RFC 5280 §4.1.2.2).
    public func addCertificate(_ certificate: IssuedCertificateRef, to name: CloudName) async throws(RegistryError) {
        try self.state.withLock { (state) throws(RegistryError) in
            guard state.entries[name] != nil else { throw .notFound(reason: "cloud '\(name)' is not registered") }
            guard !state.certificates.values.joined().contains(where: { $0.serialHex == certificate.serialHex })
            else {
                throw .alreadyExists(reason: "a certificate with serial \(certificate.serialHex) is already recorded")
            }
            state.certificates[name, default: []].append(certificate)
        }
    }

    /// The cloud holding the certificate with this serial, or `nil`.
    public func entry(forCertificateSerial serialHex: String) async throws(RegistryError) -> CloudEntry? {
        guard let serial = IssuedCertificateRef.canonicalSerial(serialHex) else { return nil }
        return self.state.withLock { state in
            state.certificates.first { $0.value.contains { $0.serialHex == serial } }.flatMap { state.entries[$0.key] }
        }
    }

    /// The cloud's certificates, soonest expiry first; ``RegistryError/Code/notFound`` for an unknown cloud.
    public func certificates(of name: CloudName) async throws(RegistryError) -> [IssuedCertificateRef] {
        try self.state.withLock { (state) throws(RegistryError) in
            guard state.entries[name] != nil else { throw .notFound(reason: "cloud '\(name)' is not registered") }
            return (state.certificates[name] ?? []).sorted(by: Self.certificateOrder)
        }
    }
}
