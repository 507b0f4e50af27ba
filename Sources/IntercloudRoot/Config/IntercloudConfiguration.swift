import Foundation
import XMPPCore

/// The resolved settings of one `intercloud` invocation: defaults, then the TOML file, then command-line flags
/// (CONTRACT §2: "flags override it").
struct IntercloudConfiguration: Sendable, Equatable {
    var dataDirectory = "./intercloud-data"
    var domain = "intercloud.localhost"
    var bindAddress = "127.0.0.1"
    var c2sPort = 5222
    var c2sTLSPort = 5223
    var s2sPort = 5269
    var httpPort = 5280
    var registry = "embedded"
    var ldapURL: String?
    var ldapBaseDN: String?
    var ldapBindDN: String?
    var ldapPasswordFile: String?
    /// `GSSAPI` to bind to LDAP with Kerberos instead of a password (RFC 4752, RFC 4513 §5.2); nil for a simple bind.
    var ldapSASLMechanism: String?
    /// The client keytab for the LDAP GSSAPI bind.
    var ldapKeytab: String?
    /// The principal to bind as (default: the keytab's first).
    var ldapPrincipal: String?
    /// The keytab holding the SASL GSSAPI service key; GSSAPI is offered on c2s only when set (docs/kerberos.md).
    var kerberosKeytab: String?
    /// The Kerberos realm of the service principal and of the default principal mapping.
    var kerberosRealm: String?
    /// The service name of the acceptor principal `SERVICE/HOST@REALM` (RFC 4752 §3.1; "xmpp" is IANA-registered).
    var kerberosService = "xmpp"
    /// The host of the acceptor principal (default: the domain).
    var kerberosHost: String?
    /// The principal → cloud rule: a regular expression over the whole principal (default `([^/@]+)@REALM`).
    var kerberosPrincipalPattern: String?
    /// The cloud name produced from the pattern's groups (default `$1`).
    var kerberosCloudTemplate: String?
    /// Authentication without TLS: only for benchmarks (CONTRACT §5).
    var allowPlaintextAuth = false
    var maxStanzaSize = 256 * 1024
    var maxStanzaSizeBeforeAuth = 16 * 1024
    var maxConnectionsPerAddress = 100
    var maxAuthAttempts = 5
    /// Messages kept per offline recipient (XEP-0160); beyond it senders get `resource-constraint`.
    var maxOfflineMessages = 100
    var logLevel = "info"
    /// Base URL of this server's HTTP API as clients reach it, for the AIA and CRL distribution point URLs of issued
    /// certificates (RFC 5280 §4.2.2.1, §4.2.1.13); default `http://DOMAIN:HTTP_PORT`.
    var publicURLSetting: String?
    /// Validity of issued cloud certificates, in days (default 90).
    var certificateValidityDays = 90
    /// The CA key algorithm used by `ca init` and on first start: p256 (default), p384 or rsa3072.
    var caAlgorithm = "p256"
    /// How long one SPARQL query may run, in milliseconds (`/sparql` and `directory.D`).
    var sparqlTimeoutMilliseconds = 5000
    /// How many rows (or triples) one SPARQL answer may hold.
    var sparqlMaxRows = 10_000
    /// Static s2s routes, remote domain → `HOST:PORT` (docs/federation.md); other domains use `DOMAIN:5269`.
    var s2sRoutes: [String: String] = [:]
    /// A PEM bundle of extra trust anchors for peer servers' certificates; our own CA is always trusted.
    var s2sTrustAnchors: String?
    /// Stanzas queued per remote domain while its stream is set up.
    var s2sMaxQueue = 1000
    /// Seconds to connect and authenticate an outgoing s2s stream.
    var s2sConnectTimeout = 30
    /// Whether server dialback (XEP-0220) is offered and used when SASL EXTERNAL is not possible.
    var s2sDialback = true

    /// The effective public base URL.
    /// With `http_port = 0` the port is only known after binding, so the URL then names no port.
    var publicURL: String {
        self.publicURLSetting
            ?? (self.httpPort == 0 ? "http://\(self.domain)" : "http://\(self.domain):\(self.httpPort)")
    }

    /// Every key the TOML file may hold.
    static let knownKeys: Set<String> = [
        "data_dir", "domain", "bind", "c2s_port", "c2s_tls_port", "s2s_port", "http_port", "registry",
        "ldap.url", "ldap.base_dn", "ldap.bind_dn", "ldap.password_file", "ldap.sasl_mech", "ldap.keytab",
        "ldap.principal", "kerberos.keytab", "kerberos.realm", "kerberos.service", "kerberos.host",
        "kerberos.principal_pattern", "kerberos.cloud_template",
        "c2s.allow_plaintext_auth", "limits.max_stanza_size", "limits.max_stanza_size_before_auth",
        "limits.max_connections_per_ip", "limits.max_auth_attempts", "limits.max_offline_messages", "log.level",
        "ca.public_url", "ca.certificate_validity_days", "ca.algorithm", "sparql.timeout_ms", "sparql.max_rows",
        "s2s.trust_anchors", "s2s.max_queue", "s2s.connect_timeout", "s2s.dialback",
    ]

    /// The table of static s2s routes: `[s2s.routes]` with `"domain" = "host:port"`.
    static let s2sRoutesPrefix = "s2s.routes."

    /// Applies a TOML file's settings; unknown keys and wrong types are errors (exit 64).
    mutating func apply(_ document: TOMLDocument) throws(CLIError) {
        let unknown = document.keys.subtracting(Self.knownKeys).filter { !$0.hasPrefix(Self.s2sRoutesPrefix) }
        guard unknown.isEmpty else {
            throw .usage("unknown configuration key(s): \(unknown.sorted().joined(separator: ", "))")
        }
        do {
            self.dataDirectory = try document.string("data_dir") ?? self.dataDirectory
            self.domain = try document.string("domain") ?? self.domain
            self.bindAddress = try document.string("bind") ?? self.bindAddress
            self.c2sPort = try document.integer("c2s_port") ?? self.c2sPort
            self.c2sTLSPort = try document.integer("c2s_tls_port") ?? self.c2sTLSPort
            self.s2sPort = try document.integer("s2s_port") ?? self.s2sPort
            self.httpPort = try document.integer("http_port") ?? self.httpPort
            self.registry = try document.string("registry") ?? self.registry
            self.ldapURL = try document.string("ldap.url") ?? self.ldapURL
            self.ldapBaseDN = try document.string("ldap.base_dn") ?? self.ldapBaseDN
            self.ldapBindDN = try document.string("ldap.bind_dn") ?? self.ldapBindDN
            self.ldapPasswordFile = try document.string("ldap.password_file") ?? self.ldapPasswordFile
            self.ldapSASLMechanism = try document.string("ldap.sasl_mech") ?? self.ldapSASLMechanism
            self.ldapKeytab = try document.string("ldap.keytab") ?? self.ldapKeytab
            self.ldapPrincipal = try document.string("ldap.principal") ?? self.ldapPrincipal
            self.kerberosKeytab = try document.string("kerberos.keytab") ?? self.kerberosKeytab
            self.kerberosRealm = try document.string("kerberos.realm") ?? self.kerberosRealm
            self.kerberosService = try document.string("kerberos.service") ?? self.kerberosService
            self.kerberosHost = try document.string("kerberos.host") ?? self.kerberosHost
            self.kerberosPrincipalPattern =
                try document.string("kerberos.principal_pattern") ?? self.kerberosPrincipalPattern
            self.kerberosCloudTemplate = try document.string("kerberos.cloud_template") ?? self.kerberosCloudTemplate
            self.allowPlaintextAuth = try document.boolean("c2s.allow_plaintext_auth") ?? self.allowPlaintextAuth
            self.maxStanzaSize = try document.integer("limits.max_stanza_size") ?? self.maxStanzaSize
            self.maxStanzaSizeBeforeAuth =
                try document.integer("limits.max_stanza_size_before_auth") ?? self.maxStanzaSizeBeforeAuth
            self.maxConnectionsPerAddress =
                try document.integer("limits.max_connections_per_ip") ?? self.maxConnectionsPerAddress
            self.maxAuthAttempts = try document.integer("limits.max_auth_attempts") ?? self.maxAuthAttempts
            self.maxOfflineMessages = try document.integer("limits.max_offline_messages") ?? self.maxOfflineMessages
            self.logLevel = try document.string("log.level") ?? self.logLevel
            self.publicURLSetting = try document.string("ca.public_url") ?? self.publicURLSetting
            self.certificateValidityDays =
                try document.integer("ca.certificate_validity_days") ?? self.certificateValidityDays
            self.caAlgorithm = try document.string("ca.algorithm") ?? self.caAlgorithm
            self.sparqlTimeoutMilliseconds = try document.integer("sparql.timeout_ms") ?? self.sparqlTimeoutMilliseconds
            self.sparqlMaxRows = try document.integer("sparql.max_rows") ?? self.sparqlMaxRows
            self.s2sTrustAnchors = try document.string("s2s.trust_anchors") ?? self.s2sTrustAnchors
            self.s2sMaxQueue = try document.integer("s2s.max_queue") ?? self.s2sMaxQueue
            self.s2sConnectTimeout = try document.integer("s2s.connect_timeout") ?? self.s2sConnectTimeout
            self.s2sDialback = try document.boolean("s2s.dialback") ?? self.s2sDialback
            for key in document.keys where key.hasPrefix(Self.s2sRoutesPrefix) {
                self.s2sRoutes[String(key.dropFirst(Self.s2sRoutesPrefix.count))] = try document.string(key)
            }
        } catch {
            throw .usage("configuration: \(error.message)")
        }
        try self.validate()
    }

    /// Checks ranges and names (CONTRACT §2).
    func validate() throws(CLIError) {
        for (name, port) in [
            ("c2s_port", self.c2sPort), ("c2s_tls_port", self.c2sTLSPort), ("s2s_port", self.s2sPort),
            ("http_port", self.httpPort),
        ] where !(0...65535).contains(port) {
            throw .usage("\(name) must be between 0 and 65535")
        }
        guard self.registry == "embedded" || self.registry == "ldap" else {
            throw .usage("registry must be 'embedded' or 'ldap'")
        }
        guard self.maxStanzaSizeBeforeAuth >= 1024, self.maxStanzaSize >= self.maxStanzaSizeBeforeAuth else {
            throw .usage("stanza size limits must be at least 1024 bytes, and the post-auth limit the larger")
        }
        guard (1...825).contains(self.certificateValidityDays) else {
            throw .usage("certificate_validity_days must be between 1 and 825")
        }
        guard ["p256", "p384", "rsa3072"].contains(self.caAlgorithm) else {
            throw .usage("ca.algorithm must be p256, p384 or rsa3072")
        }
        guard self.maxOfflineMessages >= 0 else {
            throw .usage("max_offline_messages must not be negative")
        }
        guard (1...600_000).contains(self.sparqlTimeoutMilliseconds), (1...10_000_000).contains(self.sparqlMaxRows)
        else {
            throw .usage("sparql.timeout_ms must be 1–600000 and sparql.max_rows 1–10000000")
        }
        try self.validateFederation()
        guard (2...5).contains(self.maxAuthAttempts) else {
            throw .usage("max_auth_attempts must be between 2 and 5 (RFC 6120 §6.4.5)")
        }
        if let mechanism = self.ldapSASLMechanism, mechanism != "GSSAPI" {
            throw .usage("ldap.sasl_mech must be GSSAPI (or absent for a simple bind)")
        }
        if self.kerberosKeytab != nil {
            _ = try self.kerberosMapping()
            guard !self.kerberosService.isEmpty, !self.kerberosService.contains("/"),
                !self.kerberosService.contains("@")
            else {
                throw .usage("kerberos.service must be a plain service name such as xmpp")
            }
        }
        guard !self.domain.isEmpty,
            self.domain.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }),
            self.domain == self.domain.lowercased()
        else {
            throw .usage("domain must be a lower-case DNS name")
        }
    }

    /// The principal → cloud mapping of the c2s GSSAPI acceptor (docs/kerberos.md); needs `kerberos.realm`.
    func kerberosMapping() throws(CLIError) -> KerberosPrincipalMapping {
        guard let realm = self.kerberosRealm else { throw .usage("kerberos.keytab needs kerberos.realm") }
        do {
            return try KerberosPrincipalMapping(
                realm: realm, pattern: self.kerberosPrincipalPattern, template: self.kerberosCloudTemplate)
        } catch {
            throw .usage("kerberos: \(error.message)")
        }
    }

    /// The acceptor principal `SERVICE/HOST@REALM`.
    var kerberosServicePrincipal: String {
        "\(self.kerberosService)/\(self.kerberosHost ?? self.domain)@\(self.kerberosRealm ?? "")"
    }

    /// The data directory as an absolute path.
    var dataURL: URL { URL(fileURLWithPath: self.dataDirectory).standardizedFileURL }
}
