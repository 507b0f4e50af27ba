import Testing

@testable import IntercloudRoot

@Suite struct TOMLDocumentTests {
    @Test func readsTheConfigurationSubset() throws {
        let document = try TOMLDocument(
            parsing: """
                # comment
                domain = "example.test"   # trailing comment
                c2s_port = 5_222
                'quoted key' = 'C:\\literal'
                [limits]
                max_stanza_size = 65536
                flags = [true, false]
                [log]
                level = "debug\\u0021"
                ratio = 0.5
                """)
        #expect(document.values["domain"] == .string("example.test"))
        #expect(document.values["c2s_port"] == .integer(5222))
        #expect(document.values["quoted key"] == .string("C:\\literal"))
        #expect(document.values["limits.max_stanza_size"] == .integer(65536))
        #expect(document.values["limits.flags"] == .array([.boolean(true), .boolean(false)]))
        #expect(document.values["log.level"] == .string("debug!"))
        #expect(document.values["log.ratio"] == .float(0.5))
    }

    @Test(arguments: [
        ("a = ", 1), ("a = \"open", 1), ("x = 1\nx = 2", 2), ("[[tables]]", 1), ("a = 1 b", 1), ("a = nope", 1),
        ("ok = 1\n\"\"\"multi\"\"\"", 2), ("a = \"bad \\q escape\"", 1),
    ])
    func rejectsWhatItDoesNotUnderstandWithTheLine(text: String, line: Int) {
        #expect(throws: TOMLDocument.ParseError.self) { try TOMLDocument(parsing: text) }
        do {
            _ = try TOMLDocument(parsing: text)
        } catch {
            #expect(error.line == line)
        }
    }

    @Test func configurationAppliesKeysAndRejectsUnknownOnes() throws {
        var configuration = IntercloudConfiguration()
        try configuration.apply(
            try TOMLDocument(parsing: "domain = \"root.test\"\n[limits]\nmax_connections_per_ip = 7\n"))
        #expect(configuration.domain == "root.test")
        #expect(configuration.maxConnectionsPerAddress == 7)
        #expect(throws: CLIError.self) { try configuration.apply(try TOMLDocument(parsing: "bogus = 1")) }
        #expect(throws: CLIError.self) { try configuration.apply(try TOMLDocument(parsing: "c2s_port = \"x\"")) }
        #expect(throws: CLIError.self) { try configuration.apply(try TOMLDocument(parsing: "c2s_port = 70000")) }
        #expect(throws: CLIError.self) {
            try configuration.apply(try TOMLDocument(parsing: "[limits]\nmax_auth_attempts = 9"))
        }
    }

    @Test func cliErrorsMapToContractExitCodes() {
        #expect(CLIError.usage("x").exitCode.rawValue == 64)
        #expect(CLIError.runtime("x").exitCode.rawValue == 1)
    }
}
