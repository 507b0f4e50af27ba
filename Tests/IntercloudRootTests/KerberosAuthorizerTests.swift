import Foundation
import Registry
import Testing
import XMPPCore
import XMPPServer

@testable import IntercloudRoot

/// Principal → cloud authorization for SASL GSSAPI (RFC 4752 §3.1) against an in-memory registry, and the
/// `[kerberos]` configuration that sets it up.
@Suite struct KerberosAuthorizerTests {
    static let domain = "intercloud.localhost"

    /// A registry with active `alpha` and suspended `bravo`, and the default mapping for EXAMPLE.ORG.
    static func authorizer() async throws -> (KerberosAuthorizer, InMemoryRegistryStore) {
        let store = InMemoryRegistryStore()
        for (name, status) in [("alpha", CloudStatus.active), ("bravo", .suspended)] {
            var entry = try CloudEntry.new(
                name: CloudName(name), password: nil, endpoints: [], trustLevel: 0, contact: nil,
                now: Date(timeIntervalSince1970: 0), saltGenerator: { [UInt8](repeating: 1, count: 16) })
            entry.status = status
            try await store.add(entry)
        }
        let mapping = try KerberosPrincipalMapping(realm: "EXAMPLE.ORG")
        return (KerberosAuthorizer(mapping: mapping, registry: store, domain: Self.domain), store)
    }

    @Test func aRegisteredActiveCloudIsItsBareJID() async throws {
        let (authorizer, _) = try await Self.authorizer()
        let jid = try JID(parsing: "alpha@\(Self.domain)")
        #expect(try await authorizer.authorize(principal: "alpha@EXAMPLE.ORG", authzid: nil).get() == jid)
        #expect(try await authorizer.authorize(principal: "alpha@EXAMPLE.ORG", authzid: "\(jid)").get() == jid)
    }

    @Test(
        arguments: [
            ("ghost@EXAMPLE.ORG", nil, SASLFailure.notAuthorized, "maps to cloud ghost, not registered"),
            ("alpha/admin@EXAMPLE.ORG", nil, .notAuthorized, "does not match the mapping rule"),
            ("alpha@OTHER.ORG", nil, .notAuthorized, "does not match the mapping rule"),
            ("Alpha@EXAMPLE.ORG", nil, .notAuthorized, "not a cloud name"),
            ("bravo@EXAMPLE.ORG", nil, .accountDisabled, "maps to cloud bravo, suspended"),
            ("alpha@EXAMPLE.ORG", "bravo@intercloud.localhost", .invalidAuthzid, "asked to act as 'bravo@"),
            ("alpha@EXAMPLE.ORG", "alpha", .invalidAuthzid, "asked to act as 'alpha'"),
            ("alpha@EXAMPLE.ORG", "alpha@intercloud.localhost/res", .invalidAuthzid, "asked to act as"),
        ] as [(String, String?, SASLFailure, String)])
    func refusalsNameTheirReason(principal: String, authzid: String?, condition: SASLFailure, reason: String)
        async throws
    {
        let (authorizer, _) = try await Self.authorizer()
        guard case .failure(let refusal) = await authorizer.authorize(principal: principal, authzid: authzid) else {
            Issue.record("\(principal) must be refused")
            return
        }
        #expect(refusal.condition == condition)
        #expect(refusal.reason.contains(reason), "\(refusal.reason)")
    }

    @Test func nothingIsCachedBetweenAttempts() async throws {
        let (authorizer, store) = try await Self.authorizer()
        await #expect(throws: KerberosRefusal.self) {
            try await authorizer.authorize(principal: "bravo@EXAMPLE.ORG", authzid: nil).get()
        }
        var bravo = try #require(try await store.entry(named: CloudName("bravo")))
        bravo.status = .active
        try await store.update(bravo)
        #expect(try await authorizer.authorize(principal: "bravo@EXAMPLE.ORG", authzid: nil).get().localpart == "bravo")
        bravo.status = .suspended
        try await store.update(bravo)
        await #expect(throws: KerberosRefusal.self) {
            try await authorizer.authorize(principal: "bravo@EXAMPLE.ORG", authzid: nil).get()
        }
    }

    @Test func theKerberosTableConfiguresTheAcceptorAndTheMapping() throws {
        var configuration = IntercloudConfiguration()
        try configuration.apply(
            try TOMLDocument(
                parsing: """
                    domain = "im.example.org"
                    [kerberos]
                    keytab = "/etc/intercloud/xmpp.keytab"
                    realm = "EXAMPLE.ORG"
                    principal_pattern = '([a-z0-9-]+)/cloud@EXAMPLE\\.ORG'
                    """))
        #expect(configuration.kerberosServicePrincipal == "xmpp/im.example.org@EXAMPLE.ORG")
        #expect(try configuration.kerberosMapping().localpart(for: "alpha/cloud@EXAMPLE.ORG") == "alpha")
        configuration.kerberosHost = "xmpp.example.org"
        configuration.kerberosService = "jabber"
        #expect(configuration.kerberosServicePrincipal == "jabber/xmpp.example.org@EXAMPLE.ORG")
    }

    @Test(arguments: [
        "[kerberos]\nkeytab = \"/k\"",  // no realm
        "[kerberos]\nkeytab = \"/k\"\nrealm = \"EXAMPLE.ORG\"\nprincipal_pattern = \"(\"",
        "[kerberos]\nkeytab = \"/k\"\nrealm = \"EXAMPLE.ORG\"\nservice = \"xmpp/x\"",
        "[ldap]\nsasl_mech = \"DIGEST-MD5\"",
    ])
    func badKerberosSettingsAreUsageErrors(text: String) throws {
        var configuration = IntercloudConfiguration()
        let error = #expect(throws: CLIError.self) { try configuration.apply(try TOMLDocument(parsing: text)) }
        #expect(error?.exitCode.rawValue == 64)
    }
}
