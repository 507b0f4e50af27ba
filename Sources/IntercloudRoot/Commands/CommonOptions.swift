import ArgumentParser
import Foundation

/// Options shared by `serve` and `registry` (CONTRACT §2–§3).
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "TOML configuration file; flags override it.")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "Directory for all state (default ./intercloud-data).")
    var dataDir: String?

    @Option(name: .long, help: "The XMPP domain served (default intercloud.localhost).")
    var domain: String?

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
        try configuration.validate()
        return configuration
    }
}
