import RDF

extension BuiltinFunction {
    /// The number of arguments the function accepts (SPARQL 1.1 §17.4 signatures, §19.8 `BuiltInCall`);
    /// `CONCAT` takes any number.
    public var arity: ClosedRange<Int> {
        switch self {
        case .uuid, .struuid, .rand, .now: 0...0
        case .bnode: 0...1
        case .strdt, .strlang, .sameTerm, .langMatches, .strStarts, .strEnds, .contains, .strBefore, .strAfter: 2...2
        case .substr: 2...3
        case .regex: 2...3
        case .replace: 3...4
        case .concat: 0...Int.max
        default: 1...1
        }
    }

    /// The function for a SPARQL keyword, case-insensitively, including the aliases `URI` and `isURI`
    /// (SPARQL 1.1 §19.8 `BuiltInCall`); nil for keywords that are not plain functions.
    public init?(keyword: String) {
        guard let function = BuiltinFunction.keywords[keyword.uppercased()] else { return nil }
        self = function
    }

    private static let keywords: [String: BuiltinFunction] = {
        var table: [String: BuiltinFunction] = [:]
        for function in BuiltinFunction.allCases { table[function.rawValue.uppercased()] = function }
        table["URI"] = .iri
        table["ISURI"] = .isIRI
        table["ENCODE_FOR_URI"] = .encodeForURI
        table.removeValue(forKey: "ENCODEFORURI")
        return table
    }()
}

extension SPARQLFunctions {
    /// Checks the arity and calls the implementation of `function` (SPARQL 1.1 §17.4).
    static func dispatch(_ function: BuiltinFunction, _ arguments: [Term], _ context: FunctionContext)
        throws(ExpressionError) -> Term
    {
        guard function.arity.contains(arguments.count) else {
            throw ExpressionError("\(function.rawValue.uppercased()) does not take \(arguments.count) arguments")
        }
        switch function {
        case .isIRI, .isBlank, .isLiteral, .isNumeric: return self.termTest(function, arguments[0])
        case .str: return try self.str(arguments[0])
        case .lang: return try self.lang(arguments[0])
        case .datatype: return try self.datatype(arguments[0])
        case .iri: return try self.iri(arguments[0])
        case .bnode: return try self.bnode(arguments, context)
        case .strdt: return try self.strdt(arguments[0], arguments[1])
        case .strlang: return try self.strlang(arguments[0], arguments[1])
        case .uuid: return self.uuid(iri: true, context)
        case .struuid: return self.uuid(iri: false, context)
        case .sameTerm: return .boolean(self.sameTermExact(arguments[0], arguments[1]))
        case .langMatches: return try self.langMatches(arguments[0], arguments[1])
        case .strlen: return try self.strlen(arguments[0])
        case .substr: return try self.substr(arguments)
        case .ucase: return try self.changeCase(arguments[0], upper: true)
        case .lcase: return try self.changeCase(arguments[0], upper: false)
        case .strStarts, .strEnds, .contains: return try self.stringTest(function, arguments)
        case .strBefore: return try self.strBeforeAfter(arguments, after: false)
        case .strAfter: return try self.strBeforeAfter(arguments, after: true)
        case .encodeForURI: return try self.encodeForURI(arguments[0])
        case .concat: return try self.concat(arguments)
        case .regex: return try self.regex(arguments)
        case .replace: return try self.replace(arguments)
        case .abs, .round, .ceil, .floor: return try self.numericFunction(function, arguments[0])
        case .rand: return self.rand(context)
        case .now: return self.now(context)
        case .year, .month, .day, .hours, .minutes, .seconds, .timezone, .tz:
            return try self.dateTimeAccessor(function, arguments[0])
        case .md5, .sha1, .sha256, .sha384, .sha512: return try self.hash(function, arguments[0])
        }
    }
}
