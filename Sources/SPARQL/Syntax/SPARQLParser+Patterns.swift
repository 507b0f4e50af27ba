import RDF

extension SPARQLParser {
    /// `{ … }` (rule [53] GroupGraphPattern), including a sub-select.
    mutating func parseGroupGraphPattern() throws(SPARQLError) -> GroupPattern {
        let base = self.depth
        defer { self.depth = base }
        try self.enter()
        try self.expect("{")
        if self.accept(keyword: "SELECT") {
            let sub = try self.parseSubSelect()
            try self.expect("}")
            return GroupPattern(elements: [.subSelect(sub)])
        }
        var elements: [GroupElement] = []
        var canStartTriples = true
        while !self.accept("}") {
            if self.startsTriples {
                guard canStartTriples else { throw self.error("expected '.' or '}' between triple patterns") }
                let triples = try self.parseTriplesSameSubject(allowPaths: true)
                if case .triples(let previous) = elements.last {
                    elements[elements.count - 1] = .triples(previous + triples)
                } else {
                    elements.append(.triples(triples))
                }
                canStartTriples = self.accept(".")
                continue
            }
            let element = try self.parseGraphPatternNotTriples()
            switch element {
            case .optional, .minus, .bind: try self.enter()  // each nests the group's algebra one level deeper
            default: break
            }
            elements.append(element)
            _ = self.accept(".")
            canStartTriples = true
        }
        return GroupPattern(elements: elements)
    }

    /// Whether a TriplesSameSubjectPath (rule [75]) starts here.
    var startsTriples: Bool {
        switch self.current.kind {
        case .variable, .iri, .prefixedName, .blankNode, .string, .integer, .decimal, .double: return true
        case .punctuation("["), .punctuation("("): return true
        case .punctuation("+"), .punctuation("-"):
            switch self.next.kind {
            case .integer, .decimal, .double: return !self.next.spaceBefore
            default: return false
            }
        case .keyword("TRUE"), .keyword("FALSE"): return true
        default: return false
        }
    }

    /// Rule [56] GraphPatternNotTriples.
    mutating func parseGraphPatternNotTriples() throws(SPARQLError) -> GroupElement {
        let token = self.current
        switch token.kind {
        case .punctuation("{"):
            var groups = [try self.parseGroupGraphPattern()]
            while self.accept(keyword: "UNION") { groups.append(try self.parseGroupGraphPattern()) }
            return groups.count == 1 ? .group(groups[0]) : .union(groups)
        case .keyword("OPTIONAL"):
            self.advance()
            return .optional(try self.parseGroupGraphPattern())
        case .keyword("MINUS"):
            self.advance()
            return .minus(try self.parseGroupGraphPattern())
        case .keyword("GRAPH"):
            self.advance()
            let name = try self.parseVarOrIRI()
            return .graph(name, try self.parseGroupGraphPattern())
        case .keyword("SERVICE"):
            self.advance()
            let silent = self.accept(keyword: "SILENT")
            let name = try self.parseVarOrIRI()
            return .service(name, try self.parseGroupGraphPattern(), silent: silent)
        case .keyword("FILTER"):
            self.advance()
            return .filter(try self.parseConstraint())
        case .keyword("BIND"):
            self.advance()
            try self.expect("(")
            let e = try self.parseExpression()
            try self.expect(keyword: "AS")
            guard case .variable(let v) = self.current.kind else { throw self.error("expected a variable after AS") }
            self.advance()
            try self.expect(")")
            return .bind(e, v)
        case .keyword("VALUES"):
            self.advance()
            return .values(try self.parseDataBlock())
        default:
            throw self.error("expected a triple pattern, a group or a FILTER/OPTIONAL/…\(self.found)")
        }
    }

    /// Rule [107] VarOrIri.
    mutating func parseVarOrIRI() throws(SPARQLError) -> VarOrTerm {
        if case .variable(let v) = self.current.kind {
            self.advance()
            return .variable(v)
        }
        guard let iri = try self.parseIRIIfPresent() else {
            throw self.error("expected a variable or an IRI\(self.found)")
        }
        return .term(.iri(iri))
    }
}
