import RDF

/// The result of a query (SPARQL 1.1 §16): solutions for SELECT, a boolean for ASK, triples for CONSTRUCT and
/// DESCRIBE.
public enum QueryResult: Sendable {
    /// SELECT: the projected variables and one dictionary per solution holding only the bound variables.
    case bindings(variables: [String], rows: [[String: Term]])
    /// ASK.
    case boolean(Bool)
    /// CONSTRUCT / DESCRIBE: the graph's triples, without duplicates.
    case graph([Triple])

    /// Number of solutions, 1 for a boolean, or number of triples.
    public var rowCount: Int {
        switch self {
        case .bindings(_, let rows): return rows.count
        case .boolean: return 1
        case .graph(let triples): return triples.count
        }
    }
}

/// Serialisations of query results.
public enum SPARQLResultsFormat: Sendable {
    /// SPARQL 1.1 Query Results JSON Format (W3C Recommendation 2013-03-21).
    case json
    /// SPARQL Query Results XML Format, Second Edition (W3C Recommendation 2013-03-21).
    case xml
}

extension QueryResult {
    /// The result in the given format; graphs are always written as N-Triples (RDF 1.1 N-Triples).
    public func serialized(as format: SPARQLResultsFormat) -> String {
        switch self {
        case .graph(let triples): return NTriplesWriter.write(triples)
        default: return format == .json ? ResultsJSONWriter.write(self) : ResultsXMLWriter.write(self)
        }
    }
}
