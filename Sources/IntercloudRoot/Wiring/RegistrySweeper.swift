import Capabilities
import Logging
import Registry
import ServiceLifecycle
import XMPPCore
import XMPPServer

/// Follows registry changes made by another process (the CLI works on the store directly, CONTRACT §3): every
/// `interval` it lists the registry once, ends the live sessions of clouds that were suspended or removed, and
/// passes changed entries to the capability directory so that suspended or removed clouds leave match results.
/// A `Service`, stopped by the group's graceful shutdown.
struct RegistrySweeper: Service {
    let store: any RegistryStore
    let sessions: SessionManager
    let directory: CapabilityDirectory?
    let domain: String
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var known: [CloudName: CloudEntry]? = nil
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // Wakes at once on graceful shutdown instead of finishing the sleep (ServiceLifecycle).
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            } catch {
                return
            }
            known = await self.sweep(previous: known)
        }
    }

    /// One pass; returns the registry as listed, or `previous` when the registry could not be read (a storage
    /// hiccup is not a reason to disconnect anyone).
    func sweep(previous: [CloudName: CloudEntry]?) async -> [CloudName: CloudEntry]? {
        let entries: [CloudEntry]
        do {
            entries = try await self.store.list()
        } catch {
            self.logger.debug("registry sweep skipped", metadata: ["error": "\(error)"])
            return previous
        }
        let current = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        await self.closeInactiveSessions(current)
        if let directory = self.directory {
            // Only entries that changed between two listings: an older listing must not undo a newer API change.
            for entry in entries where previous?[entry.name] != entry {
                directory.registryChanged(entry)
            }
            // Removals come from comparing two listings, never from comparing a listing with the directory: a
            // cloud added through the API after this listing was read is already in the directory and must stay.
            if let previous {
                for name in previous.keys where current[name] == nil {
                    if let account = try? JID(localpart: name.description, domainpart: self.domain, resourcepart: nil) {
                        directory.registryRemoved(account)
                    }
                }
            } else {
                for account in directory.knownAccounts() {
                    guard let local = account.localpart, let name = try? CloudName(local), current[name] == nil else {
                        continue
                    }
                    do {
                        if try await self.store.entry(named: name) == nil { directory.registryRemoved(account) }
                    } catch {
                        continue
                    }
                }
            }
        }
        return current
    }

    /// The sessions of accounts that are no longer active get `not-authorized`. The listing may predate a cloud that
    /// was registered or reinstated since, so each candidate is looked up once more before its sessions end.
    private func closeInactiveSessions(_ current: [CloudName: CloudEntry]) async {
        let accounts = Set(self.sessions.allSessions().map(\.jid.bare))
        for account in accounts {
            guard let local = account.localpart, let name = try? CloudName(local),
                current[name]?.status != .active
            else { continue }
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
