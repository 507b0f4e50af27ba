import Foundation
import Logging
import Testing

@testable import TrustCA

/// Real-peer check: OpenSSL accepts the chain under strict X.509 rules (RFC 5280 §6).
@Suite struct OpenSSLInteropTests {
    static let openssl = "/usr/bin/openssl"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: Self.openssl), "needs /usr/bin/openssl"))
    func opensslVerifiesServerChainStrictly() throws {
        let directory = try TemporaryDirectory("trustca-openssl")
        defer { directory.remove() }
        let logger = Logger(label: "test.trustca.openssl")
        let domain = "intercloud.localhost"
        let ca = try CertificateAuthority.loadOrCreate(
            directory: directory.path, domain: domain, now: Date(), logger: logger)
        let credentials = try ca.loadOrIssueServerCertificate(
            directory: directory.path, domain: domain, now: Date(), logger: logger)

        let files = [
            "root.pem": try ca.root.serializeAsPEM().pemString,
            "intermediate.pem": try ca.intermediate.serializeAsPEM().pemString,
            "server.pem": try credentials.certificateChain[0].serializeAsPEM().pemString,
        ]
        for (name, pem) in files {
            try (pem + "\n").write(toFile: "\(directory.path)/\(name)", atomically: true, encoding: .utf8)
        }

        let (status, output) = try Self.run([
            "verify", "-x509_strict", "-purpose", "sslserver",
            "-CAfile", "\(directory.path)/root.pem",
            "-untrusted", "\(directory.path)/intermediate.pem",
            "\(directory.path)/server.pem",
        ])
        #expect(status == 0, "openssl verify failed: \(output)")
        #expect(output.contains("OK"), "openssl verify output: \(output)")

        // The name constraints admit both SANs; verify the host names explicitly too.
        for host in [domain, "directory.\(domain)"] {
            let (hostStatus, hostOutput) = try Self.run([
                "verify", "-x509_strict", "-verify_hostname", host,
                "-CAfile", "\(directory.path)/root.pem",
                "-untrusted", "\(directory.path)/intermediate.pem",
                "\(directory.path)/server.pem",
            ])
            #expect(hostStatus == 0 && hostOutput.contains("OK"), "\(host): \(hostOutput)")
        }
    }

    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.openssl)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
