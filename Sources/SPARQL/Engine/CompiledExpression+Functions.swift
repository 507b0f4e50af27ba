import RDF

/// A built-in function call on evaluated arguments (§17.4), delegated to `SPARQLFunctions`.
final class BuiltinExpression: CompiledExpression {
    /// The function called.
    let function: BuiltinFunction
    /// The argument expressions.
    let arguments: [CompiledExpression]
    /// A call of `function` on `arguments`.
    init(_ function: BuiltinFunction, _ arguments: [CompiledExpression]) {
        self.function = function
        self.arguments = arguments
    }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        switch self.function {
        case .sameTerm:
            let a = try self.arguments[0].evaluate(row, ctx)
            let b = try self.arguments[1].evaluate(row, ctx)
            if case .id(let x) = a, case .id(let y) = b { return .bool(x == y) }
            return .bool(ctx.materialize(a) == ctx.materialize(b))
        case .isIRI, .isBlank, .isLiteral:
            let k = ctx.key(of: try self.arguments[0].evaluate(row, ctx))
            switch self.function {
            case .isIRI: return .bool(k.kind == .iri)
            case .isBlank: return .bool(k.kind == .blank)
            default: return .bool(k.kind != .iri && k.kind != .blank)
            }
        case .bnode:
            guard let argument = self.arguments.first else { return .term(ctx.freshBlank()) }
            guard case .literal(let l) = ctx.materialize(try argument.evaluate(row, ctx)), l.datatype == XSD.string
            else { throw ExpressionError("BNODE needs a simple literal") }
            return .term(ctx.blank(for: l.lexical))
        default:
            var terms: [Term] = []
            terms.reserveCapacity(self.arguments.count)
            for a in self.arguments { terms.append(ctx.materialize(try a.evaluate(row, ctx))) }
            let result = try SPARQLFunctions.call(self.function, terms, context: ctx.functions)
            if self.function == .iri, case .iri(let reference) = result, !IRIResolver.hasScheme(reference),
                let base = ctx.baseIRI, let resolver = IRIResolver(base: base)
            {
                return .term(.iri(resolver.resolve(reference)))
            }
            return .term(result)
        }
    }
}

/// `xsd:T(arg)` casts (§17.5).
final class CastExpression: CompiledExpression {
    /// The target datatype IRI.
    let datatype: String
    /// The value cast.
    let operand: CompiledExpression
    /// A cast of `operand` to `datatype`.
    init(_ datatype: String, _ operand: CompiledExpression) {
        self.datatype = datatype
        self.operand = operand
    }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        let t = ctx.materialize(try self.operand.evaluate(row, ctx))
        guard let result = try SPARQLFunctions.cast(t, to: self.datatype) else {
            throw ExpressionError("unknown function <\(self.datatype)>")
        }
        return .term(result)
    }
}

/// EXISTS / NOT EXISTS (§17.4.1.4, §18.6): the pattern is evaluated with the current solution substituted, which
/// the correlated plan does by reading the bound slots of the row.
final class ExistsExpression: CompiledExpression {
    /// The pattern, planned correlated with the filter's row.
    let plan: Op
    /// NOT EXISTS.
    let negated: Bool
    /// EXISTS (or NOT EXISTS) over a correlated plan.
    init(plan: Op, negated: Bool) {
        self.plan = plan
        self.negated = negated
    }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        var found = false
        _ = self.plan.run(row, ctx) { _ in
            found = true
            return false
        }
        if ctx.error != nil { throw ExpressionError("evaluation stopped") }
        return .bool(found != self.negated)
    }
}

/// REGEX with constant pattern and flags compiled once (§17.4.3.14).
final class CompiledRegexExpression: CompiledExpression {
    /// The string tested.
    let text: CompiledExpression
    /// The compiled pattern.
    let matcher: RegexMatcher
    /// The pattern, for the fallback implementation.
    let pattern: String
    /// The flags, for the fallback implementation.
    let flags: String

    /// REGEX(text, pattern, flags) with a compiled matcher.
    init(text: CompiledExpression, matcher: RegexMatcher, pattern: String, flags: String) {
        self.text = text
        self.matcher = matcher
        self.pattern = pattern
        self.flags = flags
    }

    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        guard case .literal(let literal) = ctx.materialize(try self.text.evaluate(row, ctx)),
            literal.datatype == XSD.string || literal.datatype == RDFVocabulary.langString
        else { throw ExpressionError("REGEX needs a string literal") }
        if let hit = self.matcher.matches(literal.lexical) { return .bool(hit) }
        return .term(
            try SPARQLFunctions.call(
                .regex, [.literal(literal), .string(self.pattern), .string(self.flags)], context: ctx.functions))
    }
}
