import Foundation
import Testing

@testable import Harness

/// Runs the whole harness against a root it starts itself: `INTERCLOUD_BIN`, else `<repo>/.build/debug/intercloud`.
@Suite("Live harness run against a started root (issue 6)", .serialized)
struct LiveHarnessTests {
    /// The binary to test; fails loudly when there is none.
    static func binary(filePath: String = #filePath) throws -> String {
        if let path = ProcessInfo.processInfo.environment["INTERCLOUD_BIN"], !path.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw HarnessError(.invalidConfiguration, "INTERCLOUD_BIN=\(path) is not executable")
            }
            return path
        }
        var directory = URL(fileURLWithPath: filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent(".build/debug/intercloud").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw HarnessError(
            .invalidConfiguration, "no intercloud binary: set INTERCLOUD_BIN or build .build/debug/intercloud")
    }

    @Test("six clouds pass every step")
    func sixClouds() async throws {
        let binary = try Self.binary()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harness-it-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = HarnessConfiguration(
            domain: "harness.test", clouds: 6, concurrency: 4, seed: 7, runID: "it", offlineFraction: 0.34,
            startRoot: .init(binary: binary, dataDirectory: directory.path))
        let report = await Harness.run(configuration, progress: nil)
        #expect(report.passed, "\(report.text())")
        #expect(report.domain == "harness.test")
        #expect(
            report.steps.map(\.name) == [
                "start-root", "discover", "register", "certificate", "login", "publish", "directory-sync", "match",
                "negotiate", "agreements", "offline", "offline-visible", "online", "online-visible", "logout",
                "unregister", "stop-root",
            ])
        for name in ["register", "certificate", "login", "publish", "logout", "unregister"] {
            #expect(report.step(name)?.passed == 6, "\(name)")
        }
        #expect(report.step("match")?.passed == 6)
        #expect(report.step("negotiate")?.passed == 3)
        #expect(report.step("agreements")?.passed == 3)
        #expect(report.step("offline")?.passed == 2)
        #expect(report.totals.failed == 0 && report.totals.skipped == 0)
    }

    @Test("a root that cannot start is reported, not thrown")
    func noRoot() async {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harness-it-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = HarnessConfiguration(
            clouds: 2, startRoot: .init(binary: "/nonexistent/intercloud", dataDirectory: directory.path))
        let report = await Harness.run(configuration, progress: nil)
        #expect(!report.passed)
        #expect(report.steps.map(\.name) == ["start-root"])
        #expect(report.steps[0].failures.first?.hasPrefix("rootStartFailed") == true)
    }
}
