/// The Turtle grammar (RDF 1.1 Turtle §6.5 [1]–[17]) over a `ByteLexer`; each statement's triples go to `output`.
struct TurtleReader {
    /// Deepest nesting of `[ … ]` and `( … )` accepted (untrusted documents must not exhaust the stack).
    static let maxDepth = 256
    /// `rdf:type`, the meaning of `a` (Turtle §2.4).
    static let rdfType = Term.iri(RDFVocabulary.type)
    /// `rdf:first` of collection cells (Turtle §2.8).
    static let rdfFirst = Term.iri(RDFVocabulary.first)
    /// `rdf:rest` of collection cells.
    static let rdfRest = Term.iri(RDFVocabulary.rest)
    /// `rdf:nil`, the empty collection.
    static let rdfNil = Term.iri(RDFVocabulary.nil)

    /// The lexer over the document.
    var lexer: ByteLexer
    /// The current base IRI (Turtle §6.3), nil if none.
    var resolver: IRIResolver?
    /// The prefixes declared so far (Turtle §6.4).
    var prefixes: [String: String] = [:]
    /// The blank node of each document label.
    var blankNodes: [String: Term] = [:]
    /// The number of blank nodes generated.
    var blankCounter = 0
    /// Prepended to generated blank node labels.
    let blankPrefix: String
    /// The current nesting of `[…]` and `(…)`.
    var depth = 0
    /// Triples of the statements read so far and not yet taken by the caller.
    var output: [Triple] = []
    /// Datatype IRIs seen, so equal datatypes share one string.
    var datatypes: [String: String] = [:]

    /// A reader at the start of `bytes` (after a byte order mark).
    init(_ bytes: UnsafeBufferPointer<UInt8>, base: IRIResolver?, blankPrefix: String) {
        self.lexer = ByteLexer(bytes)
        self.resolver = base
        self.blankPrefix = blankPrefix
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { self.lexer.position = 3 }  // byte order mark
    }

    /// Reads one statement (Turtle §6.5 [2]); returns false at the end of the document.
    mutating func statement() throws(RDFError) -> Bool {
        self.lexer.skipWhitespace()
        if self.lexer.atEnd { return false }
        let b = self.lexer.peek()
        if b == ASCII.at {
            try self.directive()
        } else if let keyword = self.sparqlKeyword() {
            try self.sparqlDirective(keyword)
        } else {
            try self.triples()
            self.lexer.skipWhitespace()
            try self.lexer.expect(ASCII.dot, "'.' at the end of the statement")
        }
        return true
    }

    /// `@prefix` and `@base` (Turtle §6.5 [4], [5]).
    private mutating func directive() throws(RDFError) {
        let start = self.lexer.position
        self.lexer.position += 1
        while ASCII.isLetter(self.lexer.peek()) { self.lexer.position += 1 }
        let name = self.lexer.string((start + 1)..<self.lexer.position)
        switch name {
        case "prefix": try self.prefixDeclaration()
        case "base": try self.baseDeclaration()
        default: throw self.lexer.error("unknown directive '@\(name)'", at: start)
        }
        self.lexer.skipWhitespace()
        try self.lexer.expect(ASCII.dot, "'.' after the directive")
    }

    /// `PREFIX` or `BASE` (case-insensitive) not followed by a name character (Turtle §6.5 [5s], [6s]).
    private mutating func sparqlKeyword() -> String? {
        for keyword in ["PREFIX", "BASE"] {
            let utf8 = keyword.utf8
            var i = 0
            for k in utf8 {
                if self.lexer.peek(i) & 0xDF != k { break }
                i += 1
            }
            guard i == utf8.count else { continue }
            let next = self.lexer.peek(i)
            if next == ASCII.colon || next == ASCII.dot || next >= 0x80 || NameChars.isChar(UInt32(next)) { continue }
            self.lexer.position += i
            return keyword
        }
        return nil
    }

    private mutating func sparqlDirective(_ keyword: String) throws(RDFError) {
        if keyword == "PREFIX" { try self.prefixDeclaration() } else { try self.baseDeclaration() }
    }

    private mutating func prefixDeclaration() throws(RDFError) {
        self.lexer.skipWhitespace()
        let start = self.lexer.position
        let name = self.readPrefixName()
        guard self.lexer.peek() == ASCII.colon else {
            throw self.lexer.error("expected a prefix name ending in ':'", at: start)
        }
        self.lexer.position += 1
        self.lexer.skipWhitespace()
        guard self.lexer.peek() == ASCII.lessThan else {
            throw self.lexer.error("expected the namespace IRI of prefix '\(name):'\(self.lexer.foundDescription)")
        }
        self.prefixes[name] = try self.readIRIRef()
    }

    private mutating func baseDeclaration() throws(RDFError) {
        self.lexer.skipWhitespace()
        let start = self.lexer.position
        guard self.lexer.peek() == ASCII.lessThan else {
            throw self.lexer.error("expected the base IRI\(self.lexer.foundDescription)")
        }
        let iri = try self.readIRIRef()
        guard let resolver = IRIResolver(base: iri) else {
            throw self.lexer.error("base IRI <\(iri)> is not absolute", at: start, code: .badIRI)
        }
        self.resolver = resolver
    }

    /// `triples` (Turtle §6.5 [6]).
    private mutating func triples() throws(RDFError) {
        if self.lexer.peek() == ASCII.openBracket {
            if self.skipAnon() {
                try self.predicateObjectList(self.newBlankNode())
            } else {
                let subject = try self.blankNodePropertyList()
                self.lexer.skipWhitespace()
                if self.lexer.peek() != ASCII.dot { try self.predicateObjectList(subject) }
            }
        } else {
            try self.predicateObjectList(try self.readSubject())
        }
    }

    /// `predicateObjectList` (Turtle §6.5 [7]): verb objectList (';' (verb objectList)?)*.
    private mutating func predicateObjectList(_ subject: Term) throws(RDFError) {
        try self.verbObjectList(subject)
        while true {
            self.lexer.skipWhitespace()
            guard self.lexer.peek() == ASCII.semicolon else { return }
            while self.lexer.peek() == ASCII.semicolon {
                self.lexer.position += 1
                self.lexer.skipWhitespace()
            }
            let next = self.lexer.peek()
            if self.lexer.atEnd || next == ASCII.dot || next == ASCII.closeBracket { return }
            try self.verbObjectList(subject)
        }
    }

    private mutating func verbObjectList(_ subject: Term) throws(RDFError) {
        self.lexer.skipWhitespace()
        let predicate = try self.readVerb()
        while true {
            self.lexer.skipWhitespace()
            let object = try self.readObject()
            self.output.append(Triple(subject, predicate, object))
            self.lexer.skipWhitespace()
            guard self.lexer.peek() == ASCII.comma else { return }
            self.lexer.position += 1
        }
    }

    /// Consumes `[ ]` (ANON, Turtle §6.5 [162s]) if it is next.
    mutating func skipAnon() -> Bool {
        let start = self.lexer.position
        self.lexer.position += 1
        self.lexer.skipWhitespace()
        if self.lexer.peek() == ASCII.closeBracket {
            self.lexer.position += 1
            return true
        }
        self.lexer.position = start
        return false
    }

    /// `blankNodePropertyList` (Turtle §6.5 [14]): a fresh blank node described by the enclosed predicates.
    mutating func blankNodePropertyList() throws(RDFError) -> Term {
        try self.enter()
        defer { self.depth -= 1 }
        self.lexer.position += 1
        let node = self.newBlankNode()
        try self.predicateObjectList(node)
        self.lexer.skipWhitespace()
        try self.lexer.expect(ASCII.closeBracket, "']' closing the blank node property list")
        return node
    }

    /// `collection` (Turtle §6.5 [15]): an RDF list of `rdf:first`/`rdf:rest` cells ending in `rdf:nil`.
    mutating func collection() throws(RDFError) -> Term {
        try self.enter()
        defer { self.depth -= 1 }
        let open = self.lexer.position
        self.lexer.position += 1
        var items: [Term] = []
        while true {
            self.lexer.skipWhitespace()
            if self.lexer.peek() == ASCII.closeParen { break }
            if self.lexer.atEnd { throw self.lexer.error("unterminated collection", at: open) }
            items.append(try self.readObject())
        }
        self.lexer.position += 1
        guard !items.isEmpty else { return Self.rdfNil }
        let head = self.newBlankNode()
        var cell = head
        for (i, item) in items.enumerated() {
            self.output.append(Triple(cell, Self.rdfFirst, item))
            let next = i == items.count - 1 ? Self.rdfNil : self.newBlankNode()
            self.output.append(Triple(cell, Self.rdfRest, next))
            cell = next
        }
        return head
    }

    private mutating func enter() throws(RDFError) {
        self.depth += 1
        if self.depth > Self.maxDepth { throw self.lexer.error("nesting deeper than \(Self.maxDepth) levels") }
    }

    /// A fresh blank node.
    mutating func newBlankNode() -> Term {
        self.blankCounter += 1
        return .blank(self.blankPrefix + String(self.blankCounter))
    }

    /// The blank node of a document label (`_:x`), the same node for every use in the document.
    mutating func blankNode(label: String) -> Term {
        if let node = self.blankNodes[label] { return node }
        let node = self.newBlankNode()
        self.blankNodes[label] = node
        return node
    }
}
