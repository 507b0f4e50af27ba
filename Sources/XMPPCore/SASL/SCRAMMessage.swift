import Foundation

/// Wire-format helpers for SCRAM messages: attribute lists, `saslname` escaping and base64 (RFC 5802 §5, §7).
///
/// Internal: the public surface is ``SCRAMServer`` and ``SCRAMClient``; these helpers only turn bytes into
/// attribute/value pairs and back, failing with ``SASLFailure/malformedRequest`` on anything the grammar rejects.
enum SCRAMMessage {
    /// One `attr=value` pair of a SCRAM message (RFC 5802 §5.1).
    struct Attribute: Sendable, Equatable {
        /// The single-letter attribute name, e.g. `r` (RFC 5802 §5.1).
        var name: Character
        /// Everything after the first `=`.
        var value: Substring
    }

    /// Decodes UTF-8 message bytes; SCRAM messages are UTF-8 text (RFC 5802 §7).
    static func text(_ bytes: [UInt8]) throws(SASLFailure) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformedRequest }
        return text
    }

    /// Splits `a=…,b=…` into attributes, requiring each to be one ASCII letter followed by `=` (RFC 5802 §7).
    static func attributes(_ text: Substring) throws(SASLFailure) -> [Attribute] {
        var result: [Attribute] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard part.count >= 2, let name = part.first, name.isASCII, name.isLetter,
                part[part.index(after: part.startIndex)] == "="
            else { throw .malformedRequest }
            result.append(Attribute(name: name, value: part.dropFirst(2)))
        }
        return result
    }

    /// Decodes a `saslname`: `=2C` is `,` and `=3D` is `=`; any other `=` is an error (RFC 5802 §5.1).
    static func decodeName(_ value: Substring) throws(SASLFailure) -> String {
        var result = ""
        var index = value.startIndex
        while index < value.endIndex {
            let character = value[index]
            if character == "," { throw .malformedRequest }
            if character == "=" {
                let escape = value[index...].prefix(3)
                switch escape {
                case "=2C": result.append(",")
                case "=3D": result.append("=")
                default: throw .malformedRequest
                }
                index = value.index(index, offsetBy: 3)
            } else {
                result.append(character)
                index = value.index(after: index)
            }
        }
        guard !result.isEmpty else { throw .malformedRequest }
        return result
    }

    /// Encodes a `saslname`, escaping `=` and `,` (RFC 5802 §5.1).
    static func encodeName(_ name: String) -> String {
        var result = ""
        for character in name {
            switch character {
            case "=": result += "=3D"
            case ",": result += "=2C"
            default: result.append(character)
            }
        }
        return result
    }

    /// Checks a nonce: printable ASCII except `,` (RFC 5802 §7 `printable`).
    static func isValidNonce(_ nonce: Substring) -> Bool {
        !nonce.isEmpty && nonce.utf8.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: ",") }
    }

    /// Decodes strict base64 (RFC 5802 §7 `base64`, RFC 4648 §4).
    static func base64(_ value: Substring) throws(SASLFailure) -> [UInt8] {
        guard let data = Data(base64Encoded: String(value)) else { throw .malformedRequest }
        return Array(data)
    }

    /// Encodes bytes as base64 with padding (RFC 4648 §4).
    static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Compares two byte strings in time independent of where they differ (RFC 5802 §9 advice on timing).
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }

    /// `XOR` of two equal-length byte strings (RFC 5802 §2.2).
    static func xor(_ lhs: [UInt8], _ rhs: [UInt8]) -> [UInt8] {
        zip(lhs, rhs).map { $0 ^ $1 }
    }
}
