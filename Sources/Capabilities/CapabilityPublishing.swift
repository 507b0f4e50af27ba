import NIOConcurrencyHelpers
import RDF
import XMPPCore
import XMPPServer

/// Connects the presence engine to the directory (CONTRACT §5.1, §5.2): PEP publications on
/// `urn:intercloud:capabilities:0` replace the cloud's description — Turtle that does not parse is refused with
/// `bad-request` naming the line and the previous description stays — and availability changes update the live
/// presence triples.
public final class CapabilityPublishing: PresenceObserver {
    let directory: CapabilityDirectory
    /// Descriptions parsed by ``validatePublish`` and waiting for ``published``; the engine calls the two in
    /// sequence for one publication, so at most one entry per account is ever waiting.
    private let parsed = NIOLockedValueBox([JID: [Triple]]())

    /// Creates the bridge for `directory`.
    public init(directory: CapabilityDirectory) {
        self.directory = directory
    }

    /// Parses the Turtle of a capabilities publication; anything else on that node is refused (XEP-0060 §7.1.3.5
    /// `bad-request` for an invalid payload).
    public func validatePublish(owner: JID, node: String, itemID: String?, payload: XMLElement) -> StanzaError? {
        guard node == CapabilityVocabulary.node else { return nil }
        guard itemID == nil || itemID == "current" else {
            return StanzaError(.badRequest, text: "the capabilities item id must be 'current'")
        }
        guard payload.name == "capabilities", payload.namespace == CapabilityVocabulary.payloadNamespace else {
            return StanzaError(
                .badRequest, text: "expected <capabilities xmlns='\(CapabilityVocabulary.payloadNamespace)'/>")
        }
        do {
            let triples = try self.directory.parseDescription(payload.text, of: owner)
            self.parsed.withLockedValue { $0[owner.bare] = triples }
            return nil
        } catch {
            return DirectoryComponent.stanzaError(error)
        }
    }

    /// Makes the validated description current.
    public func published(owner: JID, node: String, itemID: String, payload: XMLElement) {
        guard node == CapabilityVocabulary.node else { return }
        guard let triples = self.parsed.withLockedValue({ $0.removeValue(forKey: owner.bare) }) else { return }
        self.directory.setDescription(triples, of: owner)
    }

    /// The description was retracted or its node deleted.
    public func retracted(owner: JID, node: String, itemID: String?) {
        guard node == CapabilityVocabulary.node else { return }
        self.directory.removeDescription(of: owner)
    }

    /// Live presence (CONTRACT §5.2).
    public func availabilityChanged(account: JID, shows: [String?]) {
        self.directory.setAvailability(of: account, shows: shows)
    }
}
