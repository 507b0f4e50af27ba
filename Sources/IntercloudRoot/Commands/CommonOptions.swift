import ArgumentParser
import Foundation

/// Options shared by `serve`, `registry` and `ca` (CONTRACT §2–§3): configuration, data directory, domain and
/// where the registry lives.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "TOML configuration file; flags override it.")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "Directory for all state (default ./intercloud-data).")
    var dataDir: String?

    @Option(name: .long, help: "The XMPP domain served (default intercloud.localhost).")
    var domain: String?

    @Option(name: .long, help: "Registry backend: embedded (default) or ldap.") var registry: String?
    @Option(name: .customLong("ldap-url"), help: "LDAP server URL (with --registry ldap).") var ldapURL: String?
    @Option(name: .customLong("ldap-base-dn"), help: "Base DN; clouds live under ou=clouds.") var ldapBaseDN: String?
    @Option(name: .customLong("ldap-bind-dn"), help: "DN to bind as.") var ldapBindDN: String?
    @Option(name: .customLong("ldap-password-file"), help: "File whose first line is the bind password.")
    var ldapPasswordFile: String?
    @Option(name: .customLong("ldap-sasl-mech"), help: "GSSAPI: bind with Kerberos from --ldap-keytab, no password.")
    var ldapSASLMechanism: String?
    @Option(name: .customLong("ldap-keytab"), help: "Client keytab for the LDAP GSSAPI bind.") var ldapKeytab: String?
    @Option(
        name: .customLong("ldap-principal"), help: "Principal for the LDAP GSSAPI bind (default: the keytab's first).")
    var ldapPrincipal: String?

    /// Defaults, then the TOML file, then these flags.
    func resolve() throws(CLIError) -> IntercloudConfiguration {
        var configuration = IntercloudConfiguration()
        if let path = self.config {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw .usage("cannot read configuration file \(path)")
            }
            do {
                try configuration.apply(try TOMLDocument(parsing: text))
            } catch let error as TOMLDocument.ParseError {
                throw .usage("\(path): \(error)")
            } catch let error as CLIError {
                throw error
            } catch {
                throw .usage("\(path): \(error)")
            }
        }
        if let dataDir = self.dataDir { configuration.dataDirectory = dataDir }
        if let domain = self.domain { configuration.domain = domain }
        if let registry = self.registry { configuration.registry = registry }
        if let url = self.ldapURL { configuration.ldapURL = url }
        if let dn = self.ldapBaseDN { configuration.ldapBaseDN = dn }
        if let dn = self.ldapBindDN { configuration.ldapBindDN = dn }
        if let file = self.ldapPasswordFile { configuration.ldapPasswordFile = file }
        if let mechanism = self.ldapSASLMechanism { configuration.ldapSASLMechanism = mechanism.uppercased() }
        if let keytab = self.ldapKeytab { configuration.ldapKeytab = keytab }
        if let principal = self.ldapPrincipal { configuration.ldapPrincipal = principal }
        try configuration.validate()
        return configuration
    }
}
