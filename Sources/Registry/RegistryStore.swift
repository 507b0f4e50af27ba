/// Where registered clouds live: the embedded SQLite database, memory (tests), and later an LDAP directory.
///
/// Backends convert ``CloudEntry`` to their own representation at the edge and report every failure as a
/// ``RegistryError`` (typed throws). One contract test suite runs against every backend, so they behave alike:
/// ``list()`` is sorted by name, ``add(_:)`` refuses duplicates with ``RegistryError/Code/alreadyExists``,
/// ``update(_:)`` and ``remove(named:)`` refuse unknown names with ``RegistryError/Code/notFound``.
///
/// Each cloud also holds the certificates the CA issued to it (CONTRACT §6, RFC 4523 §2.1 `userCertificate`),
/// findable by serial; updating a cloud keeps them and removing it removes them.
///
/// New capabilities (certificate lookup by serial, richer filters) are added as requirements with default
/// implementations in the extension below, written in terms of the existing ones, so older backends keep compiling
/// and a backend that can do better (an LDAP search filter, an SQL index) overrides them.
public protocol RegistryStore: Sendable {
    /// Registers a new cloud; ``RegistryError/Code/alreadyExists`` if the name is taken.
    func add(_ entry: CloudEntry) async throws(RegistryError)
    /// Replaces an existing cloud's entry, credentials included; ``RegistryError/Code/notFound`` if absent.
    func update(_ entry: CloudEntry) async throws(RegistryError)
    /// The cloud with this name, or `nil`.
    func entry(named name: CloudName) async throws(RegistryError) -> CloudEntry?
    /// Every cloud, sorted by name.
    func list() async throws(RegistryError) -> [CloudEntry]
    /// The clouds matching `filter`, sorted by name.
    func list(matching filter: CloudFilter) async throws(RegistryError) -> [CloudEntry]
    /// Unregisters a cloud, its credentials and its certificates; ``RegistryError/Code/notFound`` if absent.
    func remove(named name: CloudName) async throws(RegistryError)
    /// Records a certificate issued to the cloud `name`; ``RegistryError/Code/notFound`` for an unknown cloud and
    /// ``RegistryError/Code/alreadyExists`` if a certificate with this serial is already recorded for any cloud
    /// (one issuer, unique serials: RFC 5280 §4.1.2.2).
    func addCertificate(_ certificate: IssuedCertificateRef, to name: CloudName) async throws(RegistryError)
    /// The cloud holding the certificate with this serial, or `nil`; `serialHex` may be in any form
    /// ``IssuedCertificateRef/canonicalSerial(_:)`` accepts, and one it rejects finds nothing.
    func entry(forCertificateSerial serialHex: String) async throws(RegistryError) -> CloudEntry?
    /// The certificates recorded for the cloud, soonest expiry first (ties by serial);
    /// ``RegistryError/Code/notFound`` for an unknown cloud.
    func certificates(of name: CloudName) async throws(RegistryError) -> [IssuedCertificateRef]
}

extension RegistryStore {
    /// The order ``certificates(of:)`` returns: soonest `notAfter` first, then by serial (shorter hex first, which
    /// for canonical serials is numeric order).
    public static func certificateOrder(_ lhs: IssuedCertificateRef, _ rhs: IssuedCertificateRef) -> Bool {
        (lhs.notAfter, lhs.serialHex.count, lhs.serialHex) < (rhs.notAfter, rhs.serialHex.count, rhs.serialHex)
    }

    /// Filters ``list()`` in memory; backends with a query language override this.
    public func list(matching filter: CloudFilter) async throws(RegistryError) -> [CloudEntry] {
        try await self.list().filter(filter.matches)
    }
}

/// A conjunction of optional conditions on cloud entries, for listing (CONTRACT §3 `registry list`, §4).
///
/// Every condition left `nil` matches everything, so `CloudFilter()` lists all clouds. New conditions are added as
/// further optional properties, which keeps existing call sites and backends valid.
public struct CloudFilter: Sendable, Hashable {
    /// Only clouds with this status.
    public var status: CloudStatus?
    /// Only clouds trusted at least this much.
    public var minimumTrustLevel: Int?
    /// Only clouds whose name starts with this prefix.
    public var namePrefix: String?

    /// Creates a filter; omitted conditions match everything.
    public init(status: CloudStatus? = nil, minimumTrustLevel: Int? = nil, namePrefix: String? = nil) {
        self.status = status
        self.minimumTrustLevel = minimumTrustLevel
        self.namePrefix = namePrefix
    }

    /// Whether `entry` meets every condition.
    public func matches(_ entry: CloudEntry) -> Bool {
        if let status = self.status, entry.status != status { return false }
        if let minimum = self.minimumTrustLevel, entry.trustLevel < minimum { return false }
        if let prefix = self.namePrefix, !entry.name.rawValue.hasPrefix(prefix) { return false }
        return true
    }
}
