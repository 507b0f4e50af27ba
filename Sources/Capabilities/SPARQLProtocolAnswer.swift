import RDF
import SPARQL

/// Content negotiation for the SPARQL 1.1 Protocol (§2.1.5, §3.2): results as SPARQL Results JSON (the default)
/// or XML, graphs as N-Triples (also valid Turtle, labelled `text/turtle` when that is what was asked for).
public enum SPARQLProtocolAnswer {
    /// SPARQL 1.1 Query Results JSON Format §4.
    public static let jsonType = "application/sparql-results+json"
    /// SPARQL Query Results XML Format §4.
    public static let xmlType = "application/sparql-results+xml"
    /// RDF 1.1 N-Triples §5.
    public static let nTriplesType = "application/n-triples"

    /// The content type and body for `result` given the request's `Accept` header.
    public static func make(_ result: QueryResult, accept: String?) -> (contentType: String, body: String) {
        let accepted = self.mediaRanges(accept)
        if case .graph = result {
            let turtleFirst =
                accepted.firstIndex { $0 == "text/turtle" } ?? Int.max
                < accepted.firstIndex { $0 == self.nTriplesType } ?? Int.max
            let type = turtleFirst ? "text/turtle" : self.nTriplesType
            return (type + "; charset=utf-8", result.serialized(as: .json))
        }
        let xml = accepted.firstIndex { $0 == self.xmlType || $0 == "application/xml" || $0 == "text/xml" }
        let json = accepted.firstIndex { $0 == self.jsonType || $0 == "application/json" }
        if let xml, xml < json ?? Int.max {
            return (self.xmlType + "; charset=utf-8", result.serialized(as: .xml))
        }
        return (self.jsonType + "; charset=utf-8", result.serialized(as: .json))
    }

    /// The media ranges of an `Accept` header in order, by descending `q` (RFC 9110 §12.5.1), lower-cased.
    static func mediaRanges(_ accept: String?) -> [String] {
        guard let accept else { return [] }
        let ranges = accept.split(separator: ",").enumerated().map { index, part -> (String, Double, Int) in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            var quality = 1.0
            for parameter in pieces.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 1.0
            }
            return ((pieces.first ?? "").lowercased(), quality, index)
        }
        return ranges.filter { $0.1 > 0 }.sorted { ($0.1, -$0.2) > ($1.1, -$1.2) }.map(\.0)
    }
}
