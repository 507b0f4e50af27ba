import ArgumentParser
import Foundation
import Harness

/// `intercloud harness` (issue 6): drives a whole federation scenario against a running root or one it starts —
/// registration, certificates, EXTERNAL logins, capability publication, matching, negotiation, offline and back —
/// and reports pass/fail, counts and latency percentiles per step. Exit 0 when every step passed, 1 otherwise.
struct HarnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harness",
        abstract: "Run the federation test harness against a root (started here, or external with --http-port).")

    @Option(name: .long, help: "Number of simulated clouds.") var clouds = 50
    @Option(name: .long, help: "Operations in flight at once.") var concurrency = 32
    @Option(name: .long, help: "Seed for the generated descriptions and scenario.") var seed: UInt64 = 42
    @Option(name: .long, help: "Host of an external root (default 127.0.0.1).") var host = "127.0.0.1"
    @Option(name: .customLong("port"), help: "c2s port of an external root (default: from /v1/health).")
    var c2sPort: Int?
    @Option(name: .customLong("http-port"), help: "HTTP port of an external root; without it a root is started.")
    var httpPort: Int?
    @Option(name: .long, help: "XMPP domain of an external root (default: from /v1/health).") var domain: String?
    @Option(name: .customLong("token-file"), help: "File holding an external root's admin token (DATA/admin.token).")
    var tokenFile: String?
    @Option(name: .customLong("offline-fraction"), help: "Share of clouds taken offline and back (default 0.2).")
    var offlineFraction = 0.2
    @Flag(name: .customLong("keep-clouds"), help: "Leave the registered clouds in the registry afterwards.")
    var keepClouds = false
    @Flag(name: .long, help: "Print the report as JSON.") var json = false

    func run() async throws {
        try await withExitCodes {
            var configuration = HarnessConfiguration(
                host: self.host, c2sPort: self.c2sPort, domain: self.domain, clouds: self.clouds,
                concurrency: self.concurrency, seed: self.seed, offlineFraction: self.offlineFraction,
                removeClouds: !self.keepClouds)
            var started: URL? = nil
            if let port = self.httpPort {
                configuration.httpPort = port
                guard let tokenFile = self.tokenFile else {
                    throw CLIError.usage("an external root (--http-port) needs --token-file with its admin token")
                }
                do {
                    configuration.adminToken = try String(contentsOfFile: tokenFile, encoding: .utf8)
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                } catch {
                    throw CLIError.usage("cannot read the token file \(tokenFile): \(error.localizedDescription)")
                }
            } else {
                let directory = FileManager.default.temporaryDirectory
                    .appendingPathComponent("intercloud-harness-\(UUID().uuidString)")
                started = directory
                configuration.startRoot = .init(
                    binary: Bundle.main.executablePath ?? CommandLine.arguments[0], dataDirectory: directory.path)
            }
            if let problem = configuration.validate() { throw CLIError.usage("\(problem)") }
            defer { if let started { try? FileManager.default.removeItem(at: started) } }
            let report = await Harness.run(configuration, progress: TerminalProgress())
            print(self.json ? report.json() : report.text())
            if !report.passed { throw ExitCode(1) }
        }
    }
}
