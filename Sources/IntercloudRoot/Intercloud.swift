import ArgumentParser

/// `intercloud`: the Intercloud Root executable (CONTRACT §1).
@main
struct Intercloud: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "intercloud",
        abstract: "The intercloud root: XMPP presence, a registry of clouds, and a certificate authority.",
        version: Self.version,
        subcommands: [ServeCommand.self, RegistryCommand.self, CACommand.self, HarnessCommand.self]
    )
}
