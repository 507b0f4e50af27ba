import Logging
import SPARQL
import XMPPCore
import XMPPServer

/// The Intercloud directory service at `directory.D` (CONTRACT §5): disco#info identity
/// `directory/intercloud` with feature `urn:intercloud:match:0`, and match queries answered with SPARQL Query
/// Results XML (CONTRACT §5.3). Queries run on a thread pool; the answer is delivered when ready.
public struct DirectoryComponent: ServerComponent {
    /// `directory.` + the server's domain.
    public let domain: String
    /// The disco#items name.
    public let name = "Intercloud directory"
    let directory: CapabilityDirectory
    let logger: Logger

    /// Creates the component for `directory` at `directory.<serverDomain>`.
    public init(serverDomain: String, directory: CapabilityDirectory, logger: Logger) {
        self.domain = "directory." + serverDomain
        self.directory = directory
        self.logger = logger
    }

    /// Answers disco and match requests; other requests get `service-unavailable` (RFC 6120 §8.3.3.19), messages
    /// are bounced the same way, presence and responses are ignored.
    public func handle(_ stanza: Stanza, from sender: Session) {
        switch stanza.kind {
        case .presence:
            return
        case .message:
            guard stanza.type != "error" else { return }
            sender.deliver(stanza.makeError(StanzaError(.serviceUnavailable, text: "the directory takes iq only")))
            return
        case .iq:
            guard stanza.isIQRequest else { return }
        }
        guard stanza.to?.localpart == nil, stanza.to?.resourcepart == nil, let payload = stanza.payload else {
            sender.deliver(stanza.makeError(StanzaError(.serviceUnavailable)))
            return
        }
        switch (payload.namespace, payload.name, stanza.type) {
        case (Namespace.discoInfo, "query", "get"):
            sender.deliver(stanza.makeResult(payload: self.discoInfo(payload)))
        case (Namespace.discoItems, "query", "get"):
            sender.deliver(stanza.makeResult(payload: XMLElement(name: "query", namespace: Namespace.discoItems)))
        case (CapabilityVocabulary.matchNamespace, "match", "get"):
            self.match(stanza, payload: payload, sender: sender)
        default:
            sender.deliver(stanza.makeError(StanzaError(.serviceUnavailable)))
        }
    }

    /// XEP-0030 §3.1 for the directory.
    func discoInfo(_ query: XMLElement) -> XMLElement {
        var result = XMLElement(name: "query", namespace: Namespace.discoInfo)
        result.append(
            XMLElement(
                name: "identity", namespace: Namespace.discoInfo,
                attributes: ["category": "directory", "type": "intercloud", "name": self.name]))
        for feature in [Namespace.discoInfo, Namespace.discoItems, CapabilityVocabulary.matchNamespace] {
            result.append(XMLElement(name: "feature", namespace: Namespace.discoInfo, attributes: ["var": feature]))
        }
        return result
    }

    /// CONTRACT §5.3: `<match><sparql>SELECT …</sparql></match>` → `<match>` holding the results document.
    func match(_ iq: Stanza, payload: XMLElement, sender: Session) {
        guard let text = payload.child(named: "sparql", namespace: CapabilityVocabulary.matchNamespace)?.text,
            !text.isEmpty
        else {
            sender.deliver(iq.makeError(StanzaError(.badRequest, text: "expected <sparql/> holding a query")))
            return
        }
        let query: SPARQLQuery
        do {
            query = try self.directory.parseQuery(text)
        } catch {
            sender.deliver(iq.makeError(StanzaError(.badRequest, text: error.reason)))
            return
        }
        guard query.form == .select || query.form == .ask else {
            sender.deliver(
                iq.makeError(StanzaError(.badRequest, text: "match takes SELECT or ASK; use /sparql for CONSTRUCT")))
            return
        }
        let directory = self.directory
        let logger = self.logger
        Task {
            do {
                let result = try await directory.evaluate(query)
                var answer = XMLElement(name: "match", namespace: CapabilityVocabulary.matchNamespace)
                if let document = SPARQLResultsElement.make(result) { answer.append(document) }
                sender.deliver(iq.makeResult(payload: answer))
            } catch let error as CapabilityError {
                logger.info("match query failed", metadata: ["error": "\(error.code.rawValue)"])
                sender.deliver(iq.makeError(Self.stanzaError(error)))
            } catch {
                sender.deliver(iq.makeError(StanzaError(.internalServerError)))
            }
        }
    }

    /// The stanza error for a failed query (RFC 6120 §8.3.3).
    static func stanzaError(_ error: CapabilityError) -> StanzaError {
        switch error.code {
        case .querySyntax, .unsupportedQuery, .invalidDescription: StanzaError(.badRequest, text: error.reason)
        case .forbiddenAssertion: StanzaError(.forbidden, text: error.reason)
        case .queryTimeout: StanzaError(.resourceConstraint, text: error.reason)
        // Not policy-violation (RFC 6120 §8.3.3.13): slixmpp, a common client, cannot parse that condition.
        case .resultTooLarge: StanzaError(.notAcceptable, text: error.reason)
        case .unknownCloud: StanzaError(.itemNotFound, text: error.reason)
        case .internalError: StanzaError(.internalServerError, text: error.reason)
        }
    }
}
