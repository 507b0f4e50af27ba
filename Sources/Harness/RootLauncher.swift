import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A root the harness runs itself: `intercloud serve --data-dir DIR` on free loopback ports (CONTRACT §2), ready
/// once it logs `ready c2s=N c2s_tls=N http=N` on standard error, stopped by PID at the end.
///
/// The child's output is drained continuously (a full pipe would block it); the last lines are kept for the
/// failure message. A configuration file in the data directory lifts the per-address connection limit, since every
/// simulated cloud connects from 127.0.0.1 (docs/configuration.md `[limits] max_connections_per_ip`).
final class RootLauncher: Sendable {
    /// The ports of the `ready` line: `c2s`, `c2s_tls`, `http`.
    let ports: [String: Int]
    /// The admin token from `DIR/admin.token`.
    let adminToken: String
    private let process: Process
    private let output: OutputTail

    private init(ports: [String: Int], adminToken: String, process: Process, output: OutputTail) {
        self.ports = ports
        self.adminToken = adminToken
        self.process = process
        self.output = output
    }

    /// The child's process id.
    var pid: Int32 { self.process.processIdentifier }

    /// Starts the root and waits for its `ready` line (at most `timeout`).
    static func start(_ launch: HarnessConfiguration.RootLaunch, domain: String?, timeout: Duration)
        async throws(HarnessError) -> RootLauncher
    {
        let directory = URL(fileURLWithPath: launch.dataDirectory)
        let config = directory.appendingPathComponent("harness-root.toml")
        let process = Process()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data("[limits]\nmax_connections_per_ip = 0\n".utf8).write(to: config)
        } catch {
            throw HarnessError(.rootStartFailed, "cannot prepare \(launch.dataDirectory): \(error)")
        }
        process.executableURL = URL(fileURLWithPath: launch.binary)
        var arguments = [
            "serve", "--config", config.path, "--data-dir", launch.dataDirectory, "--c2s-port", "0", "--c2s-tls-port",
            "0", "--http-port", "0", "--s2s-port", "0",
        ]
        if let domain { arguments += ["--domain", domain] }
        process.arguments = arguments + launch.extraArguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let output = OutputTail()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                output.append(data)
            }
        }
        do {
            try process.run()
        } catch {
            throw HarnessError(.rootStartFailed, "cannot run \(launch.binary): \(error)")
        }
        let deadline = ContinuousClock.now + timeout
        var ports: [String: Int]?
        while ports == nil, process.isRunning, ContinuousClock.now < deadline {
            ports = output.readyPorts
            if ports == nil { try? await Task.sleep(for: .milliseconds(50)) }
        }
        guard let ports, ports["c2s"] != nil, ports["http"] != nil else {
            let launcher = RootLauncher(ports: [:], adminToken: "", process: process, output: output)
            _ = await launcher.stop(timeout: .seconds(5))
            throw HarnessError(
                .rootStartFailed, "no ready line within \(timeout); last output:\n\(output.tail(lines: 20))")
        }
        let tokenFile = directory.appendingPathComponent("admin.token")
        let token = (try? String(contentsOf: tokenFile, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let launcher = RootLauncher(ports: ports, adminToken: token ?? "", process: process, output: output)
        guard let token, !token.isEmpty else {
            _ = await launcher.stop(timeout: .seconds(5))
            throw HarnessError(.rootStartFailed, "no admin token in \(tokenFile.path)")
        }
        return launcher
    }

    /// Sends SIGTERM to the child and waits for it to exit (SIGKILL after `timeout`); returns its exit status, or
    /// nil when it had to be killed.
    func stop(timeout: Duration) async -> Int32? {
        guard self.process.isRunning else { return self.process.terminationStatus }
        kill(self.process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + timeout
        while self.process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        guard self.process.isRunning else { return self.process.terminationStatus }
        kill(self.process.processIdentifier, SIGKILL)
        for _ in 0..<100 where self.process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        return nil
    }

    /// The last lines the root wrote.
    func tail(lines: Int) -> String { self.output.tail(lines: lines) }

    /// The ports of a `ready` line, e.g. `… notice intercloud: [IntercloudRoot] ready c2s=5222 c2s_tls=5223
    /// http=5280` → `["c2s": 5222, "c2s_tls": 5223, "http": 5280]`; nil for any other line, or one without the
    /// `c2s` and `http` ports (CONTRACT §2).
    static func readyPorts(inLine line: Substring) -> [String: Int]? {
        guard let range = line.range(of: " ready ") else { return nil }
        var ports: [String: Int] = [:]
        for pair in line[range.upperBound...].split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let port = Int(parts[1]), (1...65_535).contains(port) else { continue }
            ports[String(parts[0])] = port
        }
        return ports["c2s"] != nil && ports["http"] != nil ? ports : nil
    }
}

/// The end of a child's output, appended from the pipe's reader thread; remembers the `ready` ports once seen.
final class OutputTail: Sendable {
    private struct State {
        var partial = ""
        var lines: [String] = []
        var ready: [String: Int]?
    }

    private static let keptLines = 200
    private let state = Mutex(State())

    /// Appends a chunk of output.
    func append(_ data: Data) {
        self.state.withLock { state in
            state.partial += String(decoding: data, as: UTF8.self)
            while let newline = state.partial.firstIndex(of: "\n") {
                let line = String(state.partial[..<newline])
                state.partial.removeSubrange(...newline)
                if state.ready == nil { state.ready = RootLauncher.readyPorts(inLine: Substring(line)) }
                state.lines.append(line)
                if state.lines.count > Self.keptLines { state.lines.removeFirst(state.lines.count - Self.keptLines) }
            }
        }
    }

    /// The ports of the `ready` line, once logged.
    var readyPorts: [String: Int]? { self.state.withLock { $0.ready } }

    /// The last `lines` complete lines.
    func tail(lines: Int) -> String {
        self.state.withLock { $0.lines.suffix(lines).joined(separator: "\n") }
    }
}
