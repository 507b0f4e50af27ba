import RDF
import Testing

@testable import SPARQL

/// Date/time accessors (SPARQL 1.1 §17.4.5) and hash functions (§17.4.6), with the W3C expectations.
@Suite struct DateTimeAndHashTests {
    typealias F = Fixture

    /// W3C sparql11/functions data.ttl :d1 … :d4 with year-01 … tz-01.
    static let dates = [
        "2010-06-21T11:28:01Z", "2010-12-21T15:38:02-08:00", "2008-06-20T23:59:00Z", "2011-02-01T01:02:03",
    ]

    @Test func accessorsW3C() throws {
        let expected: [(BuiltinFunction, [Term])] = [
            (.year, [.integer(2010), .integer(2010), .integer(2008), .integer(2011)]),
            (.month, [.integer(6), .integer(12), .integer(6), .integer(2)]),
            (.day, [.integer(21), .integer(21), .integer(20), .integer(1)]),
            (.hours, [.integer(11), .integer(15), .integer(23), .integer(1)]),
            (.minutes, [.integer(28), .integer(38), .integer(59), .integer(2)]),
            (.seconds, [F.decimal("1.0"), F.decimal("2.0"), F.decimal("0.0"), F.decimal("3.0")]),
            (.tz, [.string("Z"), .string("-08:00"), .string("Z"), .string("")]),
        ]
        for (function, values) in expected {
            for (date, value) in zip(Self.dates, values) {
                #expect(try F.call(function, F.dateTime(date)) == value, "\(function)(\(date))")
            }
        }
    }

    /// W3C timezone-01: dayTimeDuration, and an error (unbound) without timezone.
    @Test func timezone() throws {
        let duration = { (lexical: String) in F.typed(lexical, XSD.dayTimeDuration) }
        #expect(try F.call(.timezone, F.dateTime(Self.dates[0])) == duration("PT0S"))
        #expect(try F.call(.timezone, F.dateTime(Self.dates[1])) == duration("-PT8H"))
        #expect(try F.call(.timezone, F.dateTime("2010-01-01T00:00:00+05:30")) == duration("PT5H30M"))
        #expect(try F.call(.timezone, F.dateTime("2010-01-01T00:00:00-00:45")) == duration("-PT45M"))
        #expect(try F.call(.timezone, F.dateTime("2010-01-01T00:00:00+14:00")) == duration("PT14H"))
        #expect(F.fails(.timezone, F.dateTime(Self.dates[3])))
    }

    @Test func fractionalSecondsAndNormalization() throws {
        #expect(try F.call(.seconds, F.dateTime("2010-01-01T00:00:07.250Z")) == F.decimal("7.25"))
        #expect(try F.call(.seconds, F.dateTime("2010-01-01T00:00:59.000001")) == F.decimal("59.000001"))
        #expect(try F.call(.day, F.dateTime("1999-12-31T24:00:00")) == .integer(1))
        #expect(try F.call(.year, F.dateTime("1999-12-31T24:00:00")) == .integer(2000))
        #expect(try F.call(.hours, F.dateTime("1999-12-31T24:00:00")) == .integer(0))
        #expect(try F.call(.year, F.dateTime("-0044-03-15T12:00:00")) == .integer(-44))
        #expect(try F.call(.year, F.dateTime("12345-01-01T00:00:00")) == .integer(12345))
        #expect(try F.call(.day, F.dateTime("2012-02-29T00:00:00")) == .integer(29))
    }

    @Test(arguments: [
        "2011-02-29T00:00:00", "2011-02-01T25:00:00", "2011-02-01T24:00:01", "2011-02-01T00:60:00",
        "2011-02-01T00:00:60", "2011-2-01T00:00:00", "02011-02-01T00:00:00", "2011-02-01 00:00:00",
        "2011-02-01T00:00:00.", "2011-02-01T00:00:00+15:00", "2011-02-01T00:00:00+14:30", "2011-02-01T00:00:00z",
        "2011-02-01", "2011-02-01T00:00:00+0100", "",
    ])
    func invalidDateTimesAreErrors(lexical: String) {
        #expect(F.fails(.year, F.dateTime(lexical)))
    }

    @Test func accessorsNeedDateTimes() {
        #expect(F.fails(.year, .string("2011-02-01T00:00:00Z")))
        #expect(F.fails(.month, F.date("2011-02-01")))
        #expect(F.fails(.tz, .iri("http://a")))
    }

    /// W3C now01: NOW() is an xsd:dateTime — the context's, identical across calls.
    @Test func now() throws {
        let now = try F.call(.now)
        #expect(now == F.dateTime("2011-01-10T14:45:13.815-05:00"))
        #expect(try F.call(.now) == now)
        #expect(try F.call(.datatype, now) == .iri(XSD.dateTime))
    }

    /// W3C md5-01/02, sha1-01/02, sha256-01/02, sha384-01/02, sha512-01/02 ("foo", "食べ物", "食").
    @Test(arguments: [
        (BuiltinFunction.md5, "foo", "acbd18db4cc2f85cedef654fccc4a4d8"),
        (.md5, "食べ物", "e7ada485d13b1decf628c9211bc3a97b"),
        (.sha1, "foo", "0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33"),
        (.sha1, "食", "d46696735b6a09ff407bfc1a9407e008840db9c9"),
        (.sha256, "foo", "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"),
        (.sha256, "食", "0fbe868d1df356ca9df7ebff346da3a56280e059a7ea81186ef885b140d254ee"),
        (
            .sha384, "foo",
            "98c11ffdfdd540676b1a137cb1a22b2a70350c9a44171d6b1180c6be5cbb2ee3f79d532c8a1dd9ef2e8e08e752a3babb"
        ),
        (
            .sha384, "食",
            "adfda7e9ad8789b391855038d0d74dce3efe3af1eefcea35d50b91d6c244a0c546375445b518c9fb61e03e6a060bc95d"
        ),
        (
            .sha512, "foo",
            "f7fbba6e0636f890e56fbbf3283e524c6fa3204ae298382d624741d0dc6638326e282c41be5e4254d8820772c5518a2c5a8c0c7f7eda19594a7eb539453e1ed7"
        ),
        (
            .sha512, "食",
            "b433ed0e60c818bea72d3aa1a43db89b3ed2b624597407b7912bbb7685f2e45ae5500e092da5f938391d282b26bc43e4035b12460c93ab5e2e1a05d582331d85"
        ),
    ])
    func hashes(function: BuiltinFunction, input: String, digest: String) throws {
        #expect(try F.call(function, .string(input)) == .string(digest))
        #expect(try F.call(function, F.typed(input, XSD.string)) == .string(digest))
    }

    @Test func hashesRejectOtherTerms() {
        #expect(F.fails(.md5, F.tagged("foo", "en")))
        #expect(F.fails(.sha1, F.integer("1")))
        #expect(F.fails(.sha256, .iri("http://a")))
        #expect(F.fails(.sha512))
    }
}
