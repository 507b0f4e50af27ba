import Foundation
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One running `intercloud serve` on free loopback ports with a temporary data directory, like
/// `Tests/Integration/conftest.py`: the binary is `INTERCLOUD_BIN`, else `<repo>/.build/debug/intercloud`.
final class RootProcess: Sendable {
    let domain = "intercloud.localhost"
    let binary: String
    let dataDirectory: URL
    let ports: [String: Int]
    private let process: Process
    private let output: LogBuffer

    /// Starts the server and waits (at most 90 s) for its `ready c2s=N c2s_tls=N http=N` line.
    init() async throws {
        self.binary = try Self.locateBinary()
        self.dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("intercloud-client-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.dataDirectory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: self.binary)
        process.arguments = [
            "serve", "--data-dir", self.dataDirectory.path, "--domain", self.domain, "--bind", "127.0.0.1",
            "--c2s-port", "0", "--c2s-tls-port", "0", "--s2s-port", "0", "--http-port", "0",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = LogBuffer()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        self.process = process
        self.output = output
        var ports: [String: Int]?
        let deadline = ContinuousClock.now + .seconds(90)
        while ports == nil, process.isRunning, ContinuousClock.now < deadline {
            ports = output.text.withLock { Self.readyPorts($0) }
            if ports == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard let ports, ports["c2s"] != nil, ports["c2s_tls"] != nil, ports["http"] != nil else {
            process.terminate()
            throw RootError.notReady(output.text.withLock { $0 })
        }
        self.ports = ports
    }

    /// The binary to test: `INTERCLOUD_BIN`, or `.build/debug/intercloud` of the repository holding this file.
    static func locateBinary(filePath: String = #filePath) throws -> String {
        if let path = ProcessInfo.processInfo.environment["INTERCLOUD_BIN"], !path.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: path) else { throw RootError.noBinary(path) }
            return path
        }
        var directory = URL(fileURLWithPath: filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent(".build/debug/intercloud").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw RootError.noBinary("INTERCLOUD_BIN unset and no .build/debug/intercloud above \(filePath)")
    }

    /// The ports of the `ready` line (`ready c2s=N c2s_tls=N http=N`), once logged.
    private static func readyPorts(_ output: String) -> [String: Int]? {
        for line in output.split(separator: "\n") {
            guard let range = line.range(of: " ready ") else { continue }
            var ports: [String: Int] = [:]
            for pair in line[range.upperBound...].split(separator: " ") {
                let parts = pair.split(separator: "=")
                if parts.count == 2, let port = Int(parts[1]) { ports[String(parts[0])] = port }
            }
            return ports
        }
        return nil
    }

    /// The admin token written on first start (CONTRACT §2).
    var adminToken: String {
        get throws {
            try String(contentsOf: self.dataDirectory.appendingPathComponent("admin.token"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// `intercloud registry add NAME --password-stdin` on this data directory (CONTRACT §3).
    func addCloud(_ name: String, password: String) throws {
        let result = try Self.run(
            self.binary,
            [
                "registry", "add", name, "--password-stdin", "--data-dir", self.dataDirectory.path, "--domain",
                self.domain,
            ],
            stdin: password + "\n")
        guard result.status == 0 else { throw RootError.command("registry add \(name)", result.output) }
    }

    /// An HTTP request to the admin API on 127.0.0.1 (CONTRACT §4), with the admin token when `authorized`.
    func http(_ method: String, _ path: String, body: Data? = nil, authorized: Bool = false) async throws
        -> (status: Int, body: String)
    {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(self.ports["http"]!)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        if authorized { request.setValue("Bearer \(try self.adminToken)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Stops the server by PID (SIGTERM, then SIGKILL after 20 s) and removes the data directory.
    func stop() async {
        if self.process.isRunning {
            self.process.terminate()
            for _ in 0..<200 where self.process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
            if self.process.isRunning { kill(self.process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: self.dataDirectory)
    }

    /// Everything the server logged so far, for failure messages.
    var log: String { self.output.text.withLock { $0 } }

    /// Runs a command to completion and returns its exit status and combined output.
    static func run(_ executable: String, _ arguments: [String], stdin: String? = nil) throws
        -> (status: Int32, output: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The server's output, appended by the pipe's reader thread.
    final class LogBuffer: Sendable {
        let text = Mutex("")
    }

    enum RootError: Error, CustomStringConvertible {
        case noBinary(String)
        case notReady(String)
        case command(String, String)

        var description: String {
            switch self {
            case .noBinary(let detail): "no intercloud binary to test (build it or set INTERCLOUD_BIN): \(detail)"
            case .notReady(let log): "intercloud did not become ready:\n\(log)"
            case .command(let command, let output): "\(command) failed:\n\(output)"
            }
        }
    }
}
