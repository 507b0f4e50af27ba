import Crypto
import Foundation
import RDF
import SPARQL

/// The result digest of `benchmarks/sparql/sparql_rows.py`, reproduced byte for byte so that the report can compare
/// our rows with pyoxigraph's and rdflib's: each row is the Python `repr` of a tuple of engine-neutral terms, the
/// reprs are sorted (unless ordered) and joined with "\n", and the digest is the first 16 hex digits of SHA-256.
enum RowDigest {
    static let xsd = "http://www.w3.org/2001/XMLSchema#"
    static let exactNumeric: Set<String> = Set(
        [
            "integer", "decimal", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
            "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
        ].map { xsd + $0 })
    static let floating: Set<String> = [xsd + "double", xsd + "float"]

    /// The rows' reprs, or nil for results the Python side does not digest (graphs).
    static func rows(_ result: QueryResult) -> [String]? {
        switch result {
        case .boolean(let value):
            return ["(('boolean', \(value ? "True" : "False")),)"]
        case .bindings(let variables, let rows):
            return rows.map { row in Self.tuple(variables.map { row[$0].map(Self.term) ?? "('undef',)" }) }
        case .graph:
            return nil
        }
    }

    /// `sparql_rows.digest(rows, ordered)`.
    static func digest(_ rows: [String], ordered: Bool) -> String {
        let items = ordered ? rows : rows.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return String(
            SHA256.hash(data: Array(items.joined(separator: "\n").utf8)).map { String(format: "%02x", $0) }.joined()
                .prefix(16))
    }

    /// `sparql_rows.has_order_by`: an ORDER BY outside `#` comments.
    static func hasOrderBy(_ query: String) -> Bool {
        let lines = query.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var previous: Character = " "
            var kept = ""
            for c in line {
                if c == "#" && (kept.isEmpty || previous.isWhitespace) { break }
                kept.append(c)
                previous = c
            }
            return kept
        }
        let words = lines.joined(separator: " ").uppercased().split(whereSeparator: \.isWhitespace)
        return words.joined(separator: " ").contains("ORDER BY")
    }

    static func term(_ term: Term) -> String {
        switch term {
        case .iri(let iri): return Self.tuple(["'iri'", Self.repr(iri)])
        case .blank: return "('bnode',)"
        case .literal(let literal):
            if let language = literal.language {
                return Self.tuple([
                    "'literal'", Self.repr(literal.lexical), Self.repr(literal.datatype), Self.repr(language),
                ])
            }
            var lexical = literal.lexical
            if Self.exactNumeric.contains(literal.datatype) {
                lexical = Self.decimal(literal.lexical) ?? lexical
            } else if Self.floating.contains(literal.datatype), let value = Double(Self.strip(literal.lexical)) {
                lexical = value.description
            }
            return Self.tuple(["'literal'", Self.repr(lexical), Self.repr(literal.datatype), "None"])
        }
    }

    static func tuple(_ items: [String]) -> String {
        items.count == 1 ? "(" + items[0] + ",)" : "(" + items.joined(separator: ", ") + ")"
    }

    private static func strip(_ s: String) -> String {
        String(s.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    /// `format(value.quantize(1) if integral else value.normalize(), "f")` of Python's `decimal.Decimal(lexical)`.
    static func decimal(_ lexical: String) -> String? {
        var bytes = Array(Self.strip(lexical).utf8)[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var exponent = 0
        var seenDot = false
        while let b = bytes.first, (b >= 0x30 && b <= 0x39) || (b == UInt8(ascii: ".") && !seenDot) {
            if b == UInt8(ascii: ".") {
                seenDot = true
            } else {
                digits.append(b)
                if seenDot { exponent -= 1 }
            }
            bytes = bytes.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        if let e = bytes.first, e | 0x20 == UInt8(ascii: "e") {
            guard let value = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)) else { return nil }
            exponent += value
            bytes = []
        }
        guard bytes.isEmpty else { return nil }
        while digits.count > 1 && digits[0] == 0x30 { digits.removeFirst() }
        let sign = negative ? "-" : ""
        if exponent >= 0 {
            if digits == [0x30] { return sign + "0" }
            return sign + String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: exponent)
        }
        // Drop trailing zeros (normalize); integral values come out without a fraction (quantize(1)).
        while exponent < 0 && digits.count > 1 && digits.last == 0x30 {
            digits.removeLast()
            exponent += 1
        }
        if digits == [0x30] { return sign + "0" }
        if exponent >= 0 { return sign + String(decoding: digits, as: UTF8.self) }
        let text = String(decoding: digits, as: UTF8.self)
        let point = text.count + exponent
        if point > 0 { return sign + String(text.prefix(point)) + "." + String(text.dropFirst(point)) }
        return sign + "0." + String(repeating: "0", count: -point) + text
    }

    /// Python's `repr` of a `str`.
    static func repr(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case _ where Character(scalar) == quote: out += "\\" + String(quote)
            case _ where !Self.isPrintable(scalar):
                let hex = String(scalar.value, radix: 16)
                let width = scalar.value < 0x100 ? 2 : scalar.value < 0x10000 ? 4 : 8
                out +=
                    (width == 2 ? "\\x" : width == 4 ? "\\u" : "\\U") + String(repeating: "0", count: width - hex.count)
                    + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append(quote)
        return out
    }

    /// Python's `str.isprintable` for one character: not in categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs (but space).
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return false
        default: return true
        }
    }
}
