import Logging
import Registry
import ServiceLifecycle
import XMPPCore
import XMPPServer

/// Ends the live sessions of clouds that were suspended or removed by another process (the CLI works on the store
/// directly, CONTRACT §3): every `interval` it checks the accounts that have sessions. A `Service`, stopped by the
/// group's graceful shutdown.
struct RegistrySweeper: Service {
    let store: any RegistryStore
    let sessions: SessionManager
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await Task.sleep(for: self.interval)
            } catch {
                return
            }
            await self.sweep()
        }
    }

    /// One pass: the sessions of accounts that are no longer active get `not-authorized`.
    func sweep() async {
        let accounts = Set(self.sessions.allSessions().map(\.jid.bare))
        for account in accounts {
            guard let local = account.localpart, let name = try? CloudName(local) else { continue }
            let entry: CloudEntry?
            do {
                entry = try await self.store.entry(named: name)
            } catch {
                continue  // a storage hiccup is not a reason to disconnect anyone
            }
            guard entry?.status != .active else { continue }
            let reason = entry == nil ? "the cloud was removed from the registry" : "the cloud is suspended"
            self.logger.notice("ending sessions", metadata: ["xmpp.jid": "\(account)", "reason": "\(reason)"])
            self.sessions.close(account: account, with: StreamError(.notAuthorized, text: reason))
        }
    }
}
