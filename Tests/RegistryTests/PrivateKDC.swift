import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A throw-away MIT Kerberos realm for tests (docs/kerberos.md, "A private realm"): `krb5.conf`, `kdc.conf` and the
/// database in a temporary directory, `krb5kdc -n` as a child process on a free loopback port, stopped by its PID.
///
/// It creates the LDAP service principal `ldap/localhost` (key in ``serviceKeytab``, for slapd) and the registry's
/// client principal ``clientPrincipal`` (key in ``clientKeytab``, for the store's GSSAPI bind). The Kerberos
/// library reads its configuration from `KRB5_CONFIG`, so ``shared`` points this test process at the realm.
final class PrivateKDC: Sendable {
    /// The realm.
    let realm = "INTERCLOUD.TEST"
    /// The principal the registry store binds as.
    let clientPrincipal = "intercloud-root@INTERCLOUD.TEST"
    /// The temporary directory.
    let directory: URL
    /// The KDC's port on 127.0.0.1.
    let port: Int
    private let process: Mutex<Process?>

    /// `krb5.conf` of the realm.
    var configFile: String { self.directory.appendingPathComponent("krb5.conf").path }
    /// The keytab with `ldap/localhost`, for slapd (`KRB5_KTNAME`).
    var serviceKeytab: String { self.directory.appendingPathComponent("ldap.keytab").path }
    /// The keytab with ``clientPrincipal``, for the store.
    var clientKeytab: String { self.directory.appendingPathComponent("client.keytab").path }
    /// The environment Kerberos programs (and slapd) run with.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["KRB5_CONFIG"] = self.configFile
        environment["KRB5_KDC_PROFILE"] = self.directory.appendingPathComponent("kdc.conf").path
        environment["KRB5CCNAME"] = "FILE:" + self.directory.appendingPathComponent("ccache").path
        return environment
    }

    /// The realm shared by a whole test run; creating it sets `KRB5_CONFIG` for this process.
    static let shared = Result { () throws -> PrivateKDC in
        let kdc = try PrivateKDC()
        setenv("KRB5_CONFIG", kdc.configFile, 1)
        return kdc
    }

    /// The programs the realm needs, or the names of the missing ones.
    static var missingTools: [String] {
        ["krb5kdc", "kdb5_util", "kadmin.local"].filter { (try? Self.tool($0)) == nil }
    }

    /// Writes the configuration, creates the database and principals and starts the KDC.
    init() throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("kdc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        self.port = PrivateSlapd.freePort()
        self.process = Mutex(nil)
        let path = self.directory.path
        try """
        [libdefaults]
            default_realm = \(self.realm)
            dns_lookup_kdc = false
            dns_lookup_realm = false
            rdns = false
            dns_canonicalize_hostname = false
            udp_preference_limit = 1
            default_ccache_name = FILE:\(path)/ccache
        [realms]
            \(self.realm) = {
                kdc = 127.0.0.1:\(self.port)
            }
        [domain_realm]
            localhost = \(self.realm)

        """.write(toFile: self.configFile, atomically: true, encoding: .utf8)
        try """
        [kdcdefaults]
            kdc_listen = 127.0.0.1:\(self.port)
            kdc_tcp_listen = 127.0.0.1:\(self.port)
        [realms]
            \(self.realm) = {
                database_name = \(path)/principal
                key_stash_file = \(path)/stash
                acl_file = \(path)/kadm5.acl
                max_life = 1h
            }
        [logging]
            kdc = FILE:\(path)/kdc.log

        """.write(toFile: self.directory.appendingPathComponent("kdc.conf").path, atomically: true, encoding: .utf8)
        try self.run("kdb5_util", ["create", "-s", "-r", self.realm, "-P", "master-\(UUID().uuidString)"])
        let client = self.clientPrincipal.split(separator: "@")[0]
        for query in [
            "addprinc -randkey ldap/localhost", "addprinc -randkey \(client)",
            "ktadd -k \(self.serviceKeytab) ldap/localhost", "ktadd -k \(self.clientKeytab) \(client)",
        ] {
            try self.run("kadmin.local", ["-q", query])
        }
        try self.start()
    }

    deinit {
        self.stop()
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// Starts `krb5kdc -n` (foreground) and waits until it accepts TCP connections.
    private func start() throws {
        let process = Process()
        // As for slapd (PrivateSlapd.start): reset the signal mask the test runner passes on, so SIGTERM works.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/perl")
        process.arguments = [
            "-MPOSIX", "-e", "sigprocmask(SIG_SETMASK, POSIX::SigSet->new) or die; exec {$ARGV[0]} @ARGV or die",
            try Self.tool("krb5kdc"), "-n", "-P", self.directory.appendingPathComponent("kdc.pid").path,
        ]
        process.environment = self.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process.withLock { $0 = process }
        Self.running.withLock { $0[process.processIdentifier] = self.directory }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw SlapdError(message: "krb5kdc exited; see \(self.directory.path)") }
            if Self.canConnect(port: self.port) { return }
            usleep(20_000)
        }
        throw SlapdError(message: "krb5kdc did not listen on port \(self.port) within 10 s")
    }

    /// Stops the KDC by its PID; idempotent.
    func stop() {
        guard
            let process = self.process.withLock({ state in
                defer { state = nil }; return state
            })
        else { return }
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        Self.running.withLock { _ = $0.removeValue(forKey: process.processIdentifier) }
    }

    /// Runs a Kerberos administration program in the realm's environment.
    private func run(_ name: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.tool(name))
        process.arguments = arguments
        process.environment = self.environment
        let error = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        try process.run()
        let message = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SlapdError(
                message: "\(name) \(arguments.joined(separator: " ")): \(String(decoding: message, as: UTF8.self))")
        }
    }

    /// KDCs started and not yet stopped (PID → directory): terminated and removed at exit, which covers the
    /// never-deinitialised ``shared`` realm.
    private static let running: Mutex<[Int32: URL]> = {
        atexit {
            let leftovers = PrivateKDC.running.withLock { $0 }
            for pid in leftovers.keys { kill(pid, SIGTERM) }
            if !leftovers.isEmpty { usleep(50_000) }
            for directory in leftovers.values { try? FileManager.default.removeItem(at: directory) }
        }
        return Mutex([:])
    }()

    /// The path of a Kerberos program (the KDC tools live in /usr/sbin).
    static func tool(_ name: String) throws -> String {
        for directory in ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/opt/homebrew/opt/krb5/sbin"]
        where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw SlapdError(message: "\(name) not found; install krb5-kdc and krb5-admin-server (scripts/install-deps.sh)")
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    private static func canConnect(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                connect(descriptor, socketAddress, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
