import RDF

extension SPARQLParser {
    /// Built-in function keywords with plain argument lists and their arities (rule [121] BuiltInCall).
    static let builtinNames: [String: (BuiltinFunction, Int, Int)] = [
        "STR": (.str, 1, 1), "LANG": (.lang, 1, 1), "LANGMATCHES": (.langMatches, 2, 2),
        "DATATYPE": (.datatype, 1, 1), "IRI": (.iri, 1, 1), "URI": (.iri, 1, 1), "BNODE": (.bnode, 0, 1),
        "RAND": (.rand, 0, 0), "ABS": (.abs, 1, 1), "CEIL": (.ceil, 1, 1), "FLOOR": (.floor, 1, 1),
        "ROUND": (.round, 1, 1), "CONCAT": (.concat, 0, Int.max), "SUBSTR": (.substr, 2, 3),
        "STRLEN": (.strlen, 1, 1), "REPLACE": (.replace, 3, 4), "UCASE": (.ucase, 1, 1), "LCASE": (.lcase, 1, 1),
        "ENCODE_FOR_URI": (.encodeForURI, 1, 1), "CONTAINS": (.contains, 2, 2), "STRSTARTS": (.strStarts, 2, 2),
        "STRENDS": (.strEnds, 2, 2), "STRBEFORE": (.strBefore, 2, 2), "STRAFTER": (.strAfter, 2, 2),
        "YEAR": (.year, 1, 1), "MONTH": (.month, 1, 1), "DAY": (.day, 1, 1), "HOURS": (.hours, 1, 1),
        "MINUTES": (.minutes, 1, 1), "SECONDS": (.seconds, 1, 1), "TIMEZONE": (.timezone, 1, 1), "TZ": (.tz, 1, 1),
        "NOW": (.now, 0, 0), "UUID": (.uuid, 0, 0), "STRUUID": (.struuid, 0, 0), "MD5": (.md5, 1, 1),
        "SHA1": (.sha1, 1, 1), "SHA256": (.sha256, 1, 1), "SHA384": (.sha384, 1, 1), "SHA512": (.sha512, 1, 1),
        "STRLANG": (.strlang, 2, 2), "STRDT": (.strdt, 2, 2), "SAMETERM": (.sameTerm, 2, 2),
        "ISIRI": (.isIRI, 1, 1), "ISURI": (.isIRI, 1, 1), "ISBLANK": (.isBlank, 1, 1),
        "ISLITERAL": (.isLiteral, 1, 1), "ISNUMERIC": (.isNumeric, 1, 1), "REGEX": (.regex, 2, 3),
    ]

    /// Built-ins with special syntax or evaluation (the engine's special forms and aggregates).
    static let specialBuiltins: Set<String> = [
        "BOUND", "IF", "COALESCE", "EXISTS", "NOT", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT",
    ]

    /// Rule [69] Constraint: a bracketted expression, a built-in call or a function call.
    mutating func parseConstraint() throws(SPARQLError) -> Expression {
        if self.isPunctuation("(") { return try self.parseBracketted() }
        switch self.current.kind {
        case .keyword: return try self.parseBuiltinCall()
        case .iri, .prefixedName: return try self.parseIRIOrFunction(requireCall: true)
        default: throw self.error("expected a constraint (a bracketted expression or a function call)\(self.found)")
        }
    }

    /// Rule [136] BrackettedExpression.
    mutating func parseBracketted() throws(SPARQLError) -> Expression {
        try self.expect("(")
        let e = try self.parseExpression()
        try self.expect(")")
        return e
    }

    /// Rule [110] Expression.
    mutating func parseExpression() throws(SPARQLError) -> Expression {
        try self.enter()
        defer { self.leave() }
        var e = try self.parseAnd()
        let base = self.depth
        defer { self.depth = base }
        while self.accept("||") {
            try self.enter()
            e = .or(e, try self.parseAnd())
        }
        return e
    }

    /// Rule [112] ConditionalAndExpression.
    mutating func parseAnd() throws(SPARQLError) -> Expression {
        var e = try self.parseRelational()
        let base = self.depth
        defer { self.depth = base }
        while self.accept("&&") {
            try self.enter()
            e = .and(e, try self.parseRelational())
        }
        return e
    }

    /// Rule [114] RelationalExpression.
    mutating func parseRelational() throws(SPARQLError) -> Expression {
        let lhs = try self.parseAdditive()
        let operators: [String: ComparisonOperator] = [
            "=": .equal, "!=": .notEqual, "<": .less, ">": .greater, "<=": .lessOrEqual, ">=": .greaterOrEqual,
        ]
        if case .punctuation(let p) = self.current.kind, let op = operators[p] {
            self.advance()
            return .compare(op, lhs, try self.parseAdditive())
        }
        if self.accept(keyword: "IN") { return .inList(lhs, try self.parseExpressionList(), negated: false) }
        if self.isKeyword("NOT") && self.next.kind == .keyword("IN") {
            self.advance()
            self.advance()
            return .inList(lhs, try self.parseExpressionList(), negated: true)
        }
        return lhs
    }

    /// Rule [72] ExpressionList: NIL or a parenthesised, comma-separated list.
    mutating func parseExpressionList() throws(SPARQLError) -> [Expression] {
        try self.expect("(")
        if self.accept(")") { return [] }
        var list = [try self.parseExpression()]
        while self.accept(",") { list.append(try self.parseExpression()) }
        try self.expect(")")
        return list
    }

    /// Rule [116] AdditiveExpression.
    mutating func parseAdditive() throws(SPARQLError) -> Expression {
        var e = try self.parseMultiplicative()
        let base = self.depth
        defer { self.depth = base }
        while true {
            if self.isPunctuation("+") || self.isPunctuation("-") { try self.enter() }
            if self.accept("+") {
                e = .arithmetic(.add, e, try self.parseMultiplicative())
            } else if self.accept("-") {
                e = .arithmetic(.subtract, e, try self.parseMultiplicative())
            } else {
                return e
            }
        }
    }

    /// Rule [117] MultiplicativeExpression.
    mutating func parseMultiplicative() throws(SPARQLError) -> Expression {
        var e = try self.parseUnary()
        let base = self.depth
        defer { self.depth = base }
        while true {
            if self.isPunctuation("*") || self.isPunctuation("/") { try self.enter() }
            if self.accept("*") {
                e = .arithmetic(.multiply, e, try self.parseUnary())
            } else if self.accept("/") {
                e = .arithmetic(.divide, e, try self.parseUnary())
            } else {
                return e
            }
        }
    }

    /// Rule [118] UnaryExpression.
    mutating func parseUnary() throws(SPARQLError) -> Expression {
        if self.accept("!") { return .not(try self.parsePrimary()) }
        if self.isPunctuation("+") || self.isPunctuation("-") {
            if let literal = try self.parseLiteralIfPresent() { return .constant(literal) }
            let negate = self.isPunctuation("-")
            self.advance()
            let operand = try self.parsePrimary()
            return negate ? .negate(operand) : .unaryPlus(operand)
        }
        return try self.parsePrimary()
    }

    /// Rule [119] PrimaryExpression.
    mutating func parsePrimary() throws(SPARQLError) -> Expression {
        switch self.current.kind {
        case .punctuation("("): return try self.parseBracketted()
        case .variable(let v):
            self.advance()
            return .variable(v)
        case .iri, .prefixedName: return try self.parseIRIOrFunction(requireCall: false)
        case .keyword("TRUE"), .keyword("FALSE"), .string, .integer, .decimal, .double:
            guard let literal = try self.parseLiteralIfPresent() else { throw self.error("expected a literal") }
            return .constant(literal)
        case .keyword: return try self.parseBuiltinCall()
        case .punctuation("+"), .punctuation("-"):
            // NumericLiteralPositive / NumericLiteralNegative (rules [131]–[132]): a sign glued to a number.
            guard let literal = try self.parseLiteralIfPresent() else { throw self.error("expected an expression") }
            return .constant(literal)
        default: throw self.error("expected an expression\(self.found)")
        }
    }

    /// `iri` or `iri(args)` (rule [128] iriOrFunction): casts for XSD datatypes, else an unknown function.
    mutating func parseIRIOrFunction(requireCall: Bool) throws(SPARQLError) -> Expression {
        guard let iri = try self.parseIRIIfPresent() else { throw self.error("expected an IRI") }
        guard self.isPunctuation("(") else {
            if requireCall { throw self.error("expected '(' after the function IRI") }
            return .constant(.iri(iri))
        }
        self.advance()
        var args: [Expression] = []
        if !self.accept(")") {
            _ = self.accept(keyword: "DISTINCT")
            args.append(try self.parseExpression())
            while self.accept(",") { args.append(try self.parseExpression()) }
            try self.expect(")")
        }
        if iri.hasPrefix(XSD.namespace) && args.count == 1 { return .cast(iri, args[0]) }
        return .unknownFunction(iri, args)
    }

    /// Rule [121] BuiltInCall, including aggregates (rule [127]) and the special forms.
    mutating func parseBuiltinCall() throws(SPARQLError) -> Expression {
        guard case .keyword(let name) = self.current.kind else { throw self.error("expected a function name") }
        let start = self.current
        if let (function, minArity, maxArity) = Self.builtinNames[name] {
            self.advance()
            let args = try self.parseExpressionList()
            guard args.count >= minArity && args.count <= maxArity else {
                throw self.error(
                    "\(name) takes \(minArity == maxArity ? "\(minArity)" : "\(minArity)–\(maxArity)") "
                        + "arguments, not \(args.count)", at: start)
            }
            return .builtin(function, args)
        }
        self.advance()
        switch name {
        case "BOUND":
            try self.expect("(")
            guard case .variable(let v) = self.current.kind else { throw self.error("BOUND needs a variable") }
            self.advance()
            try self.expect(")")
            return .bound(v)
        case "IF":
            let args = try self.parseExpressionList()
            guard args.count == 3 else { throw self.error("IF takes 3 arguments", at: start) }
            return .conditional(args[0], args[1], args[2])
        case "COALESCE":
            return .coalesce(try self.parseExpressionList())
        case "EXISTS":
            return .exists(.syntax(try self.parseGroupGraphPattern()), negated: false)
        case "NOT":
            try self.expect(keyword: "EXISTS")
            return .exists(.syntax(try self.parseGroupGraphPattern()), negated: true)
        case "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT":
            try self.expect("(")
            let distinct = self.accept(keyword: "DISTINCT")
            var argument: Expression?
            if name == "COUNT" && self.accept("*") {
                argument = nil
            } else {
                argument = try self.parseExpression()
            }
            var function: AggregateCall.Function
            switch name {
            case "COUNT": function = .count
            case "SUM": function = .sum
            case "MIN": function = .min
            case "MAX": function = .max
            case "AVG": function = .avg
            case "SAMPLE": function = .sample
            default: function = .groupConcat(separator: " ")
            }
            if name == "GROUP_CONCAT" && self.accept(";") {
                try self.expect(keyword: "SEPARATOR")
                try self.expect("=")
                guard case .string(let separator) = self.current.kind else {
                    throw self.error("SEPARATOR needs a string")
                }
                self.advance()
                function = .groupConcat(separator: separator)
            }
            try self.expect(")")
            return .aggregate(AggregateCall(function: function, distinct: distinct, argument: argument))
        default:
            throw self.error("unknown function or keyword \(name)", at: start)
        }
    }
}
