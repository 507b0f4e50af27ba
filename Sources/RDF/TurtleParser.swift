/// A Turtle parser (RDF 1.1 Turtle, W3C Recommendation 2014-02-25).
///
/// API CONTRACT: `parse(_:baseIRI:)` returns the document's triples in order, or throws `RDFError.syntax` naming the
/// line and column. Blank node labels are made unique per call unless `blankNodePrefix` says otherwise.
///
/// Every blank node (labelled or anonymous) gets the label `blankNodePrefix` + a counter local to the call, so two
/// documents loaded into one store must use different prefixes for their blank nodes to stay distinct. A relative
/// IRI with no base is an `RDFError.badIRI`; absolute IRIs are kept as written. The parser works on UTF-8 bytes and
/// nests `[…]`/`(…)` at most `256` levels deep.
public struct TurtleParser: Sendable {
    /// The base IRI for relative IRI resolution (Turtle §6.3); nil requires every IRI to be absolute or `@base` set.
    public var baseIRI: String?
    /// Prefix for generated blank node labels, so two documents loaded into one store do not share blank nodes.
    public var blankNodePrefix: String

    /// A parser with an optional base IRI and a blank node label prefix.
    public init(baseIRI: String? = nil, blankNodePrefix: String = "b") {
        self.baseIRI = baseIRI
        self.blankNodePrefix = blankNodePrefix
    }

    /// Parses a whole Turtle document.
    public func parse(_ text: String) throws(RDFError) -> [Triple] {
        var triples: [Triple] = []
        try self.parse(text) { triples.append($0) }
        return triples
    }

    /// Parses a whole Turtle document, handing each triple to `sink` as its statement completes (Turtle §6.5 [1]).
    ///
    /// Triples of statements before a syntax error have been delivered when the error is thrown.
    public func parse(_ text: String, _ sink: (Triple) -> Void) throws(RDFError) {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(RDFError) in try self.parse(utf8: buffer, sink) }
        }
        try result.get()
    }

    /// Parses a Turtle document given as UTF-8 bytes (ill-formed UTF-8 in strings and IRIs becomes U+FFFD).
    public func parse(utf8 bytes: UnsafeBufferPointer<UInt8>, _ sink: (Triple) -> Void) throws(RDFError) {
        var resolver: IRIResolver?
        if let baseIRI {
            guard let base = IRIResolver(base: baseIRI) else {
                throw RDFError(.badIRI, "base IRI <\(baseIRI)> is not absolute")
            }
            resolver = base
        }
        var reader = TurtleReader(bytes, base: resolver, blankPrefix: self.blankNodePrefix)
        while try reader.statement() {
            for triple in reader.output { sink(triple) }
            reader.output.removeAll(keepingCapacity: true)
        }
    }
}
