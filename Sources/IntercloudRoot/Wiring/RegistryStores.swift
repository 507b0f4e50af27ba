import AdminAPI
import Foundation
import Logging
import Registry
import RegistryLDAP

/// Opens the configured registry backend and maps its errors to CLI errors.
enum RegistryStores {
    /// The embedded store at `DATA/registry.sqlite`, or OpenLDAP with `--registry ldap` (CONTRACT §2, §6).
    static func open(_ configuration: IntercloudConfiguration) throws(CLIError) -> any RegistryStore {
        if configuration.registry == "ldap" {
            return try Self.openLDAP(configuration)
        }
        try DataDirectory.create(configuration.dataURL)
        do {
            return try SQLiteRegistryStore(path: configuration.dataURL.appendingPathComponent("registry.sqlite").path)
        } catch {
            throw .runtime("cannot open the registry: \(error)")
        }
    }

    /// The LDAP store, bound with the first line of `--ldap-password-file` as the password or, with
    /// `--ldap-sasl-mech GSSAPI`, with Kerberos from `--ldap-keytab` (docs/ldap.md, docs/kerberos.md).
    private static func openLDAP(_ configuration: IntercloudConfiguration) throws(CLIError) -> any RegistryStore {
        guard let url = configuration.ldapURL, let baseDN = configuration.ldapBaseDN else {
            throw .usage("--registry ldap needs --ldap-url and --ldap-base-dn")
        }
        let logger = Logger(label: "intercloud.ldap")
        if configuration.ldapSASLMechanism == "GSSAPI" {
            guard let keytab = configuration.ldapKeytab else {
                throw .usage("--ldap-sasl-mech GSSAPI needs --ldap-keytab")
            }
            guard
                FileManager.default.isReadableFile(
                    atPath: keytab.hasPrefix("FILE:") ? String(keytab.dropFirst(5)) : keytab)
            else {
                throw .usage("cannot read the LDAP keytab \(keytab)")
            }
            do {
                return try LDAPRegistryStore(
                    url: url, baseDN: baseDN, gssapiKeytab: keytab, principal: configuration.ldapPrincipal,
                    logger: logger)
            } catch {
                throw .usage("LDAP registry: \(error.reason)")
            }
        }
        guard let bindDN = configuration.ldapBindDN, let passwordFile = configuration.ldapPasswordFile else {
            throw .usage(
                "--registry ldap needs --ldap-bind-dn and --ldap-password-file, or --ldap-sasl-mech GSSAPI and --ldap-keytab"
            )
        }
        guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8),
            let password = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init),
            !password.isEmpty
        else {
            throw .usage("cannot read the LDAP password from \(passwordFile)")
        }
        do {
            return try LDAPRegistryStore(url: url, baseDN: baseDN, bindDN: bindDN, password: password, logger: logger)
        } catch {
            throw .usage("LDAP registry: \(error.reason)")
        }
    }

    /// Runs a store operation; `notFound`/`alreadyExists`/validation failures are usage errors (exit 64),
    /// storage failures runtime errors (exit 1).
    static func run<T>(_ body: () async throws -> T) async throws(CLIError) -> T {
        do {
            return try await body()
        } catch let error as RegistryError {
            switch error.code {
            case .storageFailure: throw .runtime(error.reason)
            default: throw .usage(error.reason)
            }
        } catch {
            throw .runtime("\(error)")
        }
    }
}

extension CloudName {
    /// Parses a name given on the command line (exit 64 when invalid).
    static func parse(_ raw: String) throws(CLIError) -> CloudName {
        do {
            return try CloudName(raw)
        } catch {
            throw .usage("invalid cloud name '\(raw)': \(error.reason)")
        }
    }
}

extension CloudEntry {
    /// A new entry with SCRAM credentials derived from `password` (never stored itself).
    static func make(
        name: CloudName, password: String?, endpoints: [String], trustLevel: Int, contact: String? = nil
    ) throws(CLIError) -> CloudEntry {
        do {
            return try CloudEntry.new(
                name: name, password: password, endpoints: endpoints, trustLevel: trustLevel, contact: contact,
                now: Date(),
                saltGenerator: {
                    var generator = SystemRandomNumberGenerator()
                    return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
                })
        } catch {
            throw .usage(error.reason)
        }
    }
}

/// The data directory: created with mode 0700 (CONTRACT §2: it holds keys and the admin token).
enum DataDirectory {
    static func create(_ url: URL) throws(CLIError) {
        do {
            try FileManager.default.createDirectory(
                at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .runtime("cannot create data directory \(url.path): \(error.localizedDescription)")
        }
    }
}

/// JSON output for the CLI (same form as the HTTP API).
enum CLIJSON {
    static func render<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
