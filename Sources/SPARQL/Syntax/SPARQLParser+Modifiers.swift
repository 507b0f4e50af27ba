import RDF

extension SPARQLParser {
    /// GROUP BY, HAVING, ORDER BY, LIMIT and OFFSET (rules [18]–[27]).
    mutating func parseSolutionModifiers(into select: inout SelectQuery) throws(SPARQLError) {
        if self.accept(keyword: "GROUP") {
            try self.expect(keyword: "BY")
            repeat {
                select.groupBy.append(try self.parseGroupCondition())
            } while self.startsGroupCondition
        }
        if self.accept(keyword: "HAVING") {
            repeat {
                select.having.append(try self.parseConstraint())
            } while self.startsConstraint
        }
        if self.accept(keyword: "ORDER") {
            try self.expect(keyword: "BY")
            repeat {
                if self.accept(keyword: "ASC") {
                    select.orderBy.append(OrderCondition(expression: try self.parseBracketted(), descending: false))
                } else if self.accept(keyword: "DESC") {
                    select.orderBy.append(OrderCondition(expression: try self.parseBracketted(), descending: true))
                } else if case .variable(let v) = self.current.kind {
                    self.advance()
                    select.orderBy.append(OrderCondition(expression: .variable(v), descending: false))
                } else {
                    select.orderBy.append(OrderCondition(expression: try self.parseConstraint(), descending: false))
                }
            } while self.startsOrderCondition
        }
        for _ in 0..<2 {
            if self.accept(keyword: "LIMIT") {
                guard select.limit == nil else { throw self.error("duplicate LIMIT") }
                select.limit = try self.parseNonNegativeInteger()
            } else if self.accept(keyword: "OFFSET") {
                guard select.offset == nil else { throw self.error("duplicate OFFSET") }
                select.offset = try self.parseNonNegativeInteger()
            }
        }
    }

    /// An INTEGER for LIMIT / OFFSET.
    mutating func parseNonNegativeInteger() throws(SPARQLError) -> Int {
        guard case .integer(let text) = self.current.kind, let n = Int(text) else {
            throw self.error("expected a non-negative integer")
        }
        self.advance()
        return n
    }

    /// Whether a GroupCondition (rule [20]) starts here.
    var startsGroupCondition: Bool {
        switch self.current.kind {
        case .variable, .iri, .prefixedName: return true
        case .punctuation("("): return true
        case .keyword(let k): return Self.builtinNames[k] != nil || Self.specialBuiltins.contains(k)
        default: return false
        }
    }

    /// Whether a Constraint (rule [69]) starts here.
    var startsConstraint: Bool {
        switch self.current.kind {
        case .iri, .prefixedName, .punctuation("("): return true
        case .keyword(let k): return Self.builtinNames[k] != nil || Self.specialBuiltins.contains(k)
        default: return false
        }
    }

    /// Whether an OrderCondition (rule [24]) starts here.
    var startsOrderCondition: Bool {
        if self.isKeyword("ASC") || self.isKeyword("DESC") { return true }
        if case .variable = self.current.kind { return true }
        return self.startsConstraint
    }

    /// Rule [20] GroupCondition.
    mutating func parseGroupCondition() throws(SPARQLError) -> GroupCondition {
        if case .variable(let v) = self.current.kind {
            self.advance()
            return GroupCondition(expression: .variable(v), variable: nil)
        }
        if self.accept("(") {
            let e = try self.parseExpression()
            var name: String?
            if self.accept(keyword: "AS") {
                guard case .variable(let v) = self.current.kind else {
                    throw self.error("expected a variable after AS")
                }
                self.advance()
                name = v
            }
            try self.expect(")")
            return GroupCondition(expression: e, variable: name)
        }
        return GroupCondition(expression: try self.parseConstraint(), variable: nil)
    }

    /// VALUES data block (rules [62]–[66]).
    mutating func parseDataBlock() throws(SPARQLError) -> ValuesTable {
        if case .variable(let v) = self.current.kind {
            self.advance()
            try self.expect("{")
            var rows: [[Term?]] = []
            while !self.accept("}") { rows.append([try self.parseDataBlockValue()]) }
            return ValuesTable(variables: [v], rows: rows)
        }
        try self.expect("(")
        var variables: [String] = []
        while case .variable(let v) = self.current.kind {
            self.advance()
            variables.append(v)
        }
        try self.expect(")")
        try self.expect("{")
        var rows: [[Term?]] = []
        while !self.accept("}") {
            let open = self.current
            try self.expect("(")
            var row: [Term?] = []
            while !self.accept(")") { row.append(try self.parseDataBlockValue()) }
            guard row.count == variables.count else {
                throw self.error("VALUES row has \(row.count) values for \(variables.count) variables", at: open)
            }
            rows.append(row)
        }
        return ValuesTable(variables: variables, rows: rows)
    }

    /// Rule [65] DataBlockValue; nil for UNDEF.
    mutating func parseDataBlockValue() throws(SPARQLError) -> Term? {
        if self.accept(keyword: "UNDEF") { return nil }
        if let iri = try self.parseIRIIfPresent() { return .iri(iri) }
        if let literal = try self.parseLiteralIfPresent() { return literal }
        throw self.error("expected an IRI, a literal or UNDEF in VALUES\(self.found)")
    }
}
