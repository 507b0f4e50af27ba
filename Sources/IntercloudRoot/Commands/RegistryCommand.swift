import AdminAPI
import ArgumentParser
import Foundation
import Registry

/// `intercloud registry add|list|show|remove` (CONTRACT §3): works on the configured store directly, whether
/// the server is running or not.
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Manage the registry of clouds.",
        subcommands: [
            Add.self, List.self, Show.self, Update.self, Remove.self, Suspend.self, Reinstate.self, Owner.self,
        ]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a cloud; its XMPP address is NAME@DOMAIN.")

        @OptionGroup var options: CommonOptions
        @Argument(help: "Cloud name: 1-63 of a-z 0-9 -, not starting or ending with -.") var name: String
        @Flag(name: .customLong("password-stdin"), help: "Read the cloud's password from the first line of stdin.")
        var passwordStdin = false
        @Option(name: .long, help: "An endpoint URL of the cloud (repeatable).") var endpoint: [String] = []
        @Option(name: .customLong("trust-level"), help: "Trust level 0-5 (default 0).") var trustLevel = 0
        @Option(name: .long, help: "A contact for the cloud (free text).") var contact: String?

        func run() async throws {
            try await withExitCodes {
                let configuration = try self.options.resolve()
                let name = try CloudName.parse(self.name)
                var password: String?
                if self.passwordStdin {
                    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                        throw CLIError.usage("--password-stdin: no password on standard input")
                    }
                    password = line
                }
                let entry = try CloudEntry.make(
                    name: name, password: password, endpoints: self.endpoint, trustLevel: self.trustLevel,
                    contact: self.contact)
                let store = try RegistryStores.open(configuration)
                try await RegistryStores.run { try await store.add(entry) }
                print("added \(name)@\(configuration.domain)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered clouds, optionally filtered.")

        @OptionGroup var options: CommonOptions
        @Flag(name: .long, help: "Print JSON.") var json = false
        @Option(help: "Only clouds with this status (active, suspended).") var status: String?
        @Option(name: .customLong("min-trust-level"), help: "Only clouds at or above this trust level.")
        var minTrustLevel: Int?
        @Option(help: "Only clouds whose name starts with this.") var prefix: String?

        func run() async throws {
            try await withExitCodes {
                let configuration = try self.options.resolve()
                var filter = CloudFilter(minimumTrustLevel: self.minTrustLevel, namePrefix: self.prefix)
                if let status = self.status {
                    guard let parsed = CloudStatus(rawValue: status) else {
                        throw CLIError.usage("--status must be active or suspended")
                    }
                    filter.status = parsed
                }
                let store = try RegistryStores.open(configuration)
                let entries = try await RegistryStores.run { try await store.list(matching: filter) }
                if self.json {
                    print(try CLIJSON.render(entries.map { CloudRecord(entry: $0, domain: configuration.domain) }))
                } else {
                    for entry in entries {
                        print(
                            "\(entry.name)\t\(entry.name)@\(configuration.domain)\t\(entry.status.rawValue)"
                                + "\ttrust=\(entry.trustLevel)")
                    }
                }
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a cloud's endpoints, trust level, contact or password.")

        @OptionGroup var options: CommonOptions
        @Argument var name: String
        @Option(name: .long, help: "Replace the endpoint URLs (repeatable).") var endpoint: [String] = []
        @Option(name: .customLong("trust-level"), help: "New trust level 0-5.") var trustLevel: Int?
        @Option(name: .long, help: "New contact (empty to clear).") var contact: String?
        @Flag(name: .customLong("password-stdin"), help: "Read a new password from the first line of stdin.")
        var passwordStdin = false

        func run() async throws {
            try await withExitCodes {
                let configuration = try self.options.resolve()
                let name = try CloudName.parse(self.name)
                var update = CloudUpdate(trustLevel: self.trustLevel, contact: self.contact)
                if !self.endpoint.isEmpty { update.endpoints = self.endpoint }
                if self.passwordStdin {
                    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                        throw CLIError.usage("--password-stdin: no password on standard input")
                    }
                    update.password = line
                }
                let store = try RegistryStores.open(configuration)
                guard var entry = try await RegistryStores.run({ try await store.entry(named: name) }) else {
                    throw CLIError.usage("no cloud named \(name)")
                }
                try entry.apply(update)
                try await RegistryStores.run { try await store.update(entry) }
                print("updated \(name)")
            }
        }
    }

    struct Owner: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the cloud that holds the certificate with this serial (hex).")

        @OptionGroup var options: CommonOptions
        @Argument var serial: String
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            try await withExitCodes {
                let configuration = try self.options.resolve()
                let store = try RegistryStores.open(configuration)
                guard
                    let entry = try await RegistryStores.run({
                        try await store.entry(forCertificateSerial: self.serial)
                    })
                else {
                    throw CLIError.runtime("no cloud holds a certificate with serial \(self.serial)")
                }
                let record = CloudRecord(entry: entry, domain: configuration.domain)
                print(self.json ? try CLIJSON.render(record) : record.text)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one cloud.")

        @OptionGroup var options: CommonOptions
        @Argument var name: String
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            try await withExitCodes {
                let configuration = try self.options.resolve()
                let name = try CloudName.parse(self.name)
                let store = try RegistryStores.open(configuration)
                guard let entry = try await RegistryStores.run({ try await store.entry(named: name) }) else {
                    throw CLIError.runtime("no cloud named \(name)")
                }
                let view = CloudRecord(entry: entry, domain: configuration.domain)
                if self.json {
                    print(try CLIJSON.render(view))
                } else {
                    print(view.text)
                }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a cloud.")

        @OptionGroup var options: CommonOptions
        @Argument var name: String

        func run() async throws {
            try await withExitCodes {
                let configuration = try self.options.resolve()
                let name = try CloudName.parse(self.name)
                let store = try RegistryStores.open(configuration)
                try await RegistryStores.run { try await store.remove(named: name) }
                print("removed \(name)")
            }
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suspend a cloud: it can no longer log in, and a running server ends its sessions.")

        @OptionGroup var options: CommonOptions
        @Argument var name: String

        func run() async throws {
            try await RegistryCommand.setStatus(.suspended, name: self.name, options: self.options)
        }
    }

    struct Reinstate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reinstate a suspended cloud.")

        @OptionGroup var options: CommonOptions
        @Argument var name: String

        func run() async throws {
            try await RegistryCommand.setStatus(.active, name: self.name, options: self.options)
        }
    }

    static func setStatus(_ status: CloudStatus, name raw: String, options: CommonOptions) async throws {
        try await withExitCodes {
            let configuration = try options.resolve()
            let name = try CloudName.parse(raw)
            let store = try RegistryStores.open(configuration)
            guard var entry = try await RegistryStores.run({ try await store.entry(named: name) }) else {
                throw CLIError.usage("no cloud named \(name)")
            }
            entry.status = status
            entry.updatedAt = Date()
            try await RegistryStores.run { try await store.update(entry) }
            print("\(name): \(status.rawValue)")
        }
    }
}
