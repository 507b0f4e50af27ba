import Testing
import X509

@testable import TrustCA

/// RFC 5280 §4.1.2.2: serials are positive and at most 20 octets.
@Suite struct SerialNumberGeneratorTests {
    @Test func systemSerialsArePositiveAndAtMostTwentyOctets() {
        let generator = SerialNumberGenerator.system
        var seen = Set<Certificate.SerialNumber>()
        for _ in 0..<200 {
            let serial = generator.next()
            let bytes = Array(serial.bytes)
            #expect(bytes.count <= 20)
            #expect(bytes.count == 20)
            // Top bit clear: a positive DER INTEGER with no leading 0x00 pad.
            #expect(bytes[0] & 0x80 == 0)
            #expect(bytes[0] != 0)
            seen.insert(serial)
        }
        #expect(seen.count == 200)
    }

    @Test func injectedRandomnessIsNormalised() {
        let allOnes = SerialNumberGenerator { count in [UInt8](repeating: 0xFF, count: count) }
        #expect(Array(allOnes.next().bytes) == [0x7F] + [UInt8](repeating: 0xFF, count: 19))

        let allZeros = SerialNumberGenerator { count in [UInt8](repeating: 0, count: count) }
        #expect(Array(allZeros.next().bytes) == [0x40] + [UInt8](repeating: 0, count: 19))

        let short = SerialNumberGenerator { _ in [0x01] }
        #expect(Array(short.next().bytes).count == 20)
    }
}
