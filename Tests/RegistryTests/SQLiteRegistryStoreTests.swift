import Foundation
import Registry
import Testing
import XMPPCore

/// What only the embedded backend has to prove: durability and that no password reaches the file.
@Suite struct SQLiteRegistryStoreTests {
    @Test func entriesSurviveReopening() async throws {
        let path = Fixtures.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let entry = try Fixtures.entry("alpha")
        do {
            let store = try SQLiteRegistryStore(path: path)
            try await store.add(entry)
            try await store.add(try Fixtures.entry("beta", password: nil))
        }
        let reopened = try SQLiteRegistryStore(path: path)
        #expect(try await reopened.entry(named: entry.name) == entry)
        #expect(try await reopened.list().map(\.name.rawValue) == ["alpha", "beta"])
        try await reopened.remove(named: entry.name)
        #expect(try await SQLiteRegistryStore(path: path).list().map(\.name.rawValue) == ["beta"])
    }

    @Test func thePasswordIsNeverStored() async throws {
        let path = Fixtures.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let password = "correct-horse-battery-staple"
        do {
            let store = try SQLiteRegistryStore(path: path)
            try await store.add(try Fixtures.entry("alpha", password: password))
            #expect(try await store.entry(named: Fixtures.name("alpha"))?.credentials.count == 2)
        }
        let contents = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(contents.range(of: Data("alpha".utf8)) != nil)  // the search itself works
        #expect(contents.range(of: Data(password.utf8)) == nil)
        #expect(contents.range(of: Data(password.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })) == nil)
    }

    @Test func storedCredentialsStillVerifyThePassword() async throws {
        let path = Fixtures.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteRegistryStore(path: path)
        try await store.add(try Fixtures.entry("alpha", password: "pencil"))
        let entry = try #require(try await store.entry(named: Fixtures.name("alpha")))
        for hash in SCRAMHash.allCases {
            let stored = try #require(entry.credentials(for: hash))
            #expect(stored.salt.count == CloudEntry.saltByteCount && stored.iterations == 4096)
            #expect(
                SCRAMCredentials.derive(password: "pencil", salt: stored.salt, iterations: 4096, hash: hash) == stored)
        }
    }

    @Test func anUnopenablePathIsAStorageFailure() {
        let error = #expect(throws: RegistryError.self) {
            try SQLiteRegistryStore(path: "/nonexistent-directory-\(UUID().uuidString)/registry.sqlite")
        }
        #expect(error?.code == .storageFailure)
    }
}
