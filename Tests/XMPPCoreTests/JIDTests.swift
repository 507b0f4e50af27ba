import Testing

@testable import XMPPCore

/// JID parsing, normalisation and validation (RFC 7622 §3, examples from §3.5).
@Suite struct JIDTests {
    /// A valid input, its canonical form and its parts.
    struct Valid: Sendable, CustomTestStringConvertible {
        var input: String
        var canonical: String
        var local: String?
        var domain: String
        var resource: String?
        var testDescription: String { self.input }
    }

    static let valid: [Valid] = [
        Valid(input: "juliet@example.com", canonical: "juliet@example.com", local: "juliet", domain: "example.com"),
        Valid(
            input: "juliet@example.com/foo", canonical: "juliet@example.com/foo", local: "juliet",
            domain: "example.com", resource: "foo"),
        Valid(
            input: "juliet@example.com/foo bar", canonical: "juliet@example.com/foo bar", local: "juliet",
            domain: "example.com", resource: "foo bar"),
        Valid(
            input: "juliet@example.com/foo@bar", canonical: "juliet@example.com/foo@bar", local: "juliet",
            domain: "example.com", resource: "foo@bar"),
        Valid(
            input: "foo\\20bar@example.com", canonical: "foo\\20bar@example.com", local: "foo\\20bar",
            domain: "example.com"),
        Valid(
            input: "fussball@example.com", canonical: "fussball@example.com", local: "fussball", domain: "example.com"),
        Valid(input: "fußball@example.com", canonical: "fußball@example.com", local: "fußball", domain: "example.com"),
        Valid(input: "π@example.com", canonical: "π@example.com", local: "π", domain: "example.com"),
        Valid(
            input: "Σ@example.com/foo", canonical: "σ@example.com/foo", local: "σ", domain: "example.com",
            resource: "foo"),
        Valid(
            input: "ς@example.com/foo", canonical: "ς@example.com/foo", local: "ς", domain: "example.com",
            resource: "foo"),
        Valid(
            input: "king@example.com/♚", canonical: "king@example.com/♚", local: "king", domain: "example.com",
            resource: "♚"),
        Valid(
            input: "räksmörgås@example.com", canonical: "räksmörgås@example.com", local: "räksmörgås",
            domain: "example.com"),
        // Decomposed "ä" (a + U+0308) is composed by NFC.
        Valid(
            input: "ra\u{308}ksmo\u{308}rga\u{30A}s@example.com", canonical: "räksmörgås@example.com",
            local: "räksmörgås", domain: "example.com"),
        Valid(input: "example.com", canonical: "example.com", domain: "example.com"),
        Valid(input: "example.com/foobar", canonical: "example.com/foobar", domain: "example.com", resource: "foobar"),
        Valid(
            input: "a.example.com/b@example.net", canonical: "a.example.com/b@example.net", domain: "a.example.com",
            resource: "b@example.net"),
        Valid(
            input: "JULIET@EXAMPLE.COM/Balcony", canonical: "juliet@example.com/Balcony", local: "juliet",
            domain: "example.com", resource: "Balcony"),
        Valid(input: "juliet@example.com.", canonical: "juliet@example.com", local: "juliet", domain: "example.com"),
        Valid(
            input: "user@192.0.2.1/r", canonical: "user@192.0.2.1/r", local: "user", domain: "192.0.2.1", resource: "r"),
        Valid(input: "user@[2001:DB8::1]", canonical: "user@[2001:db8::1]", local: "user", domain: "[2001:db8::1]"),
        Valid(input: "[::ffff:192.0.2.1]", canonical: "[::ffff:192.0.2.1]", domain: "[::ffff:192.0.2.1]"),
        Valid(input: "ｊｕｌｉｅｔ@example.com", canonical: "juliet@example.com", local: "juliet", domain: "example.com"),
        Valid(input: "münchen.example", canonical: "münchen.example", domain: "münchen.example"),
        Valid(
            input: "x@xn--mnchen-3ya.example", canonical: "x@xn--mnchen-3ya.example", local: "x",
            domain: "xn--mnchen-3ya.example"),
        Valid(
            input: "a@b/c/d", canonical: "a@b/c/d", local: "a", domain: "b", resource: "c/d"),
        Valid(
            input: String(repeating: "a", count: 1023) + "@example.com",
            canonical: String(repeating: "a", count: 1023) + "@example.com",
            local: String(repeating: "a", count: 1023), domain: "example.com"),
    ]

    @Test(arguments: Self.valid)
    func validJIDs(_ example: Valid) throws {
        let jid = try JID(parsing: example.input)
        #expect(jid.description == example.canonical)
        #expect(jid.localpart == example.local)
        #expect(jid.domainpart == example.domain)
        #expect(jid.resourcepart == example.resource)
        #expect(jid.isBare == (example.resource == nil))
        #expect(try JID(parsing: jid.description) == jid, "canonical form is stable")
        #expect(JID(example.input) == jid)
    }

    static let invalid: [(String, JIDError.Code)] = [
        ("", .empty),
        ("\"juliet\"@example.com", .forbiddenCharacter),
        ("foo bar@example.com", .forbiddenCharacter),
        ("juliet@example.com/ foo", .forbiddenCharacter),
        ("@example.com/", .emptyLocalpart),
        ("@example.com", .emptyLocalpart),
        ("henry\u{2163}@example.com", .forbiddenCharacter),
        ("♚@example.com", .forbiddenCharacter),
        ("juliet@", .emptyDomainpart),
        ("/foobar", .emptyDomainpart),
        ("/foo", .emptyDomainpart),
        ("example.com/", .emptyResourcepart),
        ("juliet@example.com/", .emptyResourcepart),
        (String(repeating: "a", count: 1024) + "@example.com", .tooLong),
        ("a@" + String(repeating: "b.", count: 512) + "c", .tooLong),
        ("a@example.com/" + String(repeating: "r", count: 1024), .tooLong),
        ("juliet@example..com", .invalidDomain),
        ("juliet@exa mple.com", .invalidDomain),
        ("juliet@@example.com", .invalidDomain),
        ("juliet@-example.com", .invalidDomain),
        ("juliet@example_com", .invalidDomain),
        ("juliet@" + String(repeating: "l", count: 64) + ".com", .invalidDomain),
        ("juliet@[2001:db8::1", .invalidDomain),
        ("juliet@[not:an:ip]", .invalidDomain),
        ("juliet@.", .emptyDomainpart),
        ("jul<iet@example.com", .forbiddenCharacter),
        ("jul:iet@example.com", .forbiddenCharacter),
        ("jul\u{7}iet@example.com", .forbiddenCharacter),
        ("juliet@example.com/a\u{0}b", .forbiddenCharacter),
        ("juliet@example.com/a\nb", .forbiddenCharacter),
    ]

    @Test(arguments: Self.invalid)
    func invalidJIDs(_ input: String, _ code: JIDError.Code) {
        #expect {
            try JID(parsing: input)
        } throws: { error in
            (error as? JIDError)?.code == code
        }
        #expect(JID(input) == nil)
    }

    @Test func bareAndResource() throws {
        let full = try JID(parsing: "Juliet@Example.com/Balcony")
        #expect(full.bare == (try JID(parsing: "juliet@example.com")))
        #expect(full.bare.isBare)
        #expect(!full.isBare)
        let other = try full.bare.withResource("Chamber")
        #expect(other.description == "juliet@example.com/Chamber")
        #expect(throws: JIDError(.emptyResourcepart, reason: "the resourcepart is empty")) {
            try full.withResource("")
        }
        #expect(
            try JID(localpart: "ROMEO", domainpart: "Example.NET", resourcepart: "Orchard").description
                == "romeo@example.net/Orchard")
        #expect(throws: JIDError.self) { try JID(localpart: "", domainpart: "example.net", resourcepart: nil) }
    }

    @Test func equalityIsOnCanonicalForm() throws {
        #expect(try JID(parsing: "JULIET@example.COM") == JID(parsing: "juliet@example.com"))
        #expect(try JID(parsing: "juliet@example.com/A") != JID(parsing: "juliet@example.com/a"))
        let set: Set<JID> = [try JID(parsing: "a@b"), try JID(parsing: "A@B.")]
        #expect(set.count == 1)
    }
}
