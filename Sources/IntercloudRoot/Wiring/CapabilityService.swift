import AdminAPI
import Capabilities
import Foundation
import RDF
import Registry
import XMPPCore
import XMPPServer

/// The admin API's capability operations (CONTRACT §4 `/sparql`, `/v1/clouds/{name}/capabilities`) over the
/// directory, the registry and the PEP store: a description set over HTTP is stored as the cloud's PEP item, so
/// it is the same description a PEP publish would have made and it survives a restart.
struct CapabilityService: CapabilityAdministration {
    let directory: CapabilityDirectory
    let registry: any RegistryStore
    let xmppStore: any XMPPStore
    let domain: String
    let now: @Sendable () -> Date

    func sparql(query: String, accept: String?) async throws(AdminAPIError) -> (contentType: String, body: String) {
        do {
            let result = try await self.directory.query(query)
            return SPARQLProtocolAnswer.make(result, accept: accept)
        } catch {
            throw Self.map(error)
        }
    }

    func setDescription(cloud: String, turtle: String) async throws(AdminAPIError) -> Bool {
        let account = try await self.registeredAccount(cloud)
        let triples: [Triple]
        do {
            triples = try self.directory.parseDescription(turtle, of: account)
        } catch {
            throw Self.map(error)
        }
        var payload = XMLElement(name: "capabilities", namespace: CapabilityVocabulary.payloadNamespace)
        payload.append(text: turtle)
        let item = StoredPubSubItem(
            id: "current", payload: payload.serialized(parentNamespace: nil), publisher: account.description,
            published: self.now())
        let replaced: Bool
        do {
            replaced =
                try await !self.xmppStore.items(
                    owner: account.description, node: CapabilityVocabulary.node, maxItems: 1
                ).isEmpty
            let existing = try await self.xmppStore.nodeConfiguration(
                owner: account.description, node: CapabilityVocabulary.node)
            try await self.xmppStore.publish(
                owner: account.description, node: CapabilityVocabulary.node, item: item,
                configuration: existing == nil ? .pepDefault : nil)
        } catch {
            throw AdminAPIError(.internalError, reason: "cannot store the description: \(error)")
        }
        self.directory.setDescription(triples, of: account)
        return replaced
    }

    func description(cloud: String) async throws(AdminAPIError) -> String {
        let account = try await self.registeredAccount(cloud)
        let text: String?
        do {
            text = try await CapabilityLoader.storedDescription(of: account, in: self.xmppStore)
        } catch {
            throw AdminAPIError(.internalError, reason: "cannot read the description: \(error)")
        }
        guard let text else { throw AdminAPIError(.notFound, reason: "\(cloud) has published no description") }
        return text
    }

    /// The account of a registered cloud, or `notFound`.
    private func registeredAccount(_ cloud: String) async throws(AdminAPIError) -> JID {
        guard let name = try? CloudName(cloud),
            let account = try? JID(localpart: cloud, domainpart: self.domain, resourcepart: nil)
        else {
            throw AdminAPIError(.notFound, reason: "no cloud named \(cloud)")
        }
        let entry: CloudEntry?
        do {
            entry = try await self.registry.entry(named: name)
        } catch {
            throw AdminAPIError(.serviceUnavailable, reason: "the registry is not reachable: \(error)")
        }
        guard entry != nil else { throw AdminAPIError(.notFound, reason: "no cloud named \(cloud)") }
        return account
    }

    /// The directory's errors as HTTP errors.
    static func map(_ error: CapabilityError) -> AdminAPIError {
        switch error.code {
        case .querySyntax: AdminAPIError(.querySyntax, reason: error.reason)
        case .invalidDescription: AdminAPIError(.invalidDescription, reason: error.reason)
        case .forbiddenAssertion: AdminAPIError(.forbiddenAssertion, reason: error.reason)
        case .unsupportedQuery: AdminAPIError(.badRequest, reason: error.reason)
        case .queryTimeout: AdminAPIError(.queryTimeout, reason: error.reason)
        case .resultTooLarge: AdminAPIError(.resultTooLarge, reason: error.reason)
        case .unknownCloud: AdminAPIError(.notFound, reason: error.reason)
        case .internalError: AdminAPIError(.internalError, reason: error.reason)
        }
    }
}
