import RDF

extension SPARQLParser {
    /// CONSTRUCT template triples (rule [75] TriplesTemplate); stops before '}'.
    mutating func parseTriplesTemplate() throws(SPARQLError) -> [PathTriple] {
        var triples: [PathTriple] = []
        while self.startsTriples {
            triples += try self.parseTriplesSameSubject(allowPaths: false)
            if !self.accept(".") { break }
        }
        return triples
    }

    /// Rules [75]/[81] TriplesSameSubject(Path): a subject with its property list, or a triples node.
    mutating func parseTriplesSameSubject(allowPaths: Bool) throws(SPARQLError) -> [PathTriple] {
        var triples: [PathTriple] = []
        if self.isPunctuation("[") && self.next.kind != .punctuation("]") {
            let subject = try self.parseTriplesNode(allowPaths: allowPaths, into: &triples)
            if self.startsVerb { try self.parsePropertyList(subject: subject, allowPaths: allowPaths, into: &triples) }
            return triples
        }
        if self.isPunctuation("(") && self.next.kind != .punctuation(")") {
            let subject = try self.parseTriplesNode(allowPaths: allowPaths, into: &triples)
            if self.startsVerb { try self.parsePropertyList(subject: subject, allowPaths: allowPaths, into: &triples) }
            return triples
        }
        let subject = try self.parseGraphNode(allowPaths: allowPaths, into: &triples)
        guard self.startsVerb else { throw self.error("expected a predicate\(self.found)") }
        try self.parsePropertyList(subject: subject, allowPaths: allowPaths, into: &triples)
        return triples
    }

    /// Whether a verb or path starts here.
    var startsVerb: Bool {
        switch self.current.kind {
        case .variable, .iri, .prefixedName, .a: return true
        case .punctuation("^"), .punctuation("!"), .punctuation("("): return true
        default: return false
        }
    }

    /// PropertyListPathNotEmpty (rule [83]).
    mutating func parsePropertyList(
        subject: VarOrTerm, allowPaths: Bool, into triples: inout [PathTriple]
    ) throws(SPARQLError) {
        while true {
            let predicate: PathTriple.Predicate
            if case .variable(let v) = self.current.kind {
                self.advance()
                predicate = .variable(v)
            } else if allowPaths {
                predicate = .path(try self.parsePath())
            } else if self.current.kind == .a {
                self.advance()
                predicate = .path(.link(RDFVocabulary.type))
            } else if let iri = try self.parseIRIIfPresent() {
                predicate = .path(.link(iri))
            } else {
                throw self.error("expected a predicate\(self.found)")
            }
            repeat {
                let object = try self.parseGraphNode(allowPaths: allowPaths, into: &triples)
                triples.append(PathTriple(subject: subject, predicate: predicate, object: object))
            } while self.accept(",")
            guard self.accept(";") else { return }
            while self.accept(";") {}
            if !self.startsVerb { return }
        }
    }

    /// GraphNode(Path) (rules [104]/[105]): a term or a triples node.
    mutating func parseGraphNode(allowPaths: Bool, into triples: inout [PathTriple]) throws(SPARQLError) -> VarOrTerm {
        if (self.isPunctuation("[") && self.next.kind != .punctuation("]"))
            || (self.isPunctuation("(") && self.next.kind != .punctuation(")"))
        {
            return try self.parseTriplesNode(allowPaths: allowPaths, into: &triples)
        }
        return try self.parseVarOrTerm()
    }

    /// A collection `( … )` or a blank node property list `[ … ]` (rules [98]–[103]).
    mutating func parseTriplesNode(allowPaths: Bool, into triples: inout [PathTriple]) throws(SPARQLError) -> VarOrTerm
    {
        try self.enter()
        defer { self.leave() }
        if self.accept("[") {
            let node = VarOrTerm.variable(self.freshBlank())
            try self.parsePropertyList(subject: node, allowPaths: allowPaths, into: &triples)
            try self.expect("]")
            return node
        }
        try self.expect("(")
        var items: [VarOrTerm] = []
        while !self.accept(")") {
            if self.current.kind == .end { throw self.error("unterminated collection") }
            items.append(try self.parseGraphNode(allowPaths: allowPaths, into: &triples))
        }
        let first = PathTriple.Predicate.path(.link(RDFVocabulary.first))
        let rest = PathTriple.Predicate.path(.link(RDFVocabulary.rest))
        var head = VarOrTerm.term(.iri(RDFVocabulary.nil))
        var nodes: [VarOrTerm] = []
        for _ in items { nodes.append(.variable(self.freshBlank())) }
        for (i, item) in items.enumerated() {
            triples.append(PathTriple(subject: nodes[i], predicate: first, object: item))
            let tail = i + 1 < nodes.count ? nodes[i + 1] : .term(.iri(RDFVocabulary.nil))
            triples.append(PathTriple(subject: nodes[i], predicate: rest, object: tail))
        }
        if let n = nodes.first { head = n }
        return head
    }

    /// VarOrTerm (rule [106]); blank nodes become hidden variables.
    mutating func parseVarOrTerm() throws(SPARQLError) -> VarOrTerm {
        switch self.current.kind {
        case .variable(let v):
            self.advance()
            return .variable(v)
        case .blankNode(let label):
            self.advance()
            return .variable("_:" + label)
        case .punctuation("["):
            self.advance()
            try self.expect("]")
            return .variable(self.freshBlank())
        case .punctuation("("):
            self.advance()
            try self.expect(")")
            return .term(.iri(RDFVocabulary.nil))
        default:
            if let iri = try self.parseIRIIfPresent() { return .term(.iri(iri)) }
            if let literal = try self.parseLiteralIfPresent() { return .term(literal) }
            throw self.error("expected a variable or an RDF term\(self.found)")
        }
    }

    /// An IRIREF (resolved) or a prefixed name (expanded), if the current token is one (rule [136]).
    mutating func parseIRIIfPresent() throws(SPARQLError) -> String? {
        switch self.current.kind {
        case .iri(let iri):
            self.advance()
            return self.resolve(iri)
        case .prefixedName(let prefix, let local):
            guard let namespace = self.prefixes[prefix] else { throw self.error("undeclared prefix '\(prefix):'") }
            self.advance()
            return namespace + local
        default:
            return nil
        }
    }

    /// An RDF literal, numeric literal (optionally signed) or boolean, if present (rules [129]–[135]).
    mutating func parseLiteralIfPresent() throws(SPARQLError) -> Term? {
        switch self.current.kind {
        case .string(let lexical):
            self.advance()
            if case .languageTag(let tag) = self.current.kind {
                self.advance()
                return .literal(Literal(lexical, language: tag))
            }
            if self.accept("^^") {
                guard let datatype = try self.parseIRIIfPresent() else { throw self.error("expected a datatype IRI") }
                return .literal(Literal(lexical, datatype: datatype))
            }
            return .string(lexical)
        case .integer(let text):
            self.advance()
            return .literal(Literal(text, datatype: XSD.integer))
        case .decimal(let text):
            self.advance()
            return .literal(Literal(text, datatype: XSD.decimal))
        case .double(let text):
            self.advance()
            return .literal(Literal(text, datatype: XSD.double))
        case .keyword("TRUE"):
            self.advance()
            return .boolean(true)
        case .keyword("FALSE"):
            self.advance()
            return .boolean(false)
        case .punctuation(let sign) where sign == "+" || sign == "-":
            guard !self.next.spaceBefore else { return nil }
            let datatype: String
            let text: String
            switch self.next.kind {
            case .integer(let t): (datatype, text) = (XSD.integer, t)
            case .decimal(let t): (datatype, text) = (XSD.decimal, t)
            case .double(let t): (datatype, text) = (XSD.double, t)
            default: return nil
            }
            self.advance()
            self.advance()
            return .literal(Literal(sign + text, datatype: datatype))
        default:
            return nil
        }
    }

    // MARK: Property paths (rules [88]–[96])

    /// Rule [88] Path (PathAlternative).
    mutating func parsePath() throws(SPARQLError) -> PropertyPath {
        try self.enter()
        defer { self.leave() }
        var path = try self.parsePathSequence()
        let base = self.depth
        defer { self.depth = base }
        while self.accept("|") {
            try self.enter()
            path = .alternative(path, try self.parsePathSequence())
        }
        return path
    }

    /// Rule [90] PathSequence.
    mutating func parsePathSequence() throws(SPARQLError) -> PropertyPath {
        var path = try self.parsePathEltOrInverse()
        let base = self.depth
        defer { self.depth = base }
        while self.accept("/") {
            try self.enter()
            path = .sequence(path, try self.parsePathEltOrInverse())
        }
        return path
    }

    /// Rule [92] PathEltOrInverse.
    mutating func parsePathEltOrInverse() throws(SPARQLError) -> PropertyPath {
        if self.accept("^") { return .inverse(try self.parsePathElt()) }
        return try self.parsePathElt()
    }

    /// Rule [91] PathElt.
    mutating func parsePathElt() throws(SPARQLError) -> PropertyPath {
        let primary = try self.parsePathPrimary()
        if self.isPunctuation("?") {
            self.advance()
            return .zeroOrOne(primary)
        }
        if self.isPunctuation("*") {
            self.advance()
            return .zeroOrMore(primary)
        }
        if self.isPunctuation("+") {
            // '+' followed without space by a number is a signed literal object, not a path modifier.
            if case .integer = self.next.kind, !self.next.spaceBefore { return primary }
            self.advance()
            return .oneOrMore(primary)
        }
        return primary
    }

    /// Rule [94] PathPrimary.
    mutating func parsePathPrimary() throws(SPARQLError) -> PropertyPath {
        if self.current.kind == .a {
            self.advance()
            return .link(RDFVocabulary.type)
        }
        if let iri = try self.parseIRIIfPresent() { return .link(iri) }
        if self.accept("!") {
            var forward: [String] = []
            var inverse: [String] = []
            func one(_ parser: inout SPARQLParser) throws(SPARQLError) {
                let isInverse = parser.accept("^")
                let iri: String
                if parser.current.kind == .a {
                    parser.advance()
                    iri = RDFVocabulary.type
                } else if let i = try parser.parseIRIIfPresent() {
                    iri = i
                } else {
                    throw parser.error("expected an IRI in a negated property set\(parser.found)")
                }
                if isInverse { inverse.append(iri) } else { forward.append(iri) }
            }
            if self.accept("(") {
                if !self.accept(")") {
                    try one(&self)
                    while self.accept("|") { try one(&self) }
                    try self.expect(")")
                }
            } else {
                try one(&self)
            }
            return .negated(forward: forward, inverse: inverse)
        }
        if self.accept("(") {
            let path = try self.parsePath()
            try self.expect(")")
            return path
        }
        throw self.error("expected a property path\(self.found)")
    }
}
