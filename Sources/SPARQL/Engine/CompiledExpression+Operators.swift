import RDF

extension ExecutionContext {
    /// Compares two values (§17.3 operator mapping): decoded numerics, dateTimes and booleans by value, identical
    /// identifiers and IRIs / blank nodes by identity, everything else through `SPARQLFunctions.compare`.
    func compare(_ op: ComparisonOperator, _ lhs: Value, _ rhs: Value) throws(ExpressionError) -> Bool {
        let a = self.key(of: lhs)
        let b = self.key(of: rhs)
        if a.comparable(with: b) {
            switch op {
            case .equal: return a.value == b.value
            case .notEqual: return a.value != b.value
            case .less: return a.value < b.value
            case .greater: return a.value > b.value
            case .lessOrEqual: return a.value <= b.value
            case .greaterOrEqual: return a.value >= b.value
            }
        }
        if op == .equal || op == .notEqual {
            if case .id(let x) = lhs, case .id(let y) = rhs {
                let different =
                    (a.kind == .iri || a.kind == .blank || b.kind == .iri || b.kind == .blank)
                    || (a.kind == .string && b.kind == .string)
                if x == y && a.kind != .other && a.kind != .inexactNumeric { return op == .equal }
                if x != y && different { return op == .notEqual }
            }
        }
        return try SPARQLFunctions.compare(op, self.materialize(lhs), self.materialize(rhs))
    }
}

/// `=`, `!=`, `<`, `>`, `<=`, `>=` (§17.3).
final class CompareExpression: CompiledExpression {
    /// The comparison.
    let op: ComparisonOperator
    /// The left operand.
    let lhs: CompiledExpression
    /// The right operand.
    let rhs: CompiledExpression
    /// For operands that are variables or constants: the slot (≥ 0) or the constant's identifier, so a filter
    /// test needs no intermediate values.
    private let leftSlot: Int
    private let rightSlot: Int
    private let leftConstant: UInt32
    private let rightConstant: UInt32

    /// A comparison of two operands.
    init(_ op: ComparisonOperator, _ lhs: CompiledExpression, _ rhs: CompiledExpression) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        func operand(_ e: CompiledExpression) -> (Int, UInt32) {
            if let v = e as? VariableExpression { return (v.slot, IDSpace.unbound) }
            if let c = e as? ConstantExpression, case .id(let id) = c.value { return (-1, id) }
            return (-1, IDSpace.unbound)
        }
        (self.leftSlot, self.leftConstant) = operand(lhs)
        (self.rightSlot, self.rightConstant) = operand(rhs)
    }

    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        .bool(try ctx.compare(self.op, try self.lhs.evaluate(row, ctx), try self.rhs.evaluate(row, ctx)))
    }

    override func holds(_ row: Row, _ ctx: ExecutionContext) -> Bool {
        let a = self.leftSlot >= 0 ? row[self.leftSlot] : self.leftConstant
        let b = self.rightSlot >= 0 ? row[self.rightSlot] : self.rightConstant
        guard a != IDSpace.unbound && b != IDSpace.unbound else {
            if (self.leftSlot >= 0 || self.leftConstant != IDSpace.unbound)
                && (self.rightSlot >= 0 || self.rightConstant != IDSpace.unbound)
            {
                return false  // an unbound variable: an error, so the filter fails
            }
            return super.holds(row, ctx)
        }
        let ka = ctx.key(a)
        let kb = ctx.key(b)
        if ka.comparable(with: kb) {
            switch self.op {
            case .equal: return ka.value == kb.value
            case .notEqual: return ka.value != kb.value
            case .less: return ka.value < kb.value
            case .greater: return ka.value > kb.value
            case .lessOrEqual: return ka.value <= kb.value
            case .greaterOrEqual: return ka.value >= kb.value
            }
        }
        return (try? ctx.compare(self.op, .id(a), .id(b))) ?? false
    }
}

/// `+`, `-`, `*`, `/` (§17.3, XPath op:numeric-*).
final class ArithmeticExpression: CompiledExpression {
    /// The operation.
    let op: ArithmeticOperator
    /// The left operand.
    let lhs: CompiledExpression
    /// The right operand.
    let rhs: CompiledExpression
    /// An arithmetic operation on two operands.
    init(_ op: ArithmeticOperator, _ lhs: CompiledExpression, _ rhs: CompiledExpression) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
    }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        let a = ctx.materialize(try self.lhs.evaluate(row, ctx))
        let b = ctx.materialize(try self.rhs.evaluate(row, ctx))
        return .term(try SPARQLFunctions.arithmetic(self.op, a, b))
    }
}

/// Unary `-` and `+` (§17.3 op:numeric-unary-minus / plus).
final class UnaryExpression: CompiledExpression {
    /// Minus (true) or plus.
    let negate: Bool
    /// The operand.
    let operand: CompiledExpression
    /// A unary minus or plus.
    init(negate: Bool, _ operand: CompiledExpression) {
        self.negate = negate
        self.operand = operand
    }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        .term(try SPARQLFunctions.unary(negate: self.negate, ctx.materialize(try self.operand.evaluate(row, ctx))))
    }
}

/// `IN` / `NOT IN` (§17.4.1.9–10): a disjunction of `=` tests with the `||` error rules.
final class InExpression: CompiledExpression {
    /// The operand.
    let operand: CompiledExpression
    /// The candidate values.
    let list: [CompiledExpression]
    /// NOT IN.
    let negated: Bool
    /// IN or NOT IN.
    init(_ operand: CompiledExpression, _ list: [CompiledExpression], negated: Bool) {
        self.operand = operand
        self.list = list
        self.negated = negated
    }
    override func evaluate(_ row: Row, _ ctx: ExecutionContext) throws(ExpressionError) -> Value {
        let v = try self.operand.evaluate(row, ctx)
        var sawError: ExpressionError?
        for e in self.list {
            do {
                if try ctx.compare(.equal, v, try e.evaluate(row, ctx)) { return .bool(!self.negated) }
            } catch {
                sawError = error
            }
        }
        if let sawError { throw sawError }
        return .bool(self.negated)
    }
}
