import RDF

/// SPARQL Query Results XML Format, Second Edition (W3C Recommendation 2013-03-21, §2).
enum ResultsXMLWriter {
    /// The XML document of a result (§2).
    static func write(_ result: QueryResult) -> String {
        // No XML declaration (optional, §2): the document can be embedded as is, e.g. in an XMPP stanza.
        var out = "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"
        switch result {
        case .boolean(let b):
            out += "<head></head>\n<boolean>\(b ? "true" : "false")</boolean>\n"
        case .bindings(let variables, let rows):
            out += "<head>"
            for v in variables { out += "<variable name=\"\(Self.escape(v))\"/>" }
            out += "</head>\n<results>\n"
            for row in rows {
                out += "<result>"
                for v in variables {
                    guard let term = row[v] else { continue }
                    out += "<binding name=\"\(Self.escape(v))\">" + Self.term(term) + "</binding>"
                }
                out += "</result>\n"
            }
            out += "</results>\n"
        case .graph:
            break
        }
        return out + "</sparql>\n"
    }

    /// An RDF term element (§2.3.1).
    static func term(_ term: Term) -> String {
        switch term {
        case .iri(let iri): return "<uri>\(Self.escape(iri))</uri>"
        case .blank(let label): return "<bnode>\(Self.escape(label))</bnode>"
        case .literal(let literal):
            if let language = literal.language {
                return "<literal xml:lang=\"\(Self.escape(language))\">\(Self.escape(literal.lexical))</literal>"
            }
            if literal.datatype != XSD.string {
                return
                    "<literal datatype=\"\(Self.escape(literal.datatype))\">\(Self.escape(literal.lexical))</literal>"
            }
            return "<literal>\(Self.escape(literal.lexical))</literal>"
        }
    }

    /// Escapes text and attribute values (XML 1.0 §2.4); characters XML 1.0 cannot carry become U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars {
            switch s {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r": out += "&#13;"
            default:
                let v = s.value
                if (v < 0x20 && v != 0x9 && v != 0xA) || v == 0xFFFE || v == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(s)
                }
            }
        }
        return out
    }
}
