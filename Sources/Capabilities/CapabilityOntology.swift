import RDF

/// The intercloud ontology (`schemas/intercloud.ttl`), compiled in so that the root needs no file at run time.
///
/// `CapabilityOntology+Text.swift` is generated from the schema by `scripts/embed-ontology.sh`; a test checks the
/// two are identical, so editing one without the other fails the suite.
public enum CapabilityOntology {
    /// The ontology's triples, loaded into the default graph so that `rdfs:subClassOf*` queries over the service
    /// hierarchy and region individuals work (CONTRACT §5.1). Empty if the embedded text does not parse, which the
    /// test suite rules out.
    public static let triples: [Triple] = (try? TurtleParser(blankNodePrefix: "ontology_").parse(Self.turtle)) ?? []
}
