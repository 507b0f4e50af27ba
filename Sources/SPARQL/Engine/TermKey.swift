import RDF

/// A decoded summary of a term for fast comparisons: numerics and dateTimes as doubles when that is exact
/// (SPARQL 1.1 §17.3 operator mapping, XPath op:numeric-less-than / op:dateTime-less-than).
///
/// Anything the fast path cannot decide exactly falls back to `SPARQLFunctions.compare` / `orderCompare`.
struct TermKey {
    /// What a term is, as far as the fast comparisons care.
    enum Kind: UInt8 {
        /// A literal the fast path does not decode.
        case other
        /// xsd:integer, xsd:decimal (≤ 15 significant digits) or xsd:double (not NaN): `value` is exact enough
        /// that comparing doubles equals comparing the promoted XPath values.
        case exactNumeric
        /// A numeric literal that needs the full comparison (float, derived integer types, long decimals, NaN).
        case inexactNumeric
        /// An xsd:dateTime with a timezone: `value` is seconds since the epoch.
        case zonedDateTime
        /// An xsd:dateTime without a timezone: `value` is seconds since the epoch read as UTC.
        case localDateTime
        case iri
        case blank
        /// A simple literal (xsd:string).
        case string
        case langString
        /// xsd:boolean with a valid lexical form: `value` is 0 or 1.
        case boolean
    }

    /// The kind.
    var kind: Kind
    /// The decoded value (numerics, dateTimes, booleans).
    var value: Double

    /// Whether two keys compare by `value` exactly.
    @inline(__always) func comparable(with other: TermKey) -> Bool {
        self.kind == other.kind
            && (self.kind == .exactNumeric || self.kind == .zonedDateTime || self.kind == .localDateTime
                || self.kind == .boolean)
    }

    /// Decodes a term.
    static func of(_ term: Term) -> TermKey {
        switch term {
        case .iri: return TermKey(kind: .iri, value: 0)
        case .blank: return TermKey(kind: .blank, value: 0)
        case .literal(let literal):
            switch literal.datatype {
            case XSD.string: return TermKey(kind: .string, value: 0)
            case RDFVocabulary.langString: return TermKey(kind: .langString, value: 0)
            case XSD.integer:
                if let v = Self.decimalValue(literal.lexical, allowPoint: false) {
                    return TermKey(kind: .exactNumeric, value: v)
                }
                return TermKey(kind: Self.isInteger(literal.lexical) ? .inexactNumeric : .other, value: 0)
            case XSD.decimal:
                if let v = Self.decimalValue(literal.lexical, allowPoint: true) {
                    return TermKey(kind: .exactNumeric, value: v)
                }
                return TermKey(kind: .other, value: 0)
            case XSD.double:
                if let v = Self.doubleValue(literal.lexical), !v.isNaN { return TermKey(kind: .exactNumeric, value: v) }
                return TermKey(kind: .other, value: 0)
            case XSD.boolean:
                switch literal.lexical {
                case "true", "1": return TermKey(kind: .boolean, value: 1)
                case "false", "0": return TermKey(kind: .boolean, value: 0)
                default: return TermKey(kind: .other, value: 0)
                }
            case XSD.dateTime:
                if let (seconds, zoned) = Self.dateTimeValue(literal.lexical) {
                    return TermKey(kind: zoned ? .zonedDateTime : .localDateTime, value: seconds)
                }
                return TermKey(kind: .other, value: 0)
            case XSD.float, XSD.long, XSD.int, XSD.short, XSD.byte, XSD.nonNegativeInteger, XSD.nonPositiveInteger,
                XSD.positiveInteger, XSD.negativeInteger, XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort,
                XSD.unsignedByte:
                return TermKey(kind: .inexactNumeric, value: 0)
            default:
                return TermKey(kind: .other, value: 0)
            }
        }
    }

    private static func isInteger(_ s: String) -> Bool {
        var u = Substring(s).utf8[...]
        if let f = u.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { u = u.dropFirst() }
        return !u.isEmpty && u.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// The value of an xsd:integer / xsd:decimal lexical form with at most 15 significant digits.
    static func decimalValue(_ s: String, allowPoint: Bool) -> Double? {
        var significant = 0
        var seenNonZero = false
        var digits = 0
        var point = false
        var first = true
        for c in s.utf8 {
            if first && (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) {
                first = false
                continue
            }
            first = false
            if c == UInt8(ascii: ".") {
                guard allowPoint && !point else { return nil }
                point = true
                continue
            }
            guard c >= 48 && c <= 57 else { return nil }
            digits += 1
            if c != 48 { seenNonZero = true }
            if seenNonZero { significant += 1 }
        }
        guard digits > 0, significant <= 15 else { return nil }
        return Double(s)
    }

    /// The value of an xsd:double lexical form (XSD 1.1 §3.3.5.2).
    static func doubleValue(_ s: String) -> Double? {
        switch s {
        case "INF", "+INF": return .infinity
        case "-INF": return -.infinity
        case "NaN": return .nan
        default: break
        }
        var sawDigit = false
        for c in s.utf8 {
            switch c {
            case 48...57: sawDigit = true
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): break
            default: return nil
            }
        }
        guard sawDigit else { return nil }
        return Double(s)
    }

    /// Seconds since 1970-01-01T00:00:00Z of an xsd:dateTime with a four-digit year and at most four fractional
    /// digits, and whether it has a timezone; nil for anything else.
    static func dateTimeValue(_ s: String) -> (Double, Bool)? {
        var s = s
        return s.withUTF8 { Self.dateTimeValue(utf8: $0) }
    }

    private static func dateTimeValue(utf8 u: UnsafeBufferPointer<UInt8>) -> (Double, Bool)? {
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= u.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                let c = u[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard u.count >= 19, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), u[10] == UInt8(ascii: "T"),
            u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
            let year = num(0, 4), let month = num(5, 2), let day = num(8, 2), let hour = num(11, 2),
            let minute = num(14, 2), let second = num(17, 2),
            year >= 1, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < u.count && u[i] == UInt8(ascii: ".") {
            let start = i + 1
            i = start
            while i < u.count && u[i] >= 48 && u[i] <= 57 { i += 1 }
            guard i > start, i - start <= 4, let f = num(start, i - start) else { return nil }
            var scale = 1.0
            for _ in 0..<(i - start) { scale *= 10 }
            fraction = Double(f) / scale
        }
        var offset = 0
        var zoned = false
        if i < u.count {
            if u[i] == UInt8(ascii: "Z") && i + 1 == u.count {
                zoned = true
            } else if (u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-")) && i + 6 == u.count,
                u[i + 3] == UInt8(ascii: ":"), let h = num(i + 1, 2), let m = num(i + 4, 2), h <= 14, m < 60
            {
                offset = (h * 60 + m) * 60 * (u[i] == UInt8(ascii: "-") ? -1 : 1)
                zoned = true
            } else {
                return nil
            }
        }
        // Days from civil (proleptic Gregorian), H. Hinnant's algorithm.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
        return (Double(seconds) + fraction, zoned)
    }
}
