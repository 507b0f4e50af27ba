/// Writes terms, triples and quads as N-Triples / N-Quads (RDF 1.1 N-Triples §4 canonical form, N-Quads §5).
public enum NTriplesSerializer {
    /// One line per triple, each ending in " .\n".
    public static func serialize(_ triples: some Sequence<Triple>) -> String {
        var out = ""
        for triple in triples {
            out += triple.ntriples
            out += "\n"
        }
        return out
    }

    /// One line per quad (N-Quads), the graph label omitted for the default graph.
    public static func serialize(quads: some Sequence<Quad>) -> String {
        var out = ""
        for quad in quads {
            out += quad.nquads
            out += "\n"
        }
        return out
    }
}

extension Term: CustomStringConvertible {
    /// The term in N-Triples syntax (N-Triples §7 IRIREF, BLANK_NODE_LABEL, literal), escaped as needed.
    public var ntriples: String {
        switch self {
        case .iri(let iri):
            return "<" + Self.escapeIRI(iri) + ">"
        case .blank(let label):
            return "_:" + Self.safeLabel(label)
        case .literal(let literal):
            let quoted = "\"" + Self.escapeString(literal.lexical) + "\""
            if let language = literal.language { return quoted + "@" + language }
            if literal.datatype == XSD.string { return quoted }
            return quoted + "^^<" + Self.escapeIRI(literal.datatype) + ">"
        }
    }

    /// The N-Triples form.
    public var description: String { self.ntriples }

    /// IRIs cannot contain the characters IRIREF excludes, even escaped (Turtle tests `bad-uri-escape`); a term
    /// holding one is written with that character percent-encoded (RFC 3987 §3.1 mapping) so the output stays valid.
    private static func escapeIRI(_ iri: String) -> String {
        guard iri.utf8.contains(where: { ByteLexer.isForbiddenInIRI($0) }) else { return iri }
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in iri.utf8 {
            if ByteLexer.isForbiddenInIRI(b) {
                out += [ASCII.percent, digits[Int(b >> 4)], digits[Int(b & 0xF)]]
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func escapeString(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == ASCII.quote || $0 == ASCII.backslash || $0 == 0x7F })
        else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0..<0x20, 0x7F: out += Self.uchar(scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func uchar(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.utf8.count)) + hex
    }

    /// The label if it is a valid BLANK_NODE_LABEL body, else an injective hexadecimal spelling of it.
    private static func safeLabel(_ label: String) -> String {
        let scalars = Array(label.unicodeScalars)
        let valid =
            !scalars.isEmpty && (NameChars.isU(scalars[0].value) || (0x30...0x39).contains(scalars[0].value))
            && scalars.dropFirst().allSatisfy { NameChars.isChar($0.value) || $0.value == 0x2E }
            && scalars.last?.value != 0x2E
        if valid { return label }
        return "x" + label.utf8.map { String($0, radix: 16, uppercase: false) }.joined(separator: "_")
    }
}

extension Triple: CustomStringConvertible {
    /// The triple as one N-Triples statement (without the line end).
    public var ntriples: String {
        self.subject.ntriples + " " + self.predicate.ntriples + " " + self.object.ntriples + " ."
    }

    /// The N-Triples form.
    public var description: String { self.ntriples }
}

extension Quad: CustomStringConvertible {
    /// The quad as one N-Quads statement (without the line end).
    public var nquads: String {
        switch self.graph {
        case .defaultGraph: self.triple.ntriples
        case .named(let g):
            self.triple.subject.ntriples + " " + self.triple.predicate.ntriples + " " + self.triple.object.ntriples
                + " " + g.ntriples + " ."
        }
    }

    /// The N-Quads form.
    public var description: String { self.nquads }
}
