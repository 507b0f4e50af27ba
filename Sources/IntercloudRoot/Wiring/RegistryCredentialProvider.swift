import Registry
import XMPPCore
import XMPPServer

/// Answers the XMPP server's credential questions from the registry (the server does not import the registry).
struct RegistryCredentialProvider: CredentialProvider {
    let store: any RegistryStore

    func scramCredentials(username: String, hash: SCRAMHash) async -> CredentialLookup {
        guard let entry = await self.entry(username), let credentials = entry.credentials(for: hash) else {
            return .notFound
        }
        return .found(credentials, disabled: entry.status != .active)
    }

    func checkPassword(username: String, password: String) async -> C2SNegotiationStateMachine.PasswordCheck {
        guard let entry = await self.entry(username),
            let credentials = entry.credentials(for: .sha256) ?? entry.credentials(for: .sha1)
        else {
            return .invalid
        }
        return .check(password: password, against: credentials, disabled: entry.status != .active)
    }

    private func entry(_ username: String) async -> CloudEntry? {
        guard let name = try? CloudName(username) else { return nil }
        return try? await self.store.entry(named: name)
    }
}
