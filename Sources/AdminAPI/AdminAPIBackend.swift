/// What the admin API needs from the rest of the process.
///
/// Declared here so the API does not import the server; the executable wires a concrete backend in
/// (STYLE: small protocols declared below, wired by the executable).
public protocol AdminAPIBackend: Sendable {
    /// The current health of the process, served by `GET /v1/health` (CONTRACT §4).
    func health() async -> HealthReport

    /// PEM of the issuing intermediate then the root, served by `GET /v1/ca/certificates` (CONTRACT §4).
    func caChainPEM() async -> String
}

/// The body of `GET /v1/health` (CONTRACT §4): status and the bound ports of every listener.
public struct HealthReport: Sendable, Codable, Equatable {
    /// `"ok"` when every service is running.
    public var status: String

    /// The XMPP domain served (CONTRACT §2 `--domain`).
    public var domain: String

    /// Bound port per listener: `"c2s"`, `"c2s_tls"`, `"s2s"`, `"http"` (CONTRACT §2; port 0 resolved).
    public var ports: [String: Int]

    /// Number of live XMPP sessions.
    public var sessions: Int

    /// The server's version string.
    public var version: String

    /// Creates a report.
    public init(status: String, domain: String, ports: [String: Int], sessions: Int, version: String) {
        self.status = status
        self.domain = domain
        self.ports = ports
        self.sessions = sessions
        self.version = version
    }
}
