import Foundation
import Registry
import Testing

extension Fixtures {
    /// 2030-01-01T00:00:00Z, a UTCTime `notAfter`.
    static let expiry2030 = Date(timeIntervalSince1970: 1_893_456_000)
    /// 2051-01-01T00:00:00Z, a GeneralizedTime `notAfter` (RFC 5280 §4.1.2.5).
    static let expiry2051 = Date(timeIntervalSince1970: 2_556_144_000)

    /// A certificate reference for a hand-built DER certificate.
    static func certificate(_ serial: [UInt8], notAfter: Date = expiry2030, subject: String = "alpha") throws
        -> IssuedCertificateRef
    {
        try IssuedCertificateRef(der: TestDER.certificate(serial: serial, notAfter: notAfter, subject: subject))
    }
}

/// The certificate half of the contract (CONTRACT §6, RFC 4523 §2.1): every backend records issued certificates
/// per cloud, finds a cloud by serial, keeps certificates across updates and drops them with the cloud.
@Suite struct RegistryStoreCertificateContractTests {
    @Test(arguments: Backend.allCases)
    func certificatesAreListedAndFoundBySerial(backend: Backend) async throws {
        let store = try backend.makeStore()
        let alpha = try Fixtures.entry("alpha")
        try await store.add(alpha)
        try await store.add(try Fixtures.entry("beta", password: nil))
        // a 20-octet serial with the high bit set (DER adds a 00 octet) expiring in 2051, and a short one
        let long = try Fixtures.certificate(Array(repeating: 0xF1, count: 20), notAfter: Fixtures.expiry2051)
        let short = try Fixtures.certificate([0x0A, 0xBC])
        let betas = try Fixtures.certificate([0x01, 0x00], subject: "beta")
        try await store.addCertificate(long, to: alpha.name)
        try await store.addCertificate(short, to: alpha.name)
        try await store.addCertificate(betas, to: Fixtures.name("beta"))

        #expect(try await store.certificates(of: alpha.name) == [short, long])
        #expect(try await store.certificates(of: Fixtures.name("beta")) == [betas])
        #expect(
            try await store.certificates(of: alpha.name).map(\.serialHex) == [
                "0abc", String(repeating: "f1", count: 20),
            ])
        for form in ["0abc", "0ABC", "abc", "00:0a:bc", "0A:BC"] {
            #expect(try await store.entry(forCertificateSerial: form) == alpha, "serial \(form)")
        }
        #expect(try await store.entry(forCertificateSerial: long.serialHex) == alpha)
        #expect(try await store.entry(forCertificateSerial: "0100")?.name.rawValue == "beta")
        for unknown in ["0abd", "01", "xyz", "", "*", "0abc)(cn=*"] {
            #expect(try await store.entry(forCertificateSerial: unknown) == nil, "serial \(unknown)")
        }
        // the entry itself is unchanged by its certificates
        #expect(try await store.entry(named: alpha.name) == alpha)
    }

    @Test(arguments: Backend.allCases)
    func unknownCloudsAndDuplicateSerialsAreRejected(backend: Backend) async throws {
        let store = try backend.makeStore()
        let certificate = try Fixtures.certificate([0x42])
        let missing = await #expect(throws: RegistryError.self) {
            try await store.addCertificate(certificate, to: Fixtures.name("ghost"))
        }
        #expect(missing?.code == .notFound)
        let listing = await #expect(throws: RegistryError.self) {
            try await store.certificates(of: Fixtures.name("ghost"))
        }
        #expect(listing?.code == .notFound)

        try await store.add(try Fixtures.entry("alpha", password: nil))
        try await store.add(try Fixtures.entry("beta", password: nil))
        #expect(try await store.certificates(of: Fixtures.name("alpha")) == [])
        try await store.addCertificate(certificate, to: Fixtures.name("alpha"))
        for cloud in ["alpha", "beta"] {
            let duplicate = await #expect(throws: RegistryError.self) {
                try await store.addCertificate(
                    try Fixtures.certificate([0x42], notAfter: Fixtures.expiry2051, subject: cloud),
                    to: Fixtures.name(cloud))
            }
            #expect(duplicate?.code == .alreadyExists, "on \(cloud)")
        }
        #expect(try await store.certificates(of: Fixtures.name("alpha")) == [certificate])
        #expect(try await store.certificates(of: Fixtures.name("beta")) == [])
    }

    @Test(arguments: Backend.allCases)
    func updatesKeepCertificatesAndRemovalDropsThem(backend: Backend) async throws {
        let store = try backend.makeStore()
        var entry = try Fixtures.entry("alpha")
        try await store.add(entry)
        let certificate = try Fixtures.certificate([0x7F, 0xFF])
        try await store.addCertificate(certificate, to: entry.name)

        entry.status = .suspended
        entry.updatedAt = Fixtures.later
        entry.setCredentials([])
        try await store.update(entry)
        #expect(try await store.certificates(of: entry.name) == [certificate])
        #expect(try await store.entry(forCertificateSerial: "7fff") == entry)

        try await store.remove(named: entry.name)
        #expect(try await store.entry(forCertificateSerial: "7fff") == nil)
        try await store.add(try Fixtures.entry("alpha", password: nil))
        #expect(try await store.certificates(of: entry.name) == [])
        // the serial is free again once its cloud is gone
        try await store.addCertificate(certificate, to: entry.name)
        #expect(try await store.entry(forCertificateSerial: "7fff")?.name == entry.name)
    }
}
