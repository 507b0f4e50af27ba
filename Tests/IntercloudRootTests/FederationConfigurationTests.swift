import Testing

@testable import IntercloudRoot

/// The `[s2s]` settings and `--s2s-route` flags (docs/federation.md).
@Suite struct FederationConfigurationTests {
    @Test func routesAndLimitsAreReadFromTheFile() throws {
        var configuration = IntercloudConfiguration()
        try configuration.apply(
            try TOMLDocument(
                parsing: """
                    [s2s]
                    trust_anchors = "/etc/fed.pem"
                    max_queue = 5
                    connect_timeout = 7
                    dialback = false
                    [s2s.routes]
                    "prosody.example" = "127.0.0.1:5270"
                    "v6.example" = "[::1]:5271"
                    """))
        #expect(configuration.s2sRoutes == ["prosody.example": "127.0.0.1:5270", "v6.example": "[::1]:5271"])
        #expect(configuration.s2sTrustAnchors == "/etc/fed.pem")
        #expect(configuration.s2sMaxQueue == 5 && configuration.s2sConnectTimeout == 7 && !configuration.s2sDialback)
    }

    @Test func flagsAddRoutes() throws {
        var configuration = IntercloudConfiguration()
        try configuration.addS2SRoutes(["Peer.Example=10.0.0.1:5269"])
        #expect(configuration.s2sRoutes == ["peer.example": "10.0.0.1:5269"])
        try configuration.validate()
        #expect(throws: CLIError.self) { try configuration.addS2SRoutes(["no-equals-sign"]) }
    }

    @Test(arguments: [
        "[s2s.routes]\n\"peer.example\" = \"nohost\"", "[s2s.routes]\n\"peer.example\" = \"h:99999\"",
        "[s2s.routes]\n\"intercloud.localhost\" = \"127.0.0.1:1\"", "[s2s.routes]\n\"Bad_Name\" = \"127.0.0.1:1\"",
        "[s2s]\nmax_queue = 0", "[s2s]\nconnect_timeout = 0", "[s2s]\nunknown = 1", "[s2s]\ndialback = \"yes\"",
    ])
    func invalidSettingsAreUsageErrors(text: String) {
        var configuration = IntercloudConfiguration()
        #expect(throws: CLIError.self) { try configuration.apply(try TOMLDocument(parsing: text)) }
    }
}
