/// The character classes of the SPARQL 1.1 grammar (§19.8 rules [164]–[172]).
extension SPARQLLexer {
    /// `[0-9]`.
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    /// `[a-zA-Z]`.
    static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }
    /// The value of a hexadecimal digit.
    static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 48
        case "a"..."f": return c.value - 87
        case "A"..."F": return c.value - 55
        default: return nil
        }
    }

    /// PN_CHARS_BASE (§19.8 [164]).
    static func isPNCharsBase(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return Self.isASCIILetter(c) || (0xC0...0xD6).contains(v) || (0xD8...0xF6).contains(v)
            || (0xF8...0x2FF).contains(v) || (0x370...0x37D).contains(v) || (0x37F...0x1FFF).contains(v)
            || (0x200C...0x200D).contains(v) || (0x2070...0x218F).contains(v) || (0x2C00...0x2FEF).contains(v)
            || (0x3001...0xD7FF).contains(v) || (0xF900...0xFDCF).contains(v) || (0xFDF0...0xFFFD).contains(v)
            || (0x10000...0xEFFFF).contains(v)
    }

    /// PN_CHARS_U (§19.8 [165]).
    static func isPNCharsU(_ c: Unicode.Scalar) -> Bool { c == "_" || Self.isPNCharsBase(c) }

    /// PN_CHARS (§19.8 [167]).
    static func isPNChars(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return Self.isPNCharsU(c) || c == "-" || Self.isDigit(c) || v == 0xB7 || (0x300...0x36F).contains(v)
            || (0x203F...0x2040).contains(v)
    }

    /// The first character of VARNAME (rule [166]).
    static func isVarStart(_ c: Unicode.Scalar) -> Bool { Self.isPNCharsU(c) || Self.isDigit(c) }

    /// VARNAME continuation characters (§19.8 [166]).
    static func isVarChar(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return Self.isPNCharsU(c) || Self.isDigit(c) || v == 0xB7 || (0x300...0x36F).contains(v)
            || (0x203F...0x2040).contains(v)
    }
}
