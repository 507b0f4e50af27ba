import Foundation
import Testing

@testable import XMPPCore

/// The XML Schema datatypes used by the terms (XEP-0082 §3.3; XML Schema 1.1 Part 2 §3.3.3, §3.3.6, §3.3.7).
@Suite struct NegotiationXSDTypesTests {
    @Test func dateTimeParsesZoneDesignatorsAndFractions() {
        let t0 = NegotiationFixtures.t0
        #expect(XSDDateTime.parse("2026-03-01T12:00:00Z") == t0)
        #expect(XSDDateTime.parse(" 2026-03-01T13:30:00+01:30 ") == t0)
        #expect(XSDDateTime.parse("2026-03-01T07:00:00-05:00") == t0)
        #expect(XSDDateTime.parse("2026-03-01T12:00:00.250Z") == t0.addingTimeInterval(0.25))
        #expect(XSDDateTime.parse("1970-01-01T00:00:00Z") == Date(timeIntervalSince1970: 0))
        #expect(XSDDateTime.parse("1969-12-31T23:59:59Z") == Date(timeIntervalSince1970: -1))
        #expect(XSDDateTime.parse("2024-02-29T00:00:00Z") != nil)
    }

    @Test(arguments: [
        "2026-03-01T12:00:00", "2026-03-01 12:00:00Z", "2026-3-01T12:00:00Z", "2026-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T12:60:00Z", "2026-03-01T12:00:60Z",
        "2026-03-01T12:00:00.Z", "2026-03-01T12:00:00+1:00", "tomorrow", "", "0000-01-01T00:00:00Z",
        "2026-03-01T12:00:00Zjunk",
    ])
    func invalidDateTimesAreRefused(text: String) {
        #expect(XSDDateTime.parse(text) == nil)
    }

    @Test func dateTimeFormatIsCanonicalUTC() {
        #expect(XSDDateTime.format(NegotiationFixtures.t0) == "2026-03-01T12:00:00Z")
        #expect(XSDDateTime.format(NegotiationFixtures.at(0.5)) == "2026-03-01T12:00:00.5Z")
        #expect(XSDDateTime.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(XSDDateTime.format(XSDDateTime.parse("2000-02-29T23:59:59.123+02:00")!) == "2000-02-29T21:59:59.123Z")
        for day in stride(from: -800_000, to: 3_000_000, by: 997) {
            let (year, month, dayOfMonth) = XSDDateTime.civilFromDays(day)
            #expect(XSDDateTime.daysFromCivil(year: year, month: month, day: dayOfMonth) == day)
        }
    }

    @Test func decimalsAreExactAndCanonical() {
        #expect(XSDDecimal("42.50")?.description == "42.5")
        #expect(XSDDecimal("+007")?.description == "7")
        #expect(XSDDecimal("-0.00")?.description == "0")
        #expect(XSDDecimal(".5")?.description == "0.5")
        #expect(XSDDecimal("5.")?.description == "5")
        #expect(XSDDecimal("-12.340")?.description == "-12.34")
        #expect(XSDDecimal("1.50") == XSDDecimal("1.5"))
        #expect(XSDDecimal("0.1")! < XSDDecimal("0.10000001")!)
        #expect(XSDDecimal("-2")! < XSDDecimal("-1.5")!)
        #expect(XSDDecimal("99.95")! < XSDDecimal("100")!)
        #expect(XSDDecimal("100.0")! <= XSDDecimal(100))
        for text in ["", ".", "1e3", "1,5", "0x10", "--1", "1.2.3", "NaN", "1 000"] {
            #expect(XSDDecimal(text) == nil, "\(text)")
        }
    }

    @Test func durationsValidateAndNormalise() {
        #expect(XSDDuration("P30D")?.days == 30)
        #expect(XSDDuration("P1Y2M3DT4H5M6.5S")?.description == "P1Y2M3DT4H5M6.5S")
        #expect(XSDDuration("PT36H")?.hours == 36)
        #expect(XSDDuration("P1M")?.months == 1)
        #expect(XSDDuration("PT1M")?.minutes == 1)
        #expect(XSDDuration("P0D")?.isZero == true)
        #expect(XSDDuration("P30DT0H")?.description == "P30D")
        #expect(XSDDuration("-P1D")?.isNegative == true)
        for text in ["", "P", "PT", "P1DT", "30D", "P1H", "PT1D", "P1.5D", "P1D1Y", "P1M1M", "P-1D", "P1DT2"] {
            #expect(XSDDuration(text) == nil, "\(text)")
        }
    }
}
