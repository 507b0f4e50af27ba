/// A dictionary-encoded term identifier, valid only within the `QuadStore` that issued it.
public struct TermID: Hashable, Comparable, Sendable {
    /// The identifier (below 2^31: the SPARQL engine uses the upper half for computed terms).
    public var raw: UInt32
    /// An identifier from its raw value.
    public init(raw: UInt32) { self.raw = raw }
    /// The identifier of the default graph in `EncodedQuad.graph`.
    public static let defaultGraph = TermID(raw: 0)
    /// Orders identifiers by raw value (allocation order, not term order).
    public static func < (lhs: TermID, rhs: TermID) -> Bool { lhs.raw < rhs.raw }
}

/// A quad as term identifiers; `graph == .defaultGraph` for the default graph.
public struct EncodedQuad: Hashable, Sendable {
    /// The subject.
    public var subject: TermID
    /// The predicate.
    public var predicate: TermID
    /// The object.
    public var object: TermID
    /// The graph name, `TermID.defaultGraph` for the default graph.
    public var graph: TermID
    /// A quad from its identifiers.
    public init(subject: TermID, predicate: TermID, object: TermID, graph: TermID) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
        self.graph = graph
    }
}

/// Which graphs a pattern is matched against (SPARQL 1.1 §13.2 RDF datasets).
public enum GraphSelector: Hashable, Sendable {
    /// Only the default graph.
    case defaultGraph
    /// One named graph.
    case named(TermID)
    /// Every named graph (for `GRAPH ?g { … }`); the default graph excluded.
    case anyNamed
    /// The union of the default graph and every named graph, each triple reported once per graph it is in.
    case union
}
