import Registry

/// Search filters in their string form (RFC 4515), built from typed conditions so that no caller-supplied text
/// can change a filter's structure.
///
/// Every assertion value passes through ``escape(_:)``: `*`, `(`, `)`, `\` and NUL become `\2a`, `\28`, `\29`,
/// `\5c` and `\00` (RFC 4515 §3), so a name prefix such as `a*)(icStatus=*` stays a literal substring.
struct LDAPFilter: Sendable, Hashable, CustomStringConvertible {
    /// The filter in RFC 4515 string form.
    let description: String

    private init(_ text: String) { self.description = text }

    /// `(attribute=value)`: an equality match (RFC 4515 §3 `equal`, RFC 4511 §4.5.1.7.1).
    static func equal(_ attribute: String, _ value: String) -> LDAPFilter {
        LDAPFilter("(\(attribute)=\(Self.escape(value)))")
    }

    /// `(attribute>=value)`: an ordering match (RFC 4515 §3 `greaterorequal`, RFC 4511 §4.5.1.7.3).
    static func greaterOrEqual(_ attribute: String, _ value: String) -> LDAPFilter {
        LDAPFilter("(\(attribute)>=\(Self.escape(value)))")
    }

    /// `(attribute=prefix*)`: a substring match with only an initial component (RFC 4515 §3 `substring`); an
    /// empty prefix degenerates to a presence test `(attribute=*)`.
    static func prefix(_ attribute: String, _ prefix: String) -> LDAPFilter {
        LDAPFilter("(\(attribute)=\(Self.escape(prefix))*)")
    }

    /// `(&…)`: all of `filters` (RFC 4515 §3 `and`); a single filter is returned unchanged.
    static func and(_ filters: [LDAPFilter]) -> LDAPFilter {
        filters.count == 1 ? filters[0] : LDAPFilter("(&" + filters.map(\.description).joined() + ")")
    }

    /// Escapes an assertion value per RFC 4515 §3 (`valueencoding`): the octets `*`, `(`, `)`, `\` and NUL are
    /// written as a backslash and two hex digits; everything else, UTF-8 included, is kept.
    static func escape(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "*": escaped += "\\2a"
            case "(": escaped += "\\28"
            case ")": escaped += "\\29"
            case "\\": escaped += "\\5c"
            case "\0": escaped += "\\00"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

extension CloudFilter {
    /// The equivalent LDAP filter over `icCloud` entries (RFC 4515): `icStatus` equality, `icTrustLevel>=N`
    /// (`integerOrderingMatch`, RFC 4517 §4.2.20) and an `icCloudName` initial substring.
    var ldapFilter: LDAPFilter {
        var parts: [LDAPFilter] = [.equal("objectClass", LDAPSchema.cloudClass)]
        if let status = self.status { parts.append(.equal(LDAPSchema.status, status.rawValue)) }
        if let minimum = self.minimumTrustLevel { parts.append(.greaterOrEqual(LDAPSchema.trustLevel, "\(minimum)")) }
        if let prefix = self.namePrefix { parts.append(.prefix(LDAPSchema.cloudName, prefix)) }
        return .and(parts)
    }
}
