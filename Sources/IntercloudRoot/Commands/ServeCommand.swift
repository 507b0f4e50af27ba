import ArgumentParser
import Foundation
import Logging

/// `intercloud serve` (CONTRACT §2): every service in one process under one ServiceGroup.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the root: XMPP c2s, the admin HTTP API and the certificate authority.")

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Listen address for every listener (default 127.0.0.1).") var bind: String?
    @Option(name: .customLong("c2s-port"), help: "Client-to-server STARTTLS port (default 5222; 0 = any).")
    var c2sPort: Int?
    @Option(name: .customLong("c2s-tls-port"), help: "Client-to-server direct TLS port, XEP-0368 (default 5223).")
    var c2sTLSPort: Int?
    @Option(name: .customLong("s2s-port"), help: "Server-to-server port (default 5269; 0 = any).")
    var s2sPort: Int?
    @Option(name: .customLong("s2s-route"), help: "Static s2s route DOMAIN=HOST:PORT (repeatable).")
    var s2sRoutes: [String] = []
    @Option(name: .customLong("s2s-trust-anchors"), help: "PEM bundle of CAs trusted for peer servers.")
    var s2sTrustAnchors: String?
    @Option(name: .customLong("s2s-max-queue"), help: "Stanzas queued per remote domain (default 1000).")
    var s2sMaxQueue: Int?
    @Option(name: .customLong("s2s-connect-timeout"), help: "Seconds to set up an s2s stream (default 30).")
    var s2sConnectTimeout: Int?
    @Option(name: .customLong("s2s-dialback"), help: "Allow server dialback, XEP-0220 (true/false; default true).")
    var s2sDialback: Bool?
    @Option(name: .customLong("http-port"), help: "Admin HTTP API port (default 5280; 0 = any).") var httpPort: Int?
    @Flag(name: .customLong("allow-plaintext-auth"), help: "Allow SASL without TLS on c2s (benchmarks only).")
    var allowPlaintextAuth = false
    @Option(name: .customLong("sparql-timeout-ms"), help: "Longest a SPARQL query may run (default 5000).")
    var sparqlTimeoutMilliseconds: Int?
    @Option(name: .customLong("sparql-max-rows"), help: "Most rows one SPARQL answer may hold (default 10000).")
    var sparqlMaxRows: Int?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?
    @Option(name: .customLong("kerberos-keytab"), help: "Keytab with the xmpp/HOST@REALM key: offers SASL GSSAPI.")
    var kerberosKeytab: String?
    @Option(name: .customLong("kerberos-realm"), help: "Kerberos realm of the service and of mapped principals.")
    var kerberosRealm: String?
    @Option(name: .customLong("kerberos-service"), help: "Service name of the acceptor principal (default xmpp).")
    var kerberosService: String?
    @Option(name: .customLong("kerberos-host"), help: "Host of the acceptor principal (default: the domain).")
    var kerberosHost: String?
    @Option(
        name: .customLong("kerberos-principal-pattern"),
        help: "Regex over the whole principal (default ([^/@]+)@REALM).")
    var kerberosPrincipalPattern: String?
    @Option(name: .customLong("kerberos-cloud-template"), help: "Cloud name from the pattern's groups (default $1).")
    var kerberosCloudTemplate: String?

    func run() async throws {
        try await withExitCodes {
            let configuration = try self.resolve()
            let root = try RootAssembly(configuration: configuration)
            try await root.run()
        }
    }

    /// Defaults, then the TOML file, then these flags.
    func resolve() throws(CLIError) -> IntercloudConfiguration {
        var configuration = try self.options.resolve()
        if let bind = self.bind { configuration.bindAddress = bind }
        if let port = self.c2sPort { configuration.c2sPort = port }
        if let port = self.c2sTLSPort { configuration.c2sTLSPort = port }
        if let port = self.s2sPort { configuration.s2sPort = port }
        if let port = self.httpPort { configuration.httpPort = port }
        try configuration.addS2SRoutes(self.s2sRoutes)
        if let file = self.s2sTrustAnchors { configuration.s2sTrustAnchors = file }
        if let size = self.s2sMaxQueue { configuration.s2sMaxQueue = size }
        if let seconds = self.s2sConnectTimeout { configuration.s2sConnectTimeout = seconds }
        if let dialback = self.s2sDialback { configuration.s2sDialback = dialback }
        if self.allowPlaintextAuth { configuration.allowPlaintextAuth = true }
        if let level = self.logLevel { configuration.logLevel = level }
        if let timeout = self.sparqlTimeoutMilliseconds { configuration.sparqlTimeoutMilliseconds = timeout }
        if let rows = self.sparqlMaxRows { configuration.sparqlMaxRows = rows }
        if let keytab = self.kerberosKeytab { configuration.kerberosKeytab = keytab }
        if let realm = self.kerberosRealm { configuration.kerberosRealm = realm }
        if let service = self.kerberosService { configuration.kerberosService = service }
        if let host = self.kerberosHost { configuration.kerberosHost = host }
        if let pattern = self.kerberosPrincipalPattern { configuration.kerberosPrincipalPattern = pattern }
        if let template = self.kerberosCloudTemplate { configuration.kerberosCloudTemplate = template }
        try configuration.validate()
        guard Logger.Level(rawValue: configuration.logLevel) != nil else {
            throw .usage("log level must be one of trace, debug, info, notice, warning, error, critical")
        }
        return configuration
    }
}
