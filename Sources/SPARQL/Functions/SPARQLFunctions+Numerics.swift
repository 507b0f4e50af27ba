import RDF

extension SPARQLFunctions {
    /// `+ - * /` on two numeric literals (SPARQL 1.1 §17.3, XPath 2.0 F&O §6.2); non-numeric or ill-typed
    /// operands are type errors.
    static func arithmeticTerms(_ op: ArithmeticOperator, _ lhs: Term, _ rhs: Term) throws(ExpressionError) -> Term {
        let a = try self.numericArgument(lhs, of: op.rawValue)
        let b = try self.numericArgument(rhs, of: op.rawValue)
        return try XSDNumeric.apply(op, a, b).term
    }

    /// Unary `-` / `+` (XPath 2.0 F&O §6.2.7–8) on a numeric literal; the result has the primitive type.
    static func unaryTerm(negate: Bool, _ operand: Term) throws(ExpressionError) -> Term {
        let value = try self.numericArgument(operand, of: negate ? "unary -" : "unary +")
        return (negate ? value.negated : value).term
    }

    /// `ABS`, `ROUND`, `CEIL`, `FLOOR` (SPARQL 1.1 §17.4.4.1–4; XPath 2.0 F&O §6.4): the result has the
    /// primitive type of the argument. ROUND rounds halves towards positive infinity (`fn:round`).
    static func numericFunction(_ function: BuiltinFunction, _ argument: Term) throws(ExpressionError) -> Term {
        let value = try self.numericArgument(argument, of: function.rawValue.uppercased())
        switch value {
        case .integer(let int):
            guard function == .abs, int < 0 else { return value.term }
            return value.negated.term
        case .bigInteger(let big):
            return (function == .abs && big < 0 ? value.negated : value).term
        case .decimal(let decimal):
            return XSDNumeric.decimal(self.roundDecimal(decimal, function)).term
        case .float(let float):
            return XSDNumeric.float(Float(self.roundDouble(Double(float), function))).term
        case .double(let double):
            return XSDNumeric.double(self.roundDouble(double, function)).term
        }
    }

    private static func roundDecimal(_ value: XSDDecimal, _ function: BuiltinFunction) -> XSDDecimal {
        switch function {
        case .abs: value.isNegative ? value.negated : value
        case .ceil: value.rounded(.up)
        case .floor: value.rounded(.down)
        default: value.rounded(.toNearestOrAwayFromZero)
        }
    }

    private static func roundDouble(_ value: Double, _ function: BuiltinFunction) -> Double {
        switch function {
        case .abs: value.magnitude
        case .ceil: value.rounded(.up)
        case .floor: value.rounded(.down)
        default: XSDNumeric.roundHalfUp(value)
        }
    }

    /// `RAND` (§17.4.4.5): an `xsd:double` in [0, 1) from the injected random source.
    static func rand(_ context: FunctionContext) -> Term {
        XSDNumeric.double(context.random()).term
    }

    /// The numeric value of a numeric literal as `Double`; nil for other terms and ill-typed literals.
    static func doubleValue(_ term: Term) -> Double? {
        guard case .literal(let literal) = term, let value = XSDNumeric.parse(literal) else { return nil }
        return value.doubleValue
    }
}

extension XSDNumeric {
    /// `fn:round` on a double (XPath 2.0 F&O §6.4.4): the nearest integer, halves towards positive infinity;
    /// negative values that round to zero give -0, NaN and infinities are returned unchanged.
    static func roundHalfUp(_ value: Double) -> Double {
        guard value.isFinite else { return value }
        let floor = value.rounded(.down)
        let result = value - floor >= 0.5 ? floor + 1 : floor
        return result == 0 && value.sign == .minus ? -0.0 : result
    }
}
