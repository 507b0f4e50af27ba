import Foundation
import Logging
import RegistryLDAP
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A throw-away OpenLDAP server for tests: slapd.conf + mdb in a temporary directory, listening on a free
/// loopback port, with core, cosine, inetorgperson and `schemas/intercloud.schema` loaded.
///
/// With a ``PrivateKDC`` it also accepts SASL GSSAPI binds for `ldap/localhost` (key from the realm's keytab through
/// `KRB5_KTNAME`) and maps the realm's client principal to the rootdn with `authz-regexp` (docs/kerberos.md).
///
/// `dbnosync` trades durability for speed (tests only). The server runs in the foreground (`-d 0`) as a child
/// `Process` and is stopped by its PID (SIGTERM, then wait) in ``stop()`` and `deinit`; any still running at exit
/// are terminated by an `atexit` hook, so a failing test never leaves a slapd behind.
final class PrivateSlapd: Sendable {
    /// The naming context served.
    let suffix = "dc=intercloud,dc=test"
    /// The rootdn, which bypasses access control.
    let rootDN = "cn=admin,dc=intercloud,dc=test"
    /// The rootdn's password.
    let password = "secret"
    /// The temporary directory holding `slapd.conf`, `db/` and `slapd.log`.
    let directory: URL
    /// The loopback port slapd listens on; kept across ``stop()`` and ``start()``.
    var port: Int { self.state.withLock { $0.port } }
    /// `ldap://127.0.0.1:PORT`.
    var url: String { "ldap://127.0.0.1:\(self.port)" }
    /// `ldap://localhost:PORT`: the host a GSSAPI client names, as the service principal is `ldap/localhost`.
    var gssapiURL: String { "ldap://localhost:\(self.port)" }
    /// The realm whose GSSAPI binds this server accepts, if any.
    let kerberos: PrivateKDC?
    /// How long the last ``start()`` took until slapd answered a search.
    var lastStartDuration: Duration { self.state.withLock { $0.lastStartDuration } }

    private struct State {
        var port = 0
        var process: Process?
        var lastStartDuration = Duration.zero
    }
    private let state = Mutex(State())

    /// One server shared by a whole test run; tests isolate themselves with ``makeBase()``.
    static let shared = Result { try PrivateSlapd() }
    /// One server accepting GSSAPI binds from the shared realm.
    static let sharedGSSAPI = Result { try PrivateSlapd(kerberos: PrivateKDC.shared.get()) }

    /// Writes the configuration, starts slapd on a free port (retrying with another port a few times if it
    /// cannot bind) and creates the suffix entry.
    init(kerberos: PrivateKDC? = nil) throws {
        self.kerberos = kerberos
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("slapd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: self.directory.appendingPathComponent("db"), withIntermediateDirectories: true)
        try self.configuration.write(
            to: self.directory.appendingPathComponent("slapd.conf"), atomically: true, encoding: .utf8)
        var lastError: (any Error)?
        for _ in 0..<5 {
            self.state.withLock { $0.port = Self.freePort() }
            do {
                try self.start()
                lastError = nil
                break
            } catch {
                lastError = error
            }
        }
        if let lastError { throw lastError }
        try self.ldapAdd(
            """
            dn: \(self.suffix)
            objectClass: dcObject
            objectClass: organization
            dc: intercloud
            o: Intercloud Root tests
            """)
    }

    deinit {
        self.stop()
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// The `slapd.conf` (recipe A in `recipes/slapd.md`), with the SASL GSSAPI settings first when a realm is set.
    private var configuration: String {
        let path = self.directory.path
        var sasl = ""
        if let kerberos = self.kerberos {
            let client = kerberos.clientPrincipal.split(separator: "@")[0]
            sasl = """
                sasl-host localhost
                sasl-realm \(kerberos.realm)
                authz-regexp "uid=\(client),cn=\(kerberos.realm.lowercased()),cn=gssapi,cn=auth" "\(self.rootDN)"

                """
        }
        return sasl + """
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/inetorgperson.schema
            include \(Self.schemaFile("intercloud.schema"))
            pidfile \(path)/slapd.pid
            modulepath /usr/lib/ldap
            moduleload back_mdb
            database mdb
            maxsize 104857600
            suffix "\(self.suffix)"
            rootdn "\(self.rootDN)"
            rootpw \(self.password)
            directory \(path)/db
            dbnosync
            index objectClass eq
            index icCloudName eq,sub

            """
    }

    /// Starts slapd on ``port`` and waits (at most 5 s) until `ldapsearch -s base` answers.
    func start() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let process = Process()
        // The test runner's threads block SIGTERM and Foundation passes that mask on, which would make slapd deaf
        // to SIGTERM: reset the mask (perl-base is Essential on Debian) and exec slapd, keeping the PID.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/perl")
        process.arguments = [
            "-MPOSIX", "-e", "sigprocmask(SIG_SETMASK, POSIX::SigSet->new) or die; exec {$ARGV[0]} @ARGV or die",
            try Self.tool("slapd"), "-f", self.directory.appendingPathComponent("slapd.conf").path,
            "-h", "\(self.url)/", "-d", "0",
        ]
        let log = self.directory.appendingPathComponent("slapd.log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw SlapdError(message: "cannot create \(log.path)")
        }
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        if let kerberos = self.kerberos {
            var environment = kerberos.environment
            environment["KRB5_KTNAME"] = "FILE:" + kerberos.serviceKeytab
            process.environment = environment
        }
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        Self.running.withLock { $0[process.processIdentifier] = self.directory }
        self.state.withLock { $0.process = process }
        while clock.now - started < .seconds(5) {
            guard process.isRunning else {
                self.stop()
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw SlapdError(message: "slapd exited on port \(self.port): \(output.suffix(500))")
            }
            if (try? Self.run("ldapsearch", ["-x", "-H", self.url, "-s", "base", "-b", "", "1.1"]))?.status == 0 {
                self.state.withLock { $0.lastStartDuration = clock.now - started }
                return
            }
            usleep(10_000)
        }
        self.stop()
        throw SlapdError(message: "slapd did not answer on port \(self.port) within 5 s")
    }

    /// Sends SIGTERM to slapd's PID and waits for it to exit (SIGKILL after 5 s); idempotent.
    func stop() {
        guard
            let process = self.state.withLock({ state in
                defer { state.process = nil }; return state.process
            })
        else { return }
        let pid = process.processIdentifier
        if process.isRunning { kill(pid, SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning, ContinuousClock.now < deadline { usleep(5_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
        Self.running.withLock { _ = $0.removeValue(forKey: pid) }
    }

    /// Creates a fresh, empty organizational unit under the suffix and returns its DN, to use as a store's base.
    func makeBase() throws -> String {
        let name = "t-\(UUID().uuidString.lowercased())"
        try self.ldapAdd("dn: ou=\(name),\(self.suffix)\nobjectClass: organizationalUnit\nou: \(name)")
        return "ou=\(name),\(self.suffix)"
    }

    /// Adds LDIF records with the `ldapadd` CLI as the rootdn.
    func ldapAdd(_ ldif: String) throws {
        let result = try Self.run(
            "ldapadd", ["-x", "-H", self.url, "-D", self.rootDN, "-w", self.password], input: ldif + "\n")
        guard result.status == 0 else { throw SlapdError(message: "ldapadd failed: \(result.error)") }
    }

    /// Runs the `ldapsearch` CLI as the rootdn and returns its LDIF output (`-LLL`: no comments or version).
    func ldapSearch(base: String, filter: String = "(objectClass=*)", attributes: [String] = []) throws -> String {
        let result = try Self.run(
            "ldapsearch",
            [
                "-x", "-LLL", "-o", "ldif-wrap=no", "-H", self.url, "-D", self.rootDN, "-w", self.password, "-b", base,
                filter,
            ] + attributes)
        guard result.status == 0 else { throw SlapdError(message: "ldapsearch failed: \(result.error)") }
        return result.output
    }

    // MARK: - Helpers

    /// slapd processes started and not yet stopped (PID → directory): at exit they are sent SIGTERM and their
    /// directories removed, which covers the never-deinitialised ``shared`` server.
    private static let running: Mutex<[Int32: URL]> = {
        atexit {
            let leftovers = PrivateSlapd.running.withLock { $0 }
            for pid in leftovers.keys { kill(pid, SIGTERM) }
            if !leftovers.isEmpty { usleep(50_000) }
            for directory in leftovers.values { try? FileManager.default.removeItem(at: directory) }
        }
        return Mutex([:])
    }()

    /// A port that was free a moment ago: bind a socket to 127.0.0.1:0, read the port, close it.
    static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : Int.random(in: 20_000..<60_000)
    }

    /// The absolute path of `schemas/NAME` in this package.
    static func schemaFile(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schemas/\(name)").path
    }

    /// The path of an OpenLDAP program (slapd tools live in /usr/sbin, clients in /usr/bin).
    static func tool(_ name: String) throws -> String {
        for directory in [
            "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/opt/homebrew/opt/openldap/libexec",
        ]
        where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw SlapdError(message: "\(name) not found; install slapd and ldap-utils (scripts/install-deps.sh)")
    }

    /// Runs an OpenLDAP tool to completion and returns its exit status, standard output and standard error.
    static func run(
        _ name: String, _ arguments: [String], input: String? = nil
    ) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.tool(name))
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data((input ?? "").utf8))
        try stdin.fileHandleForWriting.close()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }
}

extension Fixtures {
    /// An LDAP store bound as the rootdn of `slapd`, under `baseDN`, logging only warnings and above.
    static func ldapStore(on slapd: PrivateSlapd, baseDN: String) throws -> LDAPRegistryStore {
        var logger = Logger(label: "test.registry.ldap")
        logger.logLevel = .warning
        return try LDAPRegistryStore(
            url: slapd.url, baseDN: baseDN, bindDN: slapd.rootDN, password: slapd.password, logger: logger)
    }

    /// An LDAP store that binds to a GSSAPI-enabled `slapd` with SASL GSSAPI from the realm's client keytab — no
    /// password anywhere — under `baseDN`.
    static func gssapiLDAPStore(on slapd: PrivateSlapd, baseDN: String) throws -> LDAPRegistryStore {
        guard let kerberos = slapd.kerberos else { throw SlapdError(message: "this slapd has no Kerberos realm") }
        var logger = Logger(label: "test.registry.ldap.gssapi")
        logger.logLevel = .warning
        return try LDAPRegistryStore(
            url: slapd.gssapiURL, baseDN: baseDN, gssapiKeytab: kerberos.clientKeytab,
            principal: kerberos.clientPrincipal, logger: logger)
    }
}

/// A failure of the private slapd fixture, with slapd's or the tool's own words.
struct SlapdError: Error, CustomStringConvertible {
    var message: String
    var description: String { self.message }
}
