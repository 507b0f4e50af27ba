/// An RDF triple (RDF 1.1 Concepts §3.1).
public struct Triple: Hashable, Sendable {
    /// The subject: an IRI or a blank node.
    public var subject: Term
    /// The predicate: an IRI.
    public var predicate: Term
    /// The object: any term.
    public var object: Term

    /// A triple from its terms.
    public init(_ subject: Term, _ predicate: Term, _ object: Term) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
    }
}

/// The graph a quad belongs to: the default graph or a named graph (RDF 1.1 Concepts §4).
public enum GraphName: Hashable, Sendable {
    /// The default graph.
    case defaultGraph
    /// A named graph (its name is an IRI or a blank node).
    case named(Term)
}

/// A triple in a graph (RDF 1.1 Concepts §4, the quads of an RDF dataset).
public struct Quad: Hashable, Sendable {
    /// The triple.
    public var triple: Triple
    /// The graph holding it.
    public var graph: GraphName

    /// A quad in `graph`.
    public init(_ triple: Triple, graph: GraphName = .defaultGraph) {
        self.triple = triple
        self.graph = graph
    }
}
