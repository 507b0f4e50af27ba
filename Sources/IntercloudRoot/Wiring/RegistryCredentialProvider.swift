import Registry
import XMPPCore
import XMPPServer

/// Answers the XMPP server's credential questions from the registry (the server does not import the registry).
struct RegistryCredentialProvider: CredentialProvider, AccountDirectory {
    let store: any RegistryStore
    let domain: String

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

    /// RFC 6121 §3.1.3, §8.5: an active registered cloud of this domain.
    func accountExists(_ bareJID: JID) async -> Bool {
        guard bareJID.domainpart == self.domain, let local = bareJID.localpart, let entry = await self.entry(local)
        else {
            return false
        }
        return entry.status == .active
    }

    private func entry(_ username: String) async -> CloudEntry? {
        guard let name = try? CloudName(username) else { return nil }
        return try? await self.store.entry(named: name)
    }
}
