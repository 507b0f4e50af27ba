/// Escaping helpers for the serializer (RFC 6120 §11.1, XML 1.0 §2.4 and §3.3.3).
///
/// Characters that XML 1.0 cannot carry at all (most C0 controls, U+FFFE, U+FFFF) are replaced by U+FFFD so the
/// output is always well-formed (RFC 6120 §11.3); `\r`, and in attributes `\t` and `\n`, are written as character
/// references so that a parser's end-of-line and attribute-value normalisation gives back the original string.
enum XMLEscaping {
    /// Appends `text` escaped for element content: `& < >` (XML 1.0 §2.4).
    static func appendText(_ text: String, to output: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\r": output += "&#xD;"
            default: self.appendChecked(scalar, to: &output)
            }
        }
    }

    /// Appends `value` escaped for a single- or double-quoted attribute value: `& < > ' "` (XML 1.0 §3.3.3).
    static func appendAttribute(_ value: String, to output: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "'": output += "&apos;"
            case "\"": output += "&quot;"
            case "\r": output += "&#xD;"
            case "\n": output += "&#xA;"
            case "\t": output += "&#x9;"
            default: self.appendChecked(scalar, to: &output)
            }
        }
    }

    /// `text` escaped for element content (XML 1.0 §2.4).
    static func escapedText(_ text: String) -> String {
        var output = ""
        self.appendText(text, to: &output)
        return output
    }

    /// `value` escaped for an attribute value (XML 1.0 §3.3.3).
    static func escapedAttribute(_ value: String) -> String {
        var output = ""
        self.appendAttribute(value, to: &output)
        return output
    }

    /// Splits a Clark-notation name `"{uri}local"` into its parts, or returns `nil` for a plain name.
    static func splitClarkName(_ name: String) -> (uri: String, local: String)? {
        guard name.hasPrefix("{"), let close = name.firstIndex(of: "}") else { return nil }
        let uri = name[name.index(after: name.startIndex)..<close]
        let local = name[name.index(after: close)...]
        guard !local.isEmpty else { return nil }
        return (String(uri), String(local))
    }

    /// Appends one scalar, replacing characters outside the XML 1.0 `Char` production (XML 1.0 §2.2).
    private static func appendChecked(_ scalar: Unicode.Scalar, to output: inout String) {
        let value = scalar.value
        let allowed =
            value == 0x9 || value == 0xA || value == 0xD || (value >= 0x20 && value != 0xFFFE && value != 0xFFFF)
        output.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
    }
}
