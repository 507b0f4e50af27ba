import Capabilities
import Logging
import Registry
import XMPPCore
import XMPPServer

/// Fills the capability directory at start-up: registry facts for every cloud, then each cloud's stored
/// description (its PEP item on `urn:intercloud:capabilities:0`, CONTRACT §5.1).
enum CapabilityLoader {
    /// Loads everything; a description that no longer parses is skipped with a warning.
    static func load(
        _ directory: CapabilityDirectory, registry: any RegistryStore, xmppStore: any XMPPStore, domain: String,
        logger: Logger
    ) async throws {
        let entries = try await registry.list()
        var loaded = 0
        for entry in entries {
            directory.registryChanged(entry)
            guard let account = try? JID(localpart: entry.name.description, domainpart: domain, resourcepart: nil),
                let text = try await self.storedDescription(of: account, in: xmppStore)
            else { continue }
            do {
                directory.setDescription(try directory.parseDescription(text, of: account), of: account)
                loaded += 1
            } catch {
                logger.warning(
                    "stored description skipped", metadata: ["xmpp.jid": "\(account)", "error": "\(error.reason)"])
            }
        }
        logger.info(
            "capability directory loaded",
            metadata: ["clouds": "\(entries.count)", "descriptions": "\(loaded)", "quads": "\(directory.quadCount)"])
    }

    /// The Turtle text of `account`'s current description, if it has one.
    static func storedDescription(of account: JID, in store: any XMPPStore) async throws -> String? {
        guard
            let item = try await store.items(owner: account.description, node: CapabilityVocabulary.node, maxItems: 1)
                .first
        else { return nil }
        return try XMLStreamParser.fragments(item.payload).first?.text
    }
}
