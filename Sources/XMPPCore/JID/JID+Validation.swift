import Foundation

extension JID {
    /// The longest part allowed, in UTF-8 octets (RFC 7622 §3.2.1, §3.3.1, §3.4.1).
    static let maximumPartLength = 1023
    /// The longest DNS label allowed, in octets (RFC 1035 §2.3.4, via RFC 7622 §3.2.1).
    static let maximumLabelLength = 63

    /// Applies an approximation of the PRECIS UsernameCaseMapped profile (RFC 7622 §3.3.1, RFC 8265 §3.3).
    ///
    /// Width-maps fullwidth forms, lower-cases, NFC-normalises, then allows printable ASCII minus the characters
    /// RFC 7622 §3.3.1 forbids (`" & ' / : < > @`) and non-ASCII letters, digits and combining marks
    /// (the IdentifierClass "LetterDigits" categories, RFC 8264 §9.1); compatibility characters are refused
    /// (RFC 8264 §9.17 HasCompat).
    static func normalizeLocalpart(_ part: String) throws(JIDError) -> String {
        guard !part.isEmpty else { throw JIDError(.emptyLocalpart, reason: "the localpart is empty") }
        var widthMapped = String.UnicodeScalarView()
        for scalar in part.unicodeScalars {
            if (0xFF01...0xFFEF).contains(scalar.value) {
                widthMapped.append(contentsOf: String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars)
            } else {
                widthMapped.append(scalar)
            }
        }
        let normalized = String(widthMapped).lowercased().precomposedStringWithCanonicalMapping
        try Self.checkLength(normalized, part: "localpart")
        for scalar in normalized.unicodeScalars {
            if scalar.isASCII {
                guard (0x21...0x7E).contains(scalar.value), !"\"&'/:<>@".unicodeScalars.contains(scalar) else {
                    throw Self.forbidden(scalar, in: "localpart")
                }
            } else {
                guard Self.isLetterDigit(scalar),
                    String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars.elementsEqual([scalar])
                else {
                    throw Self.forbidden(scalar, in: "localpart")
                }
            }
        }
        return normalized
    }

    /// Validates and canonicalises a domainpart (RFC 7622 §3.2): an IPv4 address, a bracketed IPv6 literal, or a
    /// DNS name whose labels are letter-digit-hyphen (or non-ASCII letters/digits/marks for U-labels), at most 63
    /// octets, lower-cased and NFC, with one trailing dot removed (RFC 7622 §3.2.1 steps 1–2).
    static func normalizeDomainpart(_ part: String) throws(JIDError) -> String {
        var domain = part
        if domain.hasSuffix(".") { domain.removeLast() }
        guard !domain.isEmpty else { throw JIDError(.emptyDomainpart, reason: "the domainpart is empty") }
        if domain.hasPrefix("[") {
            return try Self.normalizeIPv6Literal(domain)
        }
        domain = domain.lowercased().precomposedStringWithCanonicalMapping
        try Self.checkLength(domain, part: "domainpart")
        for label in domain.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else {
                throw JIDError(.invalidDomain, reason: "the domainpart '\(part)' has an empty label")
            }
            guard label.utf8.count <= Self.maximumLabelLength else {
                throw JIDError(.invalidDomain, reason: "a label of '\(part)' exceeds 63 octets")
            }
            guard label.first != "-", label.last != "-" else {
                throw JIDError(.invalidDomain, reason: "a label of '\(part)' begins or ends with '-'")
            }
            for scalar in label.unicodeScalars {
                let valid =
                    scalar.isASCII
                    ? (scalar == "-" || scalar.properties.isASCIIHexDigit || ("g"..."z").contains(scalar))
                    : Self.isLetterDigit(scalar)
                guard valid else {
                    throw JIDError(
                        .invalidDomain,
                        reason: "the domainpart contains the forbidden character U+\(Self.hex(scalar))")
                }
            }
        }
        return domain
    }

    /// Applies an approximation of the PRECIS OpaqueString profile (RFC 7622 §3.4.1, RFC 8265 §4.2): NFC, case
    /// preserved, no control characters and no leading whitespace (RFC 7622 §3.5.2 example 3).
    static func normalizeResourcepart(_ part: String) throws(JIDError) -> String {
        guard !part.isEmpty else { throw JIDError(.emptyResourcepart, reason: "the resourcepart is empty") }
        let normalized = part.precomposedStringWithCanonicalMapping
        try Self.checkLength(normalized, part: "resourcepart")
        if let first = normalized.unicodeScalars.first, first.properties.isWhitespace {
            throw JIDError(.forbiddenCharacter, reason: "the resourcepart begins with whitespace")
        }
        for scalar in normalized.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .surrogate, .unassigned:
                throw Self.forbidden(scalar, in: "resourcepart")
            default:
                continue
            }
        }
        return normalized
    }

    /// Checks a bracketed IPv6 literal (RFC 7622 §3.2.1, RFC 3986 §3.2.2) and lower-cases it.
    private static func normalizeIPv6Literal(_ literal: String) throws(JIDError) -> String {
        let invalid = JIDError(.invalidDomain, reason: "'\(literal)' is not a valid IPv6 literal")
        guard literal.hasSuffix("]"), literal.count > 2 else { throw invalid }
        let address = literal.dropFirst().dropLast().lowercased()
        let groups = address.split(separator: ":", omittingEmptySubsequences: false)
        guard address.contains(":"), groups.count <= 8,
            address.components(separatedBy: "::").count <= 2,
            address.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." }),
            groups.allSatisfy({ $0.count <= 4 || ($0.contains(".") && $0 == groups.last) })
        else { throw invalid }
        return "[\(address)]"
    }

    /// Whether a scalar is in the PRECIS "LetterDigits" categories (RFC 8264 §9.1): Ll Lu Lo Nd Lm Mn Mc.
    private static func isLetterDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .otherLetter, .decimalNumber, .modifierLetter, .nonspacingMark,
            .spacingMark:
            return true
        default:
            return false
        }
    }

    private static func checkLength(_ part: String, part name: String) throws(JIDError) {
        guard part.utf8.count <= Self.maximumPartLength else {
            throw JIDError(.tooLong, reason: "the \(name) exceeds \(Self.maximumPartLength) octets")
        }
    }

    private static func forbidden(_ scalar: Unicode.Scalar, in part: String) -> JIDError {
        JIDError(.forbiddenCharacter, reason: "the \(part) contains the forbidden character U+\(Self.hex(scalar))")
    }

    private static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
