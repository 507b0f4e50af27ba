/// An N-Triples parser (RDF 1.1 N-Triples).
///
/// Blank node labels are kept as written unless `blankNodePrefix` is set (then it is prepended to each label).
public struct NTriplesParser: Sendable {
    /// Prepended to every blank node label, so two documents loaded into one store do not share blank nodes.
    public var blankNodePrefix: String?

    /// A parser keeping blank node labels as written.
    public init() {}

    /// A parser prefixing blank node labels.
    public init(blankNodePrefix: String?) { self.blankNodePrefix = blankNodePrefix }

    /// Parses a whole N-Triples document.
    public func parse(_ text: String) throws(RDFError) -> [Triple] {
        var triples: [Triple] = []
        try self.parse(text) { triples.append($0) }
        return triples
    }

    /// Parses a whole N-Triples document, handing each triple to `sink`.
    public func parse(_ text: String, _ sink: (Triple) -> Void) throws(RDFError) {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(RDFError) in try self.parse(utf8: buffer, sink) }
        }
        try result.get()
    }

    /// Parses N-Triples given as UTF-8 bytes; `firstLine` numbers the first line (for a document fed in pieces that
    /// are split at line ends).
    public func parse(utf8 bytes: UnsafeBufferPointer<UInt8>, firstLine: Int = 1, _ sink: (Triple) -> Void)
        throws(RDFError)
    {
        var reader = NTriplesReader(bytes, firstLine: firstLine, allowGraph: false, blankPrefix: self.blankNodePrefix)
        while let quad = try reader.next() { sink(quad.triple) }
    }
}

/// An N-Quads parser (RDF 1.1 N-Quads): N-Triples with an optional graph label per line.
public struct NQuadsParser: Sendable {
    /// Prepended to every blank node label.
    public var blankNodePrefix: String?

    /// A parser, optionally prefixing blank node labels.
    public init(blankNodePrefix: String? = nil) { self.blankNodePrefix = blankNodePrefix }

    /// Parses a whole N-Quads document.
    public func parse(_ text: String) throws(RDFError) -> [Quad] {
        var quads: [Quad] = []
        try self.parse(text) { quads.append($0) }
        return quads
    }

    /// Parses a whole N-Quads document, handing each quad to `sink`.
    public func parse(_ text: String, _ sink: (Quad) -> Void) throws(RDFError) {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(RDFError) in try self.parse(utf8: buffer, sink) }
        }
        try result.get()
    }

    /// Parses N-Quads given as UTF-8 bytes; `firstLine` numbers the first line.
    public func parse(utf8 bytes: UnsafeBufferPointer<UInt8>, firstLine: Int = 1, _ sink: (Quad) -> Void)
        throws(RDFError)
    {
        var reader = NTriplesReader(bytes, firstLine: firstLine, allowGraph: true, blankPrefix: self.blankNodePrefix)
        while let quad = try reader.next() { sink(quad) }
    }
}

/// The N-Triples / N-Quads grammar (N-Triples §7, N-Quads §5): one statement per line.
struct NTriplesReader {
    /// The lexer over the document.
    var lexer: ByteLexer
    /// Whether a graph label may follow the object (N-Quads).
    let allowGraph: Bool
    /// Prepended to blank node labels, if set.
    let blankPrefix: String?
    /// Datatype IRIs seen, so equal datatypes share one string.
    var datatypes: [String: String] = [:]

    /// A reader at the start of `bytes`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int, allowGraph: Bool, blankPrefix: String?) {
        self.lexer = ByteLexer(bytes, firstLine: firstLine)
        self.allowGraph = allowGraph
        self.blankPrefix = blankPrefix
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { self.lexer.position = 3 }
    }

    /// The next statement, or nil at the end of the document.
    mutating func next() throws(RDFError) -> Quad? {
        while true {
            self.lexer.skipSpaces()
            if self.lexer.atEnd { return nil }
            let b = self.lexer.peek()
            if b == ASCII.newline || b == ASCII.carriageReturn {
                self.lexer.position += 1
                continue
            }
            let subject: Term = b == ASCII.underscore ? try self.readBlankNode() : .iri(try self.readIRI("a subject"))
            self.lexer.skipSpaces()
            let predicate = Term.iri(try self.readIRI("a predicate"))
            self.lexer.skipSpaces()
            let object = try self.readObject()
            self.lexer.skipSpaces()
            var graph = GraphName.defaultGraph
            let g = self.lexer.peek()
            if g == ASCII.lessThan || g == ASCII.underscore {
                guard self.allowGraph else { throw self.lexer.error("expected '.' (N-Triples has no graph label)") }
                graph = .named(g == ASCII.underscore ? try self.readBlankNode() : .iri(try self.readIRI("a graph")))
                self.lexer.skipSpaces()
            }
            try self.lexer.expect(ASCII.dot, "'.' at the end of the statement")
            self.lexer.skipSpaces()
            let end = self.lexer.peek()
            guard self.lexer.atEnd || end == ASCII.newline || end == ASCII.carriageReturn else {
                throw self.lexer.error("expected the end of the line after '.'")
            }
            return Quad(Triple(subject, predicate, object), graph: graph)
        }
    }

    private mutating func readIRI(_ role: String) throws(RDFError) -> String {
        guard self.lexer.peek() == ASCII.lessThan else {
            throw self.lexer.error("expected \(role) IRI\(self.lexer.foundDescription)")
        }
        let start = self.lexer.position
        let iri = try self.lexer.readIRIRef()
        guard IRIResolver.hasScheme(iri) else {
            throw self.lexer.error("relative IRI <\(iri)> (N-Triples IRIs are absolute)", at: start, code: .badIRI)
        }
        return iri
    }

    private mutating func readBlankNode() throws(RDFError) -> Term {
        guard self.lexer.peek() == ASCII.underscore && self.lexer.peek(1) == ASCII.colon else {
            throw self.lexer.error("expected '_:' starting a blank node")
        }
        let label = try self.lexer.readBlankNodeLabel()
        return .blank(self.blankPrefix.map { $0 + label } ?? label)
    }

    private mutating func readObject() throws(RDFError) -> Term {
        switch self.lexer.peek() {
        case ASCII.underscore: return try self.readBlankNode()
        case ASCII.quote: break
        default: return .iri(try self.readIRI("an object"))
        }
        let value = try self.lexer.readString(allowLong: false)
        if self.lexer.peek() == ASCII.at {
            return .literal(Literal(value, language: try self.lexer.readLanguageTag()))
        }
        guard self.lexer.peek() == ASCII.caret && self.lexer.peek(1) == ASCII.caret else { return .string(value) }
        self.lexer.position += 2
        let datatype = try self.readIRI("a datatype")
        if let shared = self.datatypes[datatype] { return .literal(Literal(value, datatype: shared)) }
        if self.datatypes.count < 256 { self.datatypes[datatype] = datatype }
        return .literal(Literal(value, datatype: datatype))
    }
}
