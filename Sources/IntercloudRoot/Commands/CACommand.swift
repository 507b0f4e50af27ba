import ArgumentParser
import Foundation
import Logging
import Registry
import TrustCA

/// `intercloud ca init|issue|revoke|crl` (issue: naming and trust): the certificate authority on the data
/// directory, server running or not.
struct CACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca", abstract: "Manage the certificate authority.",
        subcommands: [Init.self, Issue.self, Revoke.self, CRL.self])

    /// Loads (or on first use creates) the CA of the configured data directory.
    static func load(_ configuration: IntercloudConfiguration) throws(CLIError) -> CertificateAuthority {
        try DataDirectory.create(configuration.dataURL)
        do {
            return try CertificateAuthority.loadOrCreate(
                directory: configuration.dataURL.path, domain: configuration.domain, now: Date(),
                algorithm: KeyAlgorithm(rawValue: configuration.caAlgorithm) ?? .p256,
                publicBaseURL: configuration.publicURL, logger: Logger(label: "intercloud.ca"))
        } catch {
            throw .runtime("certificate authority: \(error.reason)")
        }
    }

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the root and issuing intermediate (then move DATA/ca/root.key offline if you like).")

        @OptionGroup var options: CommonOptions
        @Option(help: "Key algorithm: p256 (default), p384 or rsa3072.") var algorithm: String?

        func run() async throws {
            try await withExitCodes {
                var configuration = try self.options.resolve()
                if let algorithm = self.algorithm { configuration.caAlgorithm = algorithm }
                try configuration.validate()
                try DataDirectory.create(configuration.dataURL)
                do {
                    let ca = try CertificateAuthority.initialize(
                        directory: configuration.dataURL.path, domain: configuration.domain, now: Date(),
                        algorithm: KeyAlgorithm(rawValue: configuration.caAlgorithm) ?? .p256,
                        logger: Logger(label: "intercloud.ca"))
                    print(ca.chainPEM, terminator: "")
                } catch let error as TrustCAError {
                    if error.code == .alreadyInitialized {
                        throw CLIError.usage("a certificate authority already exists in \(configuration.dataURL.path)")
                    }
                    throw CLIError.runtime(error.reason)
                }
            }
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a certificate for a registered cloud from a PKCS#10 CSR; prints the chain, leaf first.")

        @OptionGroup var options: CommonOptions
        @Option(help: "The CSR file (PEM).") var csr: String
        @Option(help: "The registered cloud.") var cloud: String

        func run() async throws {
            try await withExitCodes {
                let configuration = try self.options.resolve()
                guard let pem = try? String(contentsOfFile: self.csr, encoding: .utf8) else {
                    throw CLIError.usage("cannot read \(self.csr)")
                }
                let name = try CloudName.parse(self.cloud)
                let store = try RegistryStores.open(configuration)
                guard let entry = try await RegistryStores.run({ try await store.entry(named: name) }) else {
                    throw CLIError.usage("no cloud named \(name)")
                }
                let ca = try CACommand.load(configuration)
                do {
                    let issued = try ca.issue(
                        csrPEM: pem, subject: CertificateService.subject(for: entry, domain: configuration.domain),
                        now: Date(), validity: TimeInterval(configuration.certificateValidityDays) * 86_400)
                    try await RegistryStores.run {
                        try await store.addCertificate(IssuedCertificateRef(der: issued.derEncoded), to: name)
                    }
                    FileHandle.standardError.write(Data("serial \(issued.serialHex)\n".utf8))
                    print(issued.chainPEM, terminator: "")
                } catch let error as TrustCAError {
                    throw CLIError.usage(error.reason)
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a certificate by its serial (hex).")

        @OptionGroup var options: CommonOptions
        @Argument var serial: String
        @Option(help: "RFC 5280 reason, e.g. keyCompromise, superseded (default unspecified).") var reason: String?

        func run() async throws {
            try await withExitCodes {
                let configuration = try self.options.resolve()
                guard let reason = self.reason.map({ RevocationReason(name: $0) }) ?? .unspecified else {
                    throw CLIError.usage("unknown revocation reason '\(self.reason ?? "")'")
                }
                let ca = try CACommand.load(configuration)
                do {
                    let record = try ca.revoke(serialHex: self.serial, reason: reason, now: Date())
                    print("revoked \(record.serialHex) (\(reason.name))")
                } catch let error as TrustCAError {
                    throw error.code == .unknownSerial ? CLIError.usage(error.reason) : CLIError.runtime(error.reason)
                }
            }
        }
    }

    struct CRL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the current CRL (PEM).")

        @OptionGroup var options: CommonOptions

        func run() async throws {
            try await withExitCodes {
                let configuration = try self.options.resolve()
                let ca = try CACommand.load(configuration)
                do {
                    print(try ca.currentCRLPEM(now: Date()), terminator: "")
                } catch let error as TrustCAError {
                    throw CLIError.runtime(error.reason)
                }
            }
        }
    }
}
