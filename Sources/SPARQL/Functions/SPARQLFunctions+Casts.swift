import RDF

extension SPARQLFunctions {
    /// The XPath constructor functions SPARQL requires (SPARQL 1.1 §17.5): `xsd:string`, `xsd:boolean`,
    /// `xsd:integer`, `xsd:decimal`, `xsd:float`, `xsd:double`, `xsd:dateTime`, following the §17.5 cast table
    /// and XPath 2.0 F&O §17.1 casting rules. Strings cast to other types must hold a valid lexical form (leading
    /// and trailing whitespace is collapsed); IRIs cast only to `xsd:string`; blank nodes, language-tagged
    /// strings, ill-typed literals and literals of other datatypes cannot be cast. Casting to `xsd:string` yields
    /// the lexical form. Returns nil when `datatype` is not one of the seven.
    static func castTerm(_ term: Term, to datatype: String) throws(ExpressionError) -> Term? {
        guard let target = XSDNames.localName(datatype) else { return nil }
        switch target {
        case "string", "boolean", "integer", "decimal", "float", "double", "dateTime": break
        default: return nil
        }
        let literal: Literal
        switch term {
        case .iri(let iri):
            guard target == "string" else { throw ExpressionError("cannot cast an IRI to xsd:\(target)") }
            return .string(iri)
        case .blank: throw ExpressionError("cannot cast a blank node")
        case .literal(let value): literal = value
        }
        let value = LiteralValue(literal)
        switch value {
        case .langString, .illTyped, .unknown:
            throw ExpressionError("cannot cast a literal of type \(literal.datatype)")
        default: break
        }
        if target == "string" { return .string(literal.lexical) }
        switch value {
        case .string(let text): return try self.castString(self.collapsingWhitespace(text), to: target)
        case .numeric(let number): return try self.castNumeric(number, to: target)
        case .boolean(let flag):
            switch target {
            case "boolean": return .boolean(flag)
            case "integer": return .integer(flag ? 1 : 0)
            case "decimal": return XSDNumeric.decimal(XSDDecimal(flag ? 1 : 0)).term
            case "float": return XSDNumeric.float(flag ? 1 : 0).term
            case "double": return XSDNumeric.double(flag ? 1 : 0).term
            default: throw ExpressionError("cannot cast xsd:boolean to xsd:dateTime")
            }
        case .dateTime:
            guard target == "dateTime" else { throw ExpressionError("cannot cast xsd:dateTime to xsd:\(target)") }
            return .literal(Literal(literal.lexical, datatype: XSD.dateTime))
        default:
            throw ExpressionError("cannot cast \(literal.datatype) to xsd:\(target)")
        }
    }

    private static func castString(_ text: String, to target: Substring) throws(ExpressionError) -> Term {
        let invalid = ExpressionError("\"\(text)\" is not a valid xsd:\(target) lexical form")
        switch target {
        case "boolean":
            guard let flag = LiteralValue.parseBoolean(text) else { throw invalid }
            return .boolean(flag)
        case "integer":
            guard let value = XSDNumeric.parseInteger(text) else { throw invalid }
            return value.term
        case "decimal":
            guard let value = XSDNumeric.parseDecimal(text) else { throw invalid }
            return XSDNumeric.decimal(value).term
        case "float":
            guard let value = XSDNumeric.parse(text, as: .float) else { throw invalid }
            return value.term
        case "double":
            guard let value = XSDNumeric.parse(text, as: .double) else { throw invalid }
            return value.term
        default:
            guard XSDDateTime.parseDateTime(text) != nil else { throw invalid }
            return .literal(Literal(text, datatype: XSD.dateTime))
        }
    }

    private static func castNumeric(_ number: XSDNumeric, to target: Substring) throws(ExpressionError) -> Term {
        switch target {
        case "boolean": return .boolean(!number.isZeroOrNaN)
        case "float": return XSDNumeric.float(number.floatValue).term
        case "double": return XSDNumeric.double(number.doubleValue).term
        case "decimal":
            guard let decimal = number.decimalValue else {
                throw ExpressionError("cannot cast NaN, INF or a value beyond 38 digits to xsd:decimal")
            }
            return XSDNumeric.decimal(decimal).term
        case "integer":
            guard number.isFinite else { throw ExpressionError("cannot cast NaN or INF to xsd:integer") }
            switch number {
            case .integer, .bigInteger: return number.term
            case .double(let value) where value.magnitude < 9.0e18:
                return .integer(Int(value.rounded(.towardZero)))
            case .float(let value) where value.magnitude < 9.0e18:
                return .integer(Int(value.rounded(.towardZero)))
            default:
                guard let decimal = number.decimalValue else {
                    throw ExpressionError("cannot cast a value beyond 38 digits to xsd:integer")
                }
                return XSDNumeric.integer(wide: decimal.truncated.quotient).term
            }
        default:
            throw ExpressionError("cannot cast a numeric to xsd:dateTime")
        }
    }

    /// XSD `whiteSpace="collapse"` as casting from strings applies it: leading and trailing #x20, #x9, #xA, #xD
    /// removed (inner runs are invalid in every target lexical space anyway).
    private static func collapsingWhitespace(_ text: String) -> String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return text }
        return String(scalars[first...last])
    }
}

extension XSDNumeric {
    /// False for NaN and ±INF.
    var isFinite: Bool {
        switch self {
        case .float(let value): value.isFinite
        case .double(let value): value.isFinite
        default: true
        }
    }
}
