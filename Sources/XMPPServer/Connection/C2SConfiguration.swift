import XMPPCore

/// Settings of the client-to-server listeners, with safe defaults (RFC 6120 §13.12 denial of service).
public struct C2SConfiguration: Sendable {
    /// The domain served.
    public var domain: String
    /// The listen address.
    public var host: String
    /// The STARTTLS port (0 picks a free one).
    public var port: Int
    /// The direct-TLS port, XEP-0368 (0 picks a free one; nil disables it).
    public var tlsPort: Int?
    /// Whether authentication requires TLS (turn off only for benchmarks).
    public var requireTLS: Bool
    /// Stanza size limit before authentication, in bytes (default 16 KiB).
    public var maxStanzaSizeBeforeAuth: Int
    /// Stanza size limit after authentication, in bytes (default 256 KiB).
    public var maxStanzaSize: Int
    /// Concurrent connections allowed per remote address (0: unlimited).
    public var maxConnectionsPerAddress: Int
    /// Failed SASL attempts per stream before `policy-violation` (RFC 6120 §6.4.5).
    public var maxAuthAttempts: Int
    /// Delays for repeated authentication failures from one address.
    public var authThrottle: AuthFailureThrottle.Policy
    /// Software version reported by XEP-0092.
    public var softwareVersion: String
    /// XEP-0198 limits: unacknowledged stanzas kept, ack-request interval, resumption timeout.
    public var streamManagement: StreamManagementSession.Configuration

    /// Creates a configuration with the defaults above.
    public init(
        domain: String, host: String = "127.0.0.1", port: Int = 5222, tlsPort: Int? = 5223, requireTLS: Bool = true,
        maxStanzaSizeBeforeAuth: Int = 16 * 1024, maxStanzaSize: Int = 256 * 1024, maxConnectionsPerAddress: Int = 100,
        maxAuthAttempts: Int = 5, authThrottle: AuthFailureThrottle.Policy = .init(), softwareVersion: String = "0.1.0",
        streamManagement: StreamManagementSession.Configuration = .init()
    ) {
        self.streamManagement = streamManagement
        self.domain = domain
        self.host = host
        self.port = port
        self.tlsPort = tlsPort
        self.requireTLS = requireTLS
        self.maxStanzaSizeBeforeAuth = maxStanzaSizeBeforeAuth
        self.maxStanzaSize = maxStanzaSize
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.maxAuthAttempts = maxAuthAttempts
        self.authThrottle = authThrottle
        self.softwareVersion = softwareVersion
    }
}
