import RDF

/// N-Triples output (RDF 1.1 N-Triples §2, canonical escapes of §2.4 and IRIREF UCHARs).
enum NTriplesWriter {
    /// N-Triples lines, one per triple.
    static func write(_ triples: [Triple]) -> String {
        var out = ""
        for t in triples {
            Self.write(t.subject, into: &out)
            out += " "
            Self.write(t.predicate, into: &out)
            out += " "
            Self.write(t.object, into: &out)
            out += " .\n"
        }
        return out
    }

    /// Appends one term in N-Triples syntax.
    static func write(_ term: Term, into out: inout String) {
        switch term {
        case .iri(let iri):
            out += "<"
            for s in iri.unicodeScalars {
                if s.value <= 0x20 || "<>\"{}|^`\\".unicodeScalars.contains(s) {
                    out += "\\u" + Self.hex(s.value, 4)
                } else {
                    out.unicodeScalars.append(s)
                }
            }
            out += ">"
        case .blank(let label):
            out += "_:"
            for s in label.unicodeScalars {
                let ok = (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "_"
                if ok { out.unicodeScalars.append(s) } else { out += "x" + Self.hex(s.value, 2) }
            }
        case .literal(let literal):
            out += "\""
            for s in literal.lexical.unicodeScalars {
                switch s {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                default:
                    if s.value < 0x20 || s.value == 0x7F {
                        out += "\\u" + Self.hex(s.value, 4)
                    } else {
                        out.unicodeScalars.append(s)
                    }
                }
            }
            out += "\""
            if let language = literal.language {
                out += "@" + language
            } else if literal.datatype != XSD.string {
                out += "^^"
                Self.write(.iri(literal.datatype), into: &out)
            }
        }
    }

    /// Upper-case hexadecimal, zero-padded to `digits`.
    static func hex(_ value: UInt32, _ digits: Int) -> String {
        let s = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
