import RDF

/// Operands of a binary numeric operator after XPath 2.0 Appendix B.1 type promotion.
enum PromotedNumerics {
    /// Two integers in `Int` range (the fast path).
    case integers(Int, Int)
    /// Two integers, at least one beyond `Int`.
    case wideIntegers(Int128, Int128)
    /// Decimals (or integers promoted to decimal).
    case decimals(XSDDecimal, XSDDecimal)
    /// Floats.
    case floats(Float, Float)
    /// Doubles.
    case doubles(Double, Double)

    /// Promotes both operands to the wider of their two types (integer → decimal → float → double).
    init(_ lhs: XSDNumeric, _ rhs: XSDNumeric) {
        if case .integer(let a) = lhs, case .integer(let b) = rhs {
            self = .integers(a, b)
            return
        }
        switch max(lhs.rank, rhs.rank) {
        case 0: self = .wideIntegers(lhs.wideInteger ?? 0, rhs.wideInteger ?? 0)
        case 1: self = .decimals(lhs.decimalValue ?? .zero, rhs.decimalValue ?? .zero)
        case 2: self = .floats(lhs.floatValue, rhs.floatValue)
        default: self = .doubles(lhs.doubleValue, rhs.doubleValue)
        }
    }
}

extension XSDNumeric {
    /// `op:numeric-add`, `-subtract`, `-multiply`, `-divide` (XPath 2.0 F&O §6.2.1–§6.2.4) with the SPARQL 1.1
    /// §17.3 result types: integer ÷ integer is a decimal; division by zero is an error for integers and decimals
    /// (FOAR0001) and yields ±INF / NaN for floats and doubles. Overflow beyond 38 digits is an error (FOAR0002).
    static func apply(_ op: ArithmeticOperator, _ lhs: XSDNumeric, _ rhs: XSDNumeric) throws(ExpressionError)
        -> XSDNumeric
    {
        switch PromotedNumerics(lhs, rhs) {
        case .integers(let a, let b):
            let result: (partialValue: Int, overflow: Bool)
            switch op {
            case .add: result = a.addingReportingOverflow(b)
            case .subtract: result = a.subtractingReportingOverflow(b)
            case .multiply: result = a.multipliedReportingOverflow(by: b)
            case .divide: return try self.decimalOperation(op, XSDDecimal(a), XSDDecimal(b))
            }
            if !result.overflow { return .integer(result.partialValue) }
            return try self.wideOperation(op, Int128(a), Int128(b))
        case .wideIntegers(let a, let b):
            return try self.wideOperation(op, a, b)
        case .decimals(let a, let b):
            return try self.decimalOperation(op, a, b)
        case .floats(let a, let b):
            switch op {
            case .add: return .float(a + b)
            case .subtract: return .float(a - b)
            case .multiply: return .float(a * b)
            case .divide: return .float(a / b)
            }
        case .doubles(let a, let b):
            switch op {
            case .add: return .double(a + b)
            case .subtract: return .double(a - b)
            case .multiply: return .double(a * b)
            case .divide: return .double(a / b)
            }
        }
    }

    private static func wideOperation(_ op: ArithmeticOperator, _ a: Int128, _ b: Int128) throws(ExpressionError)
        -> XSDNumeric
    {
        let result: (partialValue: Int128, overflow: Bool)
        switch op {
        case .add: result = a.addingReportingOverflow(b)
        case .subtract: result = a.subtractingReportingOverflow(b)
        case .multiply: result = a.multipliedReportingOverflow(by: b)
        case .divide:
            guard let x = XSDDecimal(a, scale: 0), let y = XSDDecimal(b, scale: 0) else {
                throw ExpressionError("integer overflow")
            }
            return try self.decimalOperation(op, x, y)
        }
        guard !result.overflow, result.partialValue.magnitude <= XSDDecimal.maxSignificand.magnitude else {
            throw ExpressionError("integer overflow")
        }
        return self.integer(wide: result.partialValue)
    }

    private static func decimalOperation(_ op: ArithmeticOperator, _ a: XSDDecimal, _ b: XSDDecimal)
        throws(ExpressionError) -> XSDNumeric
    {
        let result: XSDDecimal?
        switch op {
        case .add: result = XSDDecimal.add(a, b)
        case .subtract: result = XSDDecimal.add(a, b, negatingRight: true)
        case .multiply: result = XSDDecimal.multiply(a, b)
        case .divide:
            guard !b.isZero else { throw ExpressionError("division by zero") }
            result = XSDDecimal.divide(a, b)
        }
        guard let result else { throw ExpressionError("decimal overflow") }
        return .decimal(result)
    }

    /// `op:numeric-unary-minus` (XPath 2.0 F&O §6.2.8).
    var negated: XSDNumeric {
        switch self {
        case .integer(let value):
            if value == Int.min { return .bigInteger(-Int128(value)) }
            return .integer(-value)
        case .bigInteger(let value): return XSDNumeric.integer(wide: -value)
        case .decimal(let value): return .decimal(value.negated)
        case .float(let value): return .float(-value)
        case .double(let value): return .double(-value)
        }
    }

    /// Three-way comparison after promotion (`op:numeric-equal`, `op:numeric-less-than`, XPath 2.0 F&O §6.3);
    /// nil when either operand is NaN (every comparison except `!=` is then false).
    static func compare(_ lhs: XSDNumeric, _ rhs: XSDNumeric) -> Int? {
        switch PromotedNumerics(lhs, rhs) {
        case .integers(let a, let b): return a < b ? -1 : (a == b ? 0 : 1)
        case .wideIntegers(let a, let b): return a < b ? -1 : (a == b ? 0 : 1)
        case .decimals(let a, let b): return XSDDecimal.compare(a, b)
        case .floats(let a, let b):
            if a.isNaN || b.isNaN { return nil }
            return a < b ? -1 : (a == b ? 0 : 1)
        case .doubles(let a, let b):
            if a.isNaN || b.isNaN { return nil }
            return a < b ? -1 : (a == b ? 0 : 1)
        }
    }

    /// Whether the value is zero or NaN (the numeric case of the effective boolean value, SPARQL 1.1 §17.2.2).
    var isZeroOrNaN: Bool {
        switch self {
        case .integer(let value): value == 0
        case .bigInteger(let value): value == 0
        case .decimal(let value): value.isZero
        case .float(let value): value.isNaN || value == 0
        case .double(let value): value.isNaN || value == 0
        }
    }
}
