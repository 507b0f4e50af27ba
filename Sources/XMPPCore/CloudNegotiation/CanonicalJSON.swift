/// A JSON value written in the canonical form of RFC 8785 (JSON Canonicalization Scheme), restricted to strings,
/// integers, arrays and objects: the bytes the root signs (docs/negotiation.md "Canonical form").
///
/// No whitespace; object members sorted by the UTF-16 code units of their names (RFC 8785 §3.2.3); strings escape
/// only `"`, `\` and U+0000–U+001F, using `\b \t \n \f \r` where defined and `\u00xx` (lower-case hex) otherwise,
/// everything else as UTF-8 (RFC 8785 §3.2.2.2); integers in plain decimal (RFC 8785 §3.2.2.3, exact below 2^53).
enum CanonicalJSON: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case array([CanonicalJSON])
    case object([String: CanonicalJSON])

    /// The canonical UTF-8 bytes.
    var bytes: [UInt8] { Array(self.text.utf8) }

    /// The canonical text.
    var text: String {
        var output = ""
        self.write(into: &output)
        return output
    }

    private func write(into output: inout String) {
        switch self {
        case .string(let string):
            Self.writeString(string, into: &output)
        case .integer(let value):
            output += String(value)
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            let names = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (index, name) in names.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(name, into: &output)
                output += ":"
                members[name]?.write(into: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ string: String, into output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\u{08}": output += "\\b"
            case "\t": output += "\\t"
            case "\n": output += "\\n"
            case "\u{0C}": output += "\\f"
            case "\r": output += "\\r"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
