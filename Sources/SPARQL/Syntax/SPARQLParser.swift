import RDF

/// A query as parsed, before translation to the algebra (SPARQL 1.1 §19.8 rule [2] Query).
struct ParsedQuery: Sendable {
    /// The query form.
    var form: QueryForm
    /// The WHERE pattern with solution modifiers; the projection is used only by SELECT.
    var select: SelectQuery
    /// CONSTRUCT template triples.
    var template: [TemplateTriple] = []
    /// DESCRIBE targets; nil for `DESCRIBE *`.
    var describe: [VarOrTerm]?
    /// FROM graph IRIs (§13.2.1).
    var from: [String] = []
    /// FROM NAMED graph IRIs (§13.2.2).
    var fromNamed: [String] = []
}

/// A recursive-descent parser for SPARQL 1.1 queries (SPARQL 1.1 §19, grammar rules [1]–[173]).
struct SPARQLParser {
    /// The query's tokens.
    var tokens: [Token]
    /// The current token.
    var index = 0
    /// The base IRI in effect.
    var base: String?
    /// Declared prefixes.
    var prefixes: [String: String] = [:]
    /// Counter for anonymous blank nodes.
    var blankCounter = 0
    /// Current nesting of the syntax tree being built: groups, brackets, paths, collections, and each operator of
    /// a left-deep chain (`a + b + c`, OPTIONAL after OPTIONAL).
    var depth = 0
    /// Deeper nesting is refused so that parsing, translation, planning and evaluation (all recursive) stay within
    /// the stack of any thread that runs a query.
    static let maximumDepth = 128

    /// A parser over `text`.
    init(_ text: String, baseIRI: String?) throws(SPARQLError) {
        self.tokens = try SPARQLLexer.tokenize(text)
        self.base = baseIRI
    }

    // MARK: Token helpers

    /// The current token.
    var current: Token { self.tokens[self.index] }
    /// The token after the current one.
    var next: Token { self.tokens[min(self.index + 1, self.tokens.count - 1)] }

    /// A syntax error at a token.
    func error(_ reason: String, at token: Token? = nil) -> SPARQLError {
        let t = token ?? self.current
        return SPARQLError(.syntax, reason, line: t.line, column: t.column)
    }

    /// Whether the current token is `word`.
    func isKeyword(_ word: String) -> Bool { self.current.kind == .keyword(word) }
    /// Whether the current token is `p`.
    func isPunctuation(_ p: String) -> Bool { self.current.kind == .punctuation(p) }

    /// Moves to the next token.
    mutating func advance() { if self.index < self.tokens.count - 1 { self.index += 1 } }

    /// Consumes the keyword if present.
    mutating func accept(keyword word: String) -> Bool {
        guard self.isKeyword(word) else { return false }
        self.advance()
        return true
    }

    /// Consumes the punctuation if present.
    mutating func accept(_ p: String) -> Bool {
        guard self.isPunctuation(p) else { return false }
        self.advance()
        return true
    }

    /// Consumes the punctuation or throws.
    mutating func expect(_ p: String) throws(SPARQLError) {
        guard self.accept(p) else { throw self.error("expected '\(p)'\(self.found)") }
    }

    /// Consumes the keyword or throws.
    mutating func expect(keyword word: String) throws(SPARQLError) {
        guard self.accept(keyword: word) else { throw self.error("expected \(word)\(self.found)") }
    }

    /// A description of the current token for error messages.
    var found: String {
        switch self.current.kind {
        case .end: return " but the query ended"
        case .punctuation(let p): return " but found '\(p)'"
        case .keyword(let k): return " but found \(k)"
        case .variable(let v): return " but found ?\(v)"
        default: return ""
        }
    }

    /// Enters one nesting level; throws past `maximumDepth`.
    mutating func enter() throws(SPARQLError) {
        self.depth += 1
        if self.depth > Self.maximumDepth {
            throw self.error("the query nests deeper than \(Self.maximumDepth) levels")
        }
    }

    /// Leaves a nesting level.
    mutating func leave() { self.depth -= 1 }

    /// A fresh hidden variable for an anonymous blank node.
    mutating func freshBlank() -> String {
        self.blankCounter += 1
        return "_:#\(self.blankCounter)"
    }

    // MARK: Query

    /// Parses a whole query (rule [2]).
    mutating func parseQuery() throws(SPARQLError) -> ParsedQuery {
        try self.parsePrologue()
        var query: ParsedQuery
        if self.accept(keyword: "SELECT") {
            var select = try self.parseSelectClause()
            let (from, named) = try self.parseDatasetClauses()
            _ = self.accept(keyword: "WHERE")
            select.pattern = try self.parseGroupGraphPattern()
            try self.parseSolutionModifiers(into: &select)
            query = ParsedQuery(form: .select, select: select, from: from, fromNamed: named)
        } else if self.accept(keyword: "CONSTRUCT") {
            query = try self.parseConstruct()
        } else if self.accept(keyword: "DESCRIBE") {
            var targets: [VarOrTerm]? = []
            if self.accept("*") {
                targets = nil
            } else {
                while true {
                    if case .variable(let v) = self.current.kind {
                        self.advance()
                        targets?.append(.variable(v))
                    } else if let iri = try self.parseIRIIfPresent() {
                        targets?.append(.term(.iri(iri)))
                    } else {
                        break
                    }
                }
                if targets?.isEmpty == true { throw self.error("DESCRIBE needs '*' or at least one variable or IRI") }
            }
            let (from, named) = try self.parseDatasetClauses()
            var select = SelectQuery()
            if self.accept(keyword: "WHERE") || self.isPunctuation("{") {
                select.pattern = try self.parseGroupGraphPattern()
            }
            try self.parseSolutionModifiers(into: &select)
            query = ParsedQuery(form: .describe, select: select, describe: targets, from: from, fromNamed: named)
        } else if self.accept(keyword: "ASK") {
            let (from, named) = try self.parseDatasetClauses()
            var select = SelectQuery()
            _ = self.accept(keyword: "WHERE")
            select.pattern = try self.parseGroupGraphPattern()
            try self.parseSolutionModifiers(into: &select)
            query = ParsedQuery(form: .ask, select: select, from: from, fromNamed: named)
        } else {
            throw self.error("expected SELECT, CONSTRUCT, DESCRIBE or ASK\(self.found)")
        }
        if self.accept(keyword: "VALUES") { query.select.values = try self.parseDataBlock() }
        guard self.current.kind == .end else { throw self.error("unexpected input after the query\(self.found)") }
        return query
    }

    /// BASE and PREFIX declarations (rules [4]–[6]).
    mutating func parsePrologue() throws(SPARQLError) {
        while true {
            if self.accept(keyword: "BASE") {
                guard case .iri(let iri) = self.current.kind else { throw self.error("BASE needs an IRI") }
                self.advance()
                self.base = self.resolve(iri)
            } else if self.accept(keyword: "PREFIX") {
                guard case .prefixedName(let prefix, let local) = self.current.kind, local.isEmpty else {
                    throw self.error("PREFIX needs a prefix name ending with ':'")
                }
                self.advance()
                guard case .iri(let iri) = self.current.kind else { throw self.error("PREFIX needs an IRI") }
                self.advance()
                self.prefixes[prefix] = self.resolve(iri)
            } else {
                return
            }
        }
    }

    /// Resolves a relative IRI against the BASE (RFC 3986 §5.2); kept as written without a usable base.
    func resolve(_ iri: String) -> String {
        guard let base = self.base, !IRIResolver.hasScheme(iri), let resolver = IRIResolver(base: base) else {
            return iri
        }
        return resolver.resolve(iri)
    }

    /// FROM and FROM NAMED clauses (rules [13]–[16]).
    mutating func parseDatasetClauses() throws(SPARQLError) -> ([String], [String]) {
        var from: [String] = []
        var named: [String] = []
        while self.accept(keyword: "FROM") {
            let isNamed = self.accept(keyword: "NAMED")
            guard let iri = try self.parseIRIIfPresent() else { throw self.error("FROM needs an IRI") }
            if isNamed { named.append(iri) } else { from.append(iri) }
        }
        return (from, named)
    }

    /// SELECT clause (rule [9]), after the SELECT keyword.
    mutating func parseSelectClause() throws(SPARQLError) -> SelectQuery {
        var select = SelectQuery()
        if self.accept(keyword: "DISTINCT") {
            select.distinct = true
        } else if self.accept(keyword: "REDUCED") {
            select.reduced = true
        }
        if self.accept("*") { return select }
        var projection: [Projection] = []
        while true {
            if case .variable(let v) = self.current.kind {
                self.advance()
                projection.append(Projection(variable: v, expression: nil))
            } else if self.isPunctuation("(") {
                let open = self.current
                self.advance()
                let expression = try self.parseExpression()
                try self.expect(keyword: "AS")
                guard case .variable(let v) = self.current.kind else {
                    throw self.error("expected a variable after AS")
                }
                self.advance()
                try self.expect(")")
                if projection.contains(where: { $0.variable == v }) {
                    throw self.error("variable ?\(v) is projected twice", at: open)
                }
                projection.append(Projection(variable: v, expression: expression))
            } else {
                break
            }
        }
        if projection.isEmpty { throw self.error("SELECT needs '*' or at least one variable or (expression AS ?var)") }
        select.projection = projection
        return select
    }

    /// A sub-select (rule [8]) after its SELECT keyword.
    mutating func parseSubSelect() throws(SPARQLError) -> SelectQuery {
        var select = try self.parseSelectClause()
        _ = self.accept(keyword: "WHERE")
        select.pattern = try self.parseGroupGraphPattern()
        try self.parseSolutionModifiers(into: &select)
        if self.accept(keyword: "VALUES") { select.values = try self.parseDataBlock() }
        return select
    }

    /// A CONSTRUCT query (rule [10]) after its keyword.
    mutating func parseConstruct() throws(SPARQLError) -> ParsedQuery {
        var select = SelectQuery()
        if self.isPunctuation("{") {
            self.advance()
            let triples = try self.parseTriplesTemplate()
            try self.expect("}")
            let template = try self.template(from: triples)
            let (from, named) = try self.parseDatasetClauses()
            _ = self.accept(keyword: "WHERE")
            select.pattern = try self.parseGroupGraphPattern()
            try self.parseSolutionModifiers(into: &select)
            return ParsedQuery(form: .construct, select: select, template: template, from: from, fromNamed: named)
        }
        let (from, named) = try self.parseDatasetClauses()
        try self.expect(keyword: "WHERE")
        try self.expect("{")
        let triples = try self.parseTriplesTemplate()
        try self.expect("}")
        let template = try self.template(from: triples)
        select.pattern = GroupPattern(elements: triples.isEmpty ? [] : [.triples(triples)])
        try self.parseSolutionModifiers(into: &select)
        return ParsedQuery(form: .construct, select: select, template: template, from: from, fromNamed: named)
    }

    /// Turns template triples into CONSTRUCT template terms: blank nodes stay blank nodes (§16.2.1).
    func template(from triples: [PathTriple]) throws(SPARQLError) -> [TemplateTriple] {
        func term(_ t: VarOrTerm) -> TemplateTerm {
            switch t {
            case .variable(let v): return v.hasPrefix("_:") ? .blank(v) : .variable(v)
            case .term(let term): return .term(term)
            }
        }
        var result: [TemplateTriple] = []
        for t in triples {
            let predicate: TemplateTerm
            switch t.predicate {
            case .variable(let v): predicate = .variable(v)
            case .path(.link(let iri)): predicate = .term(.iri(iri))
            case .path: throw self.error("property paths are not allowed in a CONSTRUCT template")
            }
            result.append(TemplateTriple(subject: term(t.subject), predicate: predicate, object: term(t.object)))
        }
        return result
    }
}
