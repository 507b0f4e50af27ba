import NIOCore
import XMPPCore

/// Namespaces and node names of the Intercloud protocol (CONTRACT §5.1, §5.3).
public enum IntercloudNamespace {
    /// The PEP node and payload namespace of capability descriptions (CONTRACT §5.1).
    public static let capabilities = "urn:intercloud:capabilities:0"
    /// The item id of the one current description (CONTRACT §5.1).
    public static let currentItem = "current"
    /// The directory's match protocol (CONTRACT §5.3).
    public static let match = "urn:intercloud:match:0"
    /// SPARQL Query Results XML Format (W3C Rec 2013, §2).
    public static let sparqlResults = "http://www.w3.org/2005/sparql-results#"
}

/// Builders and readers for the Intercloud iqs, kept pure so they are testable without a server
/// (STYLE: typed payloads over an opaque carrier).
public enum IntercloudRequests {
    /// The PEP publish of a Turtle description to our own bare JID: node `urn:intercloud:capabilities:0`, item
    /// `current`, payload `<capabilities xmlns='urn:intercloud:capabilities:0'>` (CONTRACT §5.1; XEP-0163 §3;
    /// XEP-0060 §7.1.1).
    public static func publishCapabilities(turtle: String) -> XMLElement {
        let payload = XMLElement(
            name: "capabilities", namespace: IntercloudNamespace.capabilities, children: [.text(turtle)])
        let item = XMLElement(
            name: "item", namespace: Namespace.pubsub, attributes: ["id": IntercloudNamespace.currentItem],
            children: [.element(payload)])
        let publish = XMLElement(
            name: "publish", namespace: Namespace.pubsub, attributes: ["node": IntercloudNamespace.capabilities],
            children: [.element(item)])
        let pubsub = XMLElement(name: "pubsub", namespace: Namespace.pubsub, children: [.element(publish)])
        return XMLElement(
            name: "iq", namespace: Namespace.client, attributes: ["type": "set"], children: [.element(pubsub)])
    }

    /// `<iq type='get' to='directory'><match xmlns='urn:intercloud:match:0'><sparql>query</sparql></match></iq>`
    /// (CONTRACT §5.3).
    public static func match(sparql: String, directory: String) -> XMLElement {
        let query = XMLElement(name: "sparql", namespace: IntercloudNamespace.match, children: [.text(sparql)])
        let match = XMLElement(name: "match", namespace: IntercloudNamespace.match, children: [.element(query)])
        return XMLElement(
            name: "iq", namespace: Namespace.client, attributes: ["type": "get", "to": directory],
            children: [.element(match)])
    }

    /// The `<sparql xmlns='http://www.w3.org/2005/sparql-results#'>` document inside a match result
    /// (CONTRACT §5.3); throws ``XMPPClientError/Code/invalidResponse`` when it is missing.
    public static func matchResults(_ result: Stanza) throws(XMPPClientError) -> XMLElement {
        guard let match = result.element.child(named: "match", namespace: IntercloudNamespace.match),
            let sparql = match.child(named: "sparql", namespace: IntercloudNamespace.sparqlResults)
        else {
            throw XMPPClientError(.invalidResponse, "the match result holds no SPARQL results document")
        }
        return sparql
    }

    /// The rows of a SPARQL results document: per result, each bound variable with the text of its `<uri>`,
    /// `<literal>` or `<bnode>` (SPARQL Query Results XML Format §2.3). A convenience for harness checks.
    public static func rows(_ sparql: XMLElement) -> [[String: String]] {
        let results = sparql.child(named: "results", namespace: IntercloudNamespace.sparqlResults)
        return (results?.children(named: "result", namespace: IntercloudNamespace.sparqlResults) ?? []).map {
            result in
            var row: [String: String] = [:]
            for binding in result.children(named: "binding", namespace: IntercloudNamespace.sparqlResults) {
                guard let name = binding[attribute: "name"], let term = binding.elements.first else { continue }
                row[name] = term.text
            }
            return row
        }
    }
}

extension XMPPClientConnection {
    /// Publishes our capability description (CONTRACT §5.1). A description whose Turtle does not parse is refused
    /// with ``XMPPClientError/Code/stanzaError`` `bad-request`, whose text names the line.
    @discardableResult
    public func publishCapabilities(turtle: String, timeout: TimeAmount? = nil) async throws(XMPPClientError)
        -> Stanza
    {
        try await self.request(IntercloudRequests.publishCapabilities(turtle: turtle), timeout: timeout)
    }

    /// Runs a SPARQL SELECT (or ASK) at the directory, `directory.<domain>` unless given, and returns the raw
    /// `<sparql>` results element (CONTRACT §5.3). A query that does not parse fails with `bad-request`.
    public func match(sparql: String, directory: String? = nil, timeout: TimeAmount? = nil)
        async throws(XMPPClientError) -> XMLElement
    {
        let iq = IntercloudRequests.match(sparql: sparql, directory: directory ?? "directory.\(self.domain)")
        return try IntercloudRequests.matchResults(try await self.request(iq, timeout: timeout))
    }
}
