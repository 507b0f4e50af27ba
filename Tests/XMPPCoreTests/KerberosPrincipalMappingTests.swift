import Testing

@testable import XMPPCore

/// Principal → localpart rules for SASL GSSAPI (RFC 4752 §3.1 authorization of `src_name`).
@Suite struct KerberosPrincipalMappingTests {
    @Test(
        arguments: [
            ("alpha@EXAMPLE.ORG", "alpha"),
            ("cloud-7@EXAMPLE.ORG", "cloud-7"),
            ("alpha/admin@EXAMPLE.ORG", nil),  // an instance is another principal, not the cloud
            ("alpha@OTHER.ORG", nil),
            ("alpha@EXAMPLExORG", nil),  // the realm's dots are literal
            ("alpha@example.org", nil),  // realms are case-sensitive (RFC 4120 §6.1)
            ("@EXAMPLE.ORG", nil),
            ("alpha@EXAMPLE.ORG.evil", nil),  // the whole principal must match
        ] as [(String, String?)])
    func theDefaultRuleMapsNameAtRealmToName(principal: String, localpart: String?) throws {
        let mapping = try KerberosPrincipalMapping(realm: "EXAMPLE.ORG")
        #expect(mapping.localpart(for: principal) == localpart)
    }

    @Test func aCustomRuleCanMapInstancesAndOtherRealms() throws {
        let mapping = try KerberosPrincipalMapping(
            realm: "EXAMPLE.ORG", pattern: #"([a-z0-9-]+)/cloud@(EXAMPLE|PARTNER)\.ORG"#, template: "$2-$1")
        #expect(mapping.localpart(for: "alpha/cloud@PARTNER.ORG") == "PARTNER-alpha")
        #expect(mapping.localpart(for: "alpha@EXAMPLE.ORG") == nil)
    }

    @Test func aTemplateReferringToAMissingGroupMapsNothing() throws {
        let mapping = try KerberosPrincipalMapping(realm: "EXAMPLE.ORG", pattern: "(.+)@EXAMPLE.ORG", template: "$3")
        #expect(mapping.localpart(for: "alpha@EXAMPLE.ORG") == nil)
        let literal = try KerberosPrincipalMapping(realm: "EXAMPLE.ORG", template: "cloud-$1$")
        #expect(literal.localpart(for: "alpha@EXAMPLE.ORG") == "cloud-alpha$")
    }

    @Test func invalidConfigurationsAreRefused() {
        #expect(throws: KerberosPrincipalMapping.Invalid.self) { try KerberosPrincipalMapping(realm: "") }
        #expect(throws: KerberosPrincipalMapping.Invalid.self) { try KerberosPrincipalMapping(realm: "A@B") }
        #expect(throws: KerberosPrincipalMapping.Invalid.self) {
            try KerberosPrincipalMapping(realm: "EXAMPLE.ORG", pattern: "(unclosed")
        }
    }
}
