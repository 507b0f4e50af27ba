import RDF

extension SPARQLFunctions {
    /// `NOW` (SPARQL 1.1 §17.4.5.1): the query's fixed instant from the context.
    static func now(_ context: FunctionContext) -> Term {
        .literal(Literal(context.now, datatype: XSD.dateTime))
    }

    /// `YEAR` … `SECONDS`, `TIMEZONE`, `TZ` (SPARQL 1.1 §17.4.5.2–10; XPath 2.0 F&O §10.5 `fn:*-from-dateTime`)
    /// on a valid `xsd:dateTime`; other arguments are type errors.
    static func dateTimeAccessor(_ function: BuiltinFunction, _ argument: Term) throws(ExpressionError) -> Term {
        guard case .literal(let literal) = argument, literal.datatype == XSD.dateTime,
            let value = XSDDateTime.parseDateTime(literal.lexical)
        else { throw ExpressionError("\(function.rawValue.uppercased()) expects an xsd:dateTime") }
        switch function {
        case .year: return .integer(value.year)
        case .month: return .integer(value.month)
        case .day: return .integer(value.day)
        case .hours: return .integer(value.hour)
        case .minutes: return .integer(value.minute)
        case .seconds:
            let digits = value.fraction.isEmpty ? String(value.second) : "\(value.second).\(value.fraction)"
            guard let seconds = XSDNumeric.parseDecimal(digits) else { throw ExpressionError("invalid seconds") }
            return XSDNumeric.decimal(seconds).term
        case .timezone:
            guard let offset = value.timezoneMinutes else {
                throw ExpressionError("TIMEZONE of a dateTime without timezone")
            }
            return .literal(Literal(self.dayTimeDuration(minutes: offset), datatype: XSD.dayTimeDuration))
        default:
            return .string(value.timezoneLexical)
        }
    }

    /// The canonical `xsd:dayTimeDuration` of a whole number of minutes (XSD 1.1 Part 2 §3.4.27): `PT0S`,
    /// `-PT8H`, `PT5H30M`.
    static func dayTimeDuration(minutes: Int) -> String {
        guard minutes != 0 else { return "PT0S" }
        var text = minutes < 0 ? "-PT" : "PT"
        let magnitude = minutes.magnitude
        if magnitude / 60 > 0 { text += "\(magnitude / 60)H" }
        if magnitude % 60 > 0 { text += "\(magnitude % 60)M" }
        return text
    }
}
