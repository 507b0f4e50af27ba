import Foundation
import Registry
import Testing
import XMPPCore

/// Validation of the semantic types (CONTRACT §3) and the factory.
@Suite struct CloudEntryTests {
    @Test(arguments: ["a", "cloud-1", "0", "a-b-c", "x9", String(repeating: "a", count: 63)])
    func validNames(raw: String) throws {
        #expect(try CloudName(raw).rawValue == raw)
    }

    @Test(arguments: ["", "-a", "a-", "-", "A", "Cloud", "a_b", "a.b", "a b", "é", String(repeating: "a", count: 64)])
    func invalidNames(raw: String) {
        let error = #expect(throws: RegistryError.self) { try CloudName(raw) }
        #expect(error?.code == .invalidName)
    }

    @Test func namesCodeAsStringsAndValidateWhenDecoded() throws {
        let name = try CloudName("alpha")
        #expect(String(decoding: try JSONEncoder().encode([name]), as: UTF8.self) == #"["alpha"]"#)
        #expect(try JSONDecoder().decode([CloudName].self, from: Data(#"["alpha"]"#.utf8)) == [name])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CloudName].self, from: Data(#"["Alpha"]"#.utf8))
        }
        #expect(try CloudName("a") < CloudName("b") && name.description == "alpha")
    }

    @Test(arguments: [-1, 6, 100])
    func trustLevelsOutsideZeroToFiveAreRejected(level: Int) {
        let error = #expect(throws: RegistryError.self) {
            try CloudEntry(
                name: Fixtures.name("a"), trustLevel: level, createdAt: Fixtures.now, updatedAt: Fixtures.now)
        }
        #expect(error?.code == .invalidTrustLevel)
    }

    @Test(arguments: ["not a url", "/relative/path", "https://", "example.org"])
    func endpointsMustBeAbsoluteURLs(endpoint: String) {
        let error = #expect(throws: RegistryError.self) {
            try CloudEntry(
                name: Fixtures.name("a"), endpoints: [endpoint], createdAt: Fixtures.now, updatedAt: Fixtures.now)
        }
        #expect(error?.code == .invalidEndpoint)
    }

    @Test func factoryDerivesBothMechanismsWithFreshSalts() throws {
        var salts: [[UInt8]] = []
        let entry = try CloudEntry.new(
            name: Fixtures.name("alpha"), password: "pencil", endpoints: ["xmpp://alpha.example:5269"], trustLevel: 3,
            contact: nil, now: Fixtures.now,
            saltGenerator: {
                let salt = Array(repeating: UInt8(salts.count + 1), count: 16)
                salts.append(salt)
                return salt
            })
        #expect(salts.count == 2)
        #expect(entry.credentials.map(\.hash) == [.sha256, .sha1])
        #expect(entry.status == .active && entry.trustLevel == 3 && entry.createdAt == Fixtures.now)
        #expect(entry.updatedAt == Fixtures.now)
        for hash in SCRAMHash.allCases {
            let stored = try #require(entry.credentials(for: hash))
            #expect(
                SCRAMCredentials.derive(password: "pencil", salt: stored.salt, iterations: 4096, hash: hash) == stored)
        }
        let withoutPassword = try Fixtures.entry("beta", password: nil)
        #expect(withoutPassword.credentials.isEmpty && withoutPassword.credentials(for: .sha256) == nil)
    }

    @Test func entriesRoundTripThroughJSONAndValidateWhenDecoded() throws {
        let entry = try Fixtures.entry("alpha")
        let json = try JSONEncoder().encode(entry)
        #expect(try JSONDecoder().decode(CloudEntry.self, from: json) == entry)
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object["trustLevel"] = 9
        let corrupt = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CloudEntry.self, from: corrupt) }
    }

    @Test func errorsCarryCodeReasonAndLocation() {
        let error = RegistryError.notFound(reason: "cloud 'x' is not registered")
        #expect(error.code == .notFound && error.line > 0 && error.file.hasSuffix("CloudEntryTests.swift"))
        #expect(error.description.contains("notFound") && error.description.contains("cloud 'x'"))
    }
}
