import Foundation
import Registry
import RegistryLDAP
import Testing
import XMPPCore

/// A registry backend under test, created fresh for each test.
enum Backend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case inMemory
    case sqlite
    case ldap
    /// LDAP bound with SASL GSSAPI from a keytab (RFC 4752) against a slapd of a private Kerberos realm.
    case ldapGSSAPI

    /// Every backend; LDAP over GSSAPI only where the Kerberos KDC tools are installed (`make test` installs them),
    /// with a loud message otherwise.
    static var allCases: [Backend] {
        let missing = PrivateKDC.missingTools
        guard missing.isEmpty else {
            print("⚠️  SKIPPING the LDAP GSSAPI registry backend: \(missing.joined(separator: ", ")) not installed")
            return [.inMemory, .sqlite, .ldap]
        }
        return [.inMemory, .sqlite, .ldap, .ldapGSSAPI]
    }

    /// The backend's name in test output.
    var testDescription: String { self.rawValue }

    /// A new, empty store of this kind (SQLite in a fresh temporary file, LDAP under a fresh base DN in the shared
    /// private slapd).
    func makeStore() throws -> any RegistryStore {
        switch self {
        case .inMemory: InMemoryRegistryStore()
        case .sqlite: try SQLiteRegistryStore(path: Fixtures.temporaryPath())
        case .ldap:
            try Fixtures.ldapStore(on: PrivateSlapd.shared.get(), baseDN: PrivateSlapd.shared.get().makeBase())
        case .ldapGSSAPI:
            try Fixtures.gssapiLDAPStore(
                on: PrivateSlapd.sharedGSSAPI.get(), baseDN: PrivateSlapd.sharedGSSAPI.get().makeBase())
        }
    }
}

/// Shared values for the registry tests; time and salts are fixed so entries compare equal after a round trip.
enum Fixtures {
    /// The registration time of every fixture entry.
    static let now = Date(timeIntervalSince1970: 1_700_000_000.5)
    /// A later time, for updates.
    static let later = Date(timeIntervalSince1970: 1_700_000_100.25)

    /// A fresh SQLite file path in the temporary directory.
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString).sqlite").path
    }

    /// A cloud name known to be valid.
    static func name(_ raw: String) -> CloudName { try! CloudName(raw) }

    /// An entry with deterministic salts, an endpoint and a contact.
    static func entry(_ raw: String, password: String? = "secret-\(#line)", trustLevel: Int = 1) throws -> CloudEntry {
        var counter: UInt8 = 0
        return try CloudEntry.new(
            name: Self.name(raw), password: password, endpoints: ["https://\(raw).example/api"],
            trustLevel: trustLevel, contact: "ops@\(raw).example", now: Self.now,
            saltGenerator: {
                counter &+= 1
                return Array(repeating: counter, count: 16)
            })
    }
}

/// One contract, every backend (STYLE §11): the in-memory twin, SQLite and LDAP must behave identically.
@Suite struct RegistryStoreContractTests {
    @Test(arguments: Backend.allCases)
    func addedEntriesRoundTrip(backend: Backend) async throws {
        let store = try backend.makeStore()
        let entry = try Fixtures.entry("alpha")
        try await store.add(entry)
        let loaded = try await store.entry(named: Fixtures.name("alpha"))
        #expect(loaded == entry)
        #expect(loaded?.credentials(for: .sha1) != nil && loaded?.credentials(for: .sha256) != nil)
        #expect(try await store.entry(named: Fixtures.name("beta")) == nil)
    }

    @Test(arguments: Backend.allCases)
    func listIsSortedByName(backend: Backend) async throws {
        let store = try backend.makeStore()
        #expect(try await store.list().isEmpty)
        for name in ["gamma", "alpha", "beta-2", "beta"] {
            try await store.add(try Fixtures.entry(name, password: nil))
        }
        #expect(try await store.list().map(\.name.rawValue) == ["alpha", "beta", "beta-2", "gamma"])
    }

    @Test(arguments: Backend.allCases)
    func duplicatesAreRejected(backend: Backend) async throws {
        let store = try backend.makeStore()
        try await store.add(try Fixtures.entry("alpha"))
        let error = await #expect(throws: RegistryError.self) {
            try await store.add(try Fixtures.entry("alpha", password: "other"))
        }
        #expect(error?.code == .alreadyExists)
        #expect(try await store.list().count == 1)
    }

    @Test(arguments: Backend.allCases)
    func updateReplacesTheEntry(backend: Backend) async throws {
        let store = try backend.makeStore()
        var entry = try Fixtures.entry("alpha")
        try await store.add(entry)
        entry.status = .suspended
        entry.contact = nil
        entry.updatedAt = Fixtures.later
        try entry.setTrustLevel(5)
        try entry.setEndpoints([])
        entry.setCredentials(Array(entry.credentials.prefix(1)))
        try await store.update(entry)
        #expect(try await store.entry(named: entry.name) == entry)
        #expect(try await store.entry(named: entry.name)?.credentials.count == 1)

        let error = await #expect(throws: RegistryError.self) {
            try await store.update(try Fixtures.entry("missing"))
        }
        #expect(error?.code == .notFound)
    }

    @Test(arguments: Backend.allCases)
    func removeDeletesTheEntryAndItsCredentials(backend: Backend) async throws {
        let store = try backend.makeStore()
        try await store.add(try Fixtures.entry("alpha"))
        try await store.add(try Fixtures.entry("beta"))
        try await store.remove(named: Fixtures.name("alpha"))
        #expect(try await store.entry(named: Fixtures.name("alpha")) == nil)
        #expect(try await store.list().map(\.name.rawValue) == ["beta"])
        // re-adding without a password must not resurrect the old credentials
        try await store.add(try Fixtures.entry("alpha", password: nil))
        #expect(try await store.entry(named: Fixtures.name("alpha"))?.credentials == [])
    }

    @Test(arguments: Backend.allCases)
    func removingAnUnknownCloudIsNotFound(backend: Backend) async throws {
        let store = try backend.makeStore()
        let error = await #expect(throws: RegistryError.self) {
            try await store.remove(named: Fixtures.name("ghost"))
        }
        #expect(error?.code == .notFound)
    }

    @Test(arguments: Backend.allCases)
    func listMatchingFilters(backend: Backend) async throws {
        let store = try backend.makeStore()
        try await store.add(try Fixtures.entry("alpha", password: nil, trustLevel: 1))
        try await store.add(try Fixtures.entry("beta", password: nil, trustLevel: 4))
        var suspended = try Fixtures.entry("bravo", password: nil, trustLevel: 5)
        suspended.status = .suspended
        try await store.add(suspended)
        #expect(try await store.list(matching: CloudFilter()).count == 3)
        #expect(
            try await store.list(matching: CloudFilter(minimumTrustLevel: 4)).map(\.name.rawValue) == ["beta", "bravo"])
        #expect(
            try await store.list(matching: CloudFilter(status: .active, namePrefix: "b")).map(\.name.rawValue) == [
                "beta"
            ])
    }

    @Test(arguments: Backend.allCases)
    func storesAreUsableConcurrently(backend: Backend) async throws {
        let store = try backend.makeStore()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask { try await store.add(try Fixtures.entry("cloud-\(index)", password: nil)) }
            }
            try await group.waitForAll()
        }
        #expect(try await store.list().count == 20)
    }
}
