import RDF

/// SPARQL 1.1 Query Results JSON Format (W3C Recommendation 2013-03-21, §3).
enum ResultsJSONWriter {
    /// The JSON document of a result (§3).
    static func write(_ result: QueryResult) -> String {
        switch result {
        case .boolean(let b):
            return "{\"head\":{},\"boolean\":\(b ? "true" : "false")}"
        case .bindings(let variables, let rows):
            var out = "{\"head\":{\"vars\":["
            out += variables.map { Self.quote($0) }.joined(separator: ",")
            out += "]},\"results\":{\"bindings\":["
            var firstRow = true
            for row in rows {
                if !firstRow { out += "," }
                firstRow = false
                out += "{"
                var first = true
                for v in variables {
                    guard let term = row[v] else { continue }
                    if !first { out += "," }
                    first = false
                    out += Self.quote(v) + ":" + Self.term(term)
                }
                out += "}"
            }
            out += "]}}"
            return out
        case .graph:
            return ""
        }
    }

    /// An RDF term object (§3.2.2).
    static func term(_ term: Term) -> String {
        switch term {
        case .iri(let iri): return "{\"type\":\"uri\",\"value\":\(Self.quote(iri))}"
        case .blank(let label): return "{\"type\":\"bnode\",\"value\":\(Self.quote(label))}"
        case .literal(let literal):
            var s = "{\"type\":\"literal\",\"value\":\(Self.quote(literal.lexical))"
            if let language = literal.language {
                s += ",\"xml:lang\":\(Self.quote(language))"
            } else if literal.datatype != XSD.string {
                s += ",\"datatype\":\(Self.quote(literal.datatype))"
            }
            return s + "}"
        }
    }

    /// A JSON string (RFC 8259 §7).
    static func quote(_ text: String) -> String {
        var out = "\""
        for s in text.unicodeScalars {
            switch s {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if s.value < 0x20 || s.value == 0x2028 || s.value == 0x2029 {
                    out += "\\u" + NTriplesWriter.hex(s.value, 4)
                } else {
                    out.unicodeScalars.append(s)
                }
            }
        }
        return out + "\""
    }
}
