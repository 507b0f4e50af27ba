import RDF

extension SPARQLFunctions {
    /// The comparison operators of the SPARQL 1.1 §17.3 operator mapping: numerics by value after promotion
    /// (`op:numeric-equal`/`-less-than`), simple literals and `xsd:string` by code point (`fn:compare`),
    /// booleans, dateTimes and dates (XSD order with the ±14:00 rule for a missing timezone — indeterminate
    /// comparisons are errors), language-tagged strings (`=`/`!=` only). Everything else falls back to
    /// RDFterm-equal (§17.4.1.7): equal terms are `=`; IRIs, blank nodes and literals of known, different value
    /// spaces are unequal; literals of unknown datatypes (or ill-typed ones) that are not the same term are a type
    /// error. Ordering operators on anything but the ordered value spaces are type errors.
    static func compareTerms(_ op: ComparisonOperator, _ lhs: Term, _ rhs: Term) throws(ExpressionError) -> Bool {
        guard case .literal(let left) = lhs, case .literal(let right) = rhs else {
            switch op {
            case .equal: return self.sameTermExact(lhs, rhs)
            case .notEqual: return !self.sameTermExact(lhs, rhs)
            default: throw ExpressionError("\(op.rawValue) is not defined on IRIs and blank nodes")
            }
        }
        return try self.compareLiterals(op, left, right)
    }

    private static func compareLiterals(_ op: ComparisonOperator, _ left: Literal, _ right: Literal)
        throws(ExpressionError) -> Bool
    {
        let lhs = LiteralValue(left)
        let rhs = LiteralValue(right)
        switch (lhs, rhs) {
        case (.numeric(let a), .numeric(let b)):
            guard let order = XSDNumeric.compare(a, b) else { return op == .notEqual }  // NaN
            return self.holds(op, order)
        case (.string(let a), .string(let b)):
            return self.holds(op, CodepointOrder.compare(a, b))
        case (.boolean(let a), .boolean(let b)):
            return self.holds(op, a == b ? 0 : (a ? 1 : -1))
        case (.dateTime(let a), .dateTime(let b)), (.date(let a), .date(let b)):
            guard let order = XSDDateTime.compare(a, b) else {
                throw ExpressionError("indeterminate comparison of date/time values with and without timezone")
            }
            return self.holds(op, order)
        case (.langString(let a, let aLanguage), .langString(let b, let bLanguage)):
            let equal = aLanguage == bLanguage && CodepointOrder.equal(a, b)
            switch op {
            case .equal: return equal
            case .notEqual: return !equal
            default: throw ExpressionError("\(op.rawValue) is not defined on language-tagged strings")
            }
        default:
            guard op == .equal || op == .notEqual else {
                throw ExpressionError("\(op.rawValue) is not defined between \(left.datatype) and \(right.datatype)")
            }
            let different: Bool
            if lhs.isKnown && rhs.isKnown {
                different = true  // disjoint value spaces
            } else if case .langString = lhs {
                different = true
            } else if case .langString = rhs {
                different = true
            } else if self.sameLiteral(left, right) {
                different = false
            } else {
                throw ExpressionError("cannot compare literals of unknown or ill-typed datatypes by value")
            }
            return op == .equal ? !different : different
        }
    }

    /// Applies a comparison operator to a three-way comparison result.
    static func holds(_ op: ComparisonOperator, _ order: Int) -> Bool {
        switch op {
        case .equal: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .greater: order > 0
        case .lessOrEqual: order <= 0
        case .greaterOrEqual: order >= 0
        }
    }

    /// `sameTerm` (SPARQL 1.1 §17.4.1.8) by code points, without Unicode normalization.
    static func sameTermExact(_ lhs: Term, _ rhs: Term) -> Bool {
        switch (lhs, rhs) {
        case (.iri(let a), .iri(let b)), (.blank(let a), .blank(let b)): CodepointOrder.equal(a, b)
        case (.literal(let a), .literal(let b)): self.sameLiteral(a, b)
        default: false
        }
    }

    private static func sameLiteral(_ a: Literal, _ b: Literal) -> Bool {
        CodepointOrder.equal(a.lexical, b.lexical) && a.datatype == b.datatype && a.language == b.language
    }

    /// The effective boolean value (SPARQL 1.1 §17.2.2): booleans and numerics by value (false when the lexical
    /// form is invalid; NaN and zero are false), simple literals and `xsd:string` by non-emptiness; every other
    /// term is a type error.
    static func effectiveBoolean(_ term: Term) throws(ExpressionError) -> Bool {
        guard case .literal(let literal) = term else {
            throw ExpressionError("no effective boolean value for an IRI or blank node")
        }
        switch LiteralValue(literal) {
        case .boolean(let value): return value
        case .numeric(let value): return !value.isZeroOrNaN
        case .string(let value): return !value.isEmpty
        case .illTyped(.boolean), .illTyped(.numeric): return false
        default: throw ExpressionError("no effective boolean value for a literal of type \(literal.datatype)")
        }
    }
}
