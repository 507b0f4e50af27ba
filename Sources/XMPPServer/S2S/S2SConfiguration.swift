/// Where to connect for one remote domain (RFC 6120 §3.2).
public struct S2SRoute: Sendable, Hashable, CustomStringConvertible {
    /// A host name or address.
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Creates a route.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` (an IPv6 address in brackets: `[::1]:5269`); nil when malformed.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    /// `host:port`.
    public var description: String {
        self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
    }
}

/// Settings of the server-to-server listener and the outgoing connections (RFC 6120 §4–§6, §13.12).
public struct S2SConfiguration: Sendable {
    /// The domain served.
    public var domain: String
    /// Subdomains served by in-process components (e.g. `directory.D`), reachable from other servers too.
    public var componentDomains: Set<String>
    /// The listen address.
    public var host: String
    /// The listen port (0 picks a free one).
    public var port: Int
    /// Static routes by remote domain; other domains are reached at `DOMAIN:defaultPort` (RFC 6120 §3.2.2
    /// fallback, without SRV lookups).
    public var routes: [String: S2SRoute]
    /// The port of the fallback route (5269, RFC 6120 §3.2.2).
    public var defaultPort: Int
    /// Stanzas queued per remote domain while its connection is set up; beyond it they bounce.
    public var maxQueuedStanzas: Int
    /// Seconds allowed to connect and authenticate before queued stanzas bounce with `remote-server-timeout`.
    public var connectTimeout: Int64
    /// Whether dialback (XEP-0220) is offered and used when SASL EXTERNAL is not possible.
    public var dialback: Bool
    /// Stanza size limit before the peer is authenticated, in bytes.
    public var maxStanzaSizeBeforeAuth: Int
    /// Stanza size limit afterwards, in bytes.
    public var maxStanzaSize: Int

    /// Creates a configuration with the defaults above.
    public init(
        domain: String, componentDomains: Set<String> = [], host: String = "127.0.0.1", port: Int = 5269,
        routes: [String: S2SRoute] = [:], defaultPort: Int = 5269, maxQueuedStanzas: Int = 1000,
        connectTimeout: Int64 = 30, dialback: Bool = true, maxStanzaSizeBeforeAuth: Int = 16 * 1024,
        maxStanzaSize: Int = 256 * 1024
    ) {
        self.domain = domain
        self.componentDomains = componentDomains
        self.host = host
        self.port = port
        self.routes = routes
        self.defaultPort = defaultPort
        self.maxQueuedStanzas = maxQueuedStanzas
        self.connectTimeout = connectTimeout
        self.dialback = dialback
        self.maxStanzaSizeBeforeAuth = maxStanzaSizeBeforeAuth
        self.maxStanzaSize = maxStanzaSize
    }

    /// Every domain served here.
    public var localDomains: Set<String> { self.componentDomains.union([self.domain]) }

    /// Where to connect for `domain`: its static route, else the domain itself on ``defaultPort``.
    public func route(for domain: String) -> S2SRoute {
        self.routes[domain] ?? S2SRoute(host: domain, port: self.defaultPort)
    }
}
