import RDF

/// The result of evaluating an expression: an identifier (no decoding needed), a computed term, or a boolean
/// (the value of an operator, materialised as xsd:boolean only when stored).
enum Value {
    case id(UInt32)
    case term(Term)
    case bool(Bool)
}

/// An expression compiled against variable slots (SPARQL 1.1 §17); evaluation errors are `ExpressionError`s.
class CompiledExpression {
    /// Evaluates the expression for the solution in `row`; errors are expression errors (§17.2).
    func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        throw ExpressionError("not implemented")
    }

    /// The filter test (§17.2): whether the effective boolean value is true, errors counting as false. Operators
    /// override it to avoid building intermediate values.
    func holds(_ row: Row, _ ctx: ExecutionContext) -> Bool {
        do {
            return try ctx.effectiveBooleanValue(try self.evaluate(row, ctx))
        } catch {
            return false
        }
    }
}

extension ExecutionContext {
    /// The term a value denotes.
    @inline(__always) func materialize(_ v: Value) -> Term {
        switch v {
        case .id(let id): return self.term(id)
        case .term(let t): return t
        case .bool(let b): return .boolean(b)
        }
    }

    /// The identifier of a value, interning computed terms.
    @inline(__always) func identifier(_ v: Value) -> UInt32 {
        switch v {
        case .id(let id): return id
        case .term(let t): return self.intern(t)
        case .bool(let b): return self.intern(.boolean(b))
        }
    }

    /// The comparison key of a value.
    @inline(__always) func key(of v: Value) -> TermKey {
        switch v {
        case .id(let id): return self.key(id)
        case .term(let t): return TermKey.of(t)
        case .bool(let b): return TermKey(kind: .boolean, value: b ? 1 : 0)
        }
    }

    /// Effective boolean value (§17.2.2).
    func effectiveBooleanValue(_ v: Value) throws(ExpressionError) -> Bool {
        if case .bool(let b) = v { return b }
        let k = self.key(of: v)
        switch k.kind {
        case .boolean: return k.value != 0
        case .exactNumeric: return k.value != 0
        case .iri, .blank: throw ExpressionError("no effective boolean value for an IRI or blank node")
        default: return try SPARQLFunctions.effectiveBooleanValue(self.materialize(v))
        }
    }

    /// Evaluates a filter condition: errors count as false (§17.2).
    @inline(__always) func holds(_ e: CompiledExpression, _ row: Row) -> Bool { e.holds(row, self) }
}

/// A variable reference: unbound is an error (§17.2).
final class VariableExpression: CompiledExpression {
    /// The variable's slot.
    let slot: Int
    /// An expression reading `slot`.
    init(slot: Int) { self.slot = slot }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        let id = row[self.slot]
        if id == IDSpace.unbound { throw ExpressionError("unbound variable") }
        return .id(id)
    }
}

/// A constant term, pre-interned.
final class ConstantExpression: CompiledExpression {
    /// The constant as an identifier.
    let value: Value
    /// The constant.
    let term: Term
    /// A constant, interned in the evaluation's identifier space.
    init(term: Term, ctx: ExecutionContext) {
        self.term = term
        self.value = .id(ctx.intern(term))
    }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value { self.value }
}

/// BOUND(?v) (§17.4.1.1).
final class BoundExpression: CompiledExpression {
    /// The variable's slot.
    let slot: Int
    /// An expression reading `slot`.
    init(slot: Int) { self.slot = slot }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        .bool(row[self.slot] != IDSpace.unbound)
    }
}

/// `||` with the §17.4.1.2 error table.
final class OrExpression: CompiledExpression {
    /// The left operand.
    let lhs: CompiledExpression
    /// The right operand.
    let rhs: CompiledExpression
    /// A connective of two operands.
    init(_ lhs: CompiledExpression, _ rhs: CompiledExpression) {
        self.lhs = lhs
        self.rhs = rhs
    }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        var leftError: ExpressionError?
        do {
            if try ctx.effectiveBooleanValue(try self.lhs.evaluate(row, ctx)) { return .bool(true) }
        } catch {
            leftError = error
        }
        let right = try ctx.effectiveBooleanValue(try self.rhs.evaluate(row, ctx))
        if right { return .bool(true) }
        if let leftError { throw leftError }
        return .bool(false)
    }
}

/// `&&` with the §17.4.1.3 error table.
final class AndExpression: CompiledExpression {
    /// The left operand.
    let lhs: CompiledExpression
    /// The right operand.
    let rhs: CompiledExpression
    /// A connective of two operands.
    init(_ lhs: CompiledExpression, _ rhs: CompiledExpression) {
        self.lhs = lhs
        self.rhs = rhs
    }
    /// `A && B` keeps a row exactly when both keep it (an error in either drops it, §17.4.1.3).
    override func holds(_ row: Row, _ ctx: ExecutionContext) -> Bool {
        self.lhs.holds(row, ctx) && self.rhs.holds(row, ctx)
    }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        var leftError: ExpressionError?
        do {
            if !(try ctx.effectiveBooleanValue(try self.lhs.evaluate(row, ctx))) { return .bool(false) }
        } catch {
            leftError = error
        }
        let right = try ctx.effectiveBooleanValue(try self.rhs.evaluate(row, ctx))
        if !right { return .bool(false) }
        if let leftError { throw leftError }
        return .bool(true)
    }
}

/// `!` (§17.4.1.5 fn:not).
final class NotExpression: CompiledExpression {
    /// The operand.
    let operand: CompiledExpression
    /// The negation of `operand`.
    init(_ operand: CompiledExpression) { self.operand = operand }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        .bool(!(try ctx.effectiveBooleanValue(try self.operand.evaluate(row, ctx))))
    }
}

/// IF(cond, then, else) (§17.4.1.2).
final class ConditionalExpression: CompiledExpression {
    /// The condition.
    let condition: CompiledExpression
    /// The value when the condition holds.
    let then: CompiledExpression
    /// The value otherwise.
    let otherwise: CompiledExpression
    /// IF(condition, then, otherwise).
    init(_ condition: CompiledExpression, _ then: CompiledExpression, _ otherwise: CompiledExpression) {
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
    }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        if try ctx.effectiveBooleanValue(try self.condition.evaluate(row, ctx)) {
            return try self.then.evaluate(row, ctx)
        }
        return try self.otherwise.evaluate(row, ctx)
    }
}

/// COALESCE(…) (§17.4.1.4): the first argument that evaluates without error.
final class CoalesceExpression: CompiledExpression {
    /// The alternatives, in order.
    let arguments: [CompiledExpression]
    /// COALESCE of `arguments`.
    init(_ arguments: [CompiledExpression]) { self.arguments = arguments }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        for a in self.arguments {
            if let v = try? a.evaluate(row, ctx) { return v }
        }
        throw ExpressionError("COALESCE: no argument has a value")
    }
}

/// An error-valued expression (unknown functions, §17.6).
final class ErrorExpression: CompiledExpression {
    /// Why evaluation fails.
    let reason: String
    /// An expression that always fails with `reason`.
    init(_ reason: String) { self.reason = reason }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        throw ExpressionError(self.reason)
    }
}
