import Foundation
import Registry
import Testing

/// Serial and `notAfter` come out of the DER (RFC 5280 §4.1.2.2, §4.1.2.5); anything else is refused.
@Suite struct IssuedCertificateRefTests {
    @Test func serialAndExpiryAreReadFromTheDER() throws {
        let utc = try Fixtures.certificate([0x00, 0x80, 0x01])
        #expect(utc.serialHex == "8001")
        #expect(utc.notAfter == Fixtures.expiry2030)
        let generalized = try Fixtures.certificate([0x05], notAfter: Fixtures.expiry2051.addingTimeInterval(3_661))
        #expect(generalized.serialHex == "05")
        #expect(generalized.notAfter == Fixtures.expiry2051.addingTimeInterval(3_661))
    }

    @Test func aRealCertificateParses() throws {
        // The self-signed P-256 certificate of LDAPRegistryStoreTests (openssl, serial 7a1661…, notAfter 2026-11-22).
        let der = try #require(Data(base64Encoded: LDAPRegistryStoreTests.certificate))
        let reference = try IssuedCertificateRef(der: Array(der))
        #expect(reference.serialHex == "7a166173fa86664223bc1c22921426a8b0e9e251")
        #expect(reference.notAfter == Date(timeIntervalSince1970: 1_795_378_798))
    }

    @Test func malformedInputIsAnInvalidCertificate() {
        let good = TestDER.certificate(serial: [1], notAfter: Fixtures.expiry2030)
        for bad in [[], [0x30], Array(good.dropLast()), good + [0], TestDER.crl(revoked: [[1]]), [0x04, 0x00]] {
            let error = #expect(throws: RegistryError.self) { try IssuedCertificateRef(der: bad) }
            #expect(error?.code == .invalidCertificate)
        }
        let zero = #expect(throws: RegistryError.self) {
            try IssuedCertificateRef(der: TestDER.certificate(serial: [0], notAfter: Fixtures.expiry2030))
        }
        #expect(zero?.code == .invalidCertificate)
    }

    @Test func canonicalSerials() {
        #expect(IssuedCertificateRef.canonicalSerial("0A:BC") == "0abc")
        #expect(IssuedCertificateRef.canonicalSerial("000abc") == "0abc")
        #expect(IssuedCertificateRef.canonicalSerial(String(repeating: "ff", count: 20)) != nil)
        for invalid in ["", "0", "00", ":", "g1", "ab cd", String(repeating: "ff", count: 21), "٣"] {
            #expect(IssuedCertificateRef.canonicalSerial(invalid) == nil, "\(invalid)")
        }
    }

    @Test func codableRoundTripRederivesTheFields() throws {
        let reference = try Fixtures.certificate([0x12, 0x34])
        let data = try JSONEncoder().encode(reference)
        #expect(try JSONDecoder().decode(IssuedCertificateRef.self, from: data) == reference)
    }
}
