/// Maps an authenticated Kerberos principal to the localpart of the account it may log in as (RFC 4752 §3.1: "the
/// server must verify that the src_name is authorized").
///
/// One rule, in the spirit of slapd's `authz-regexp`: a regular expression that must match the whole principal
/// (`NAME@REALM` as `gss_display_name` prints it, RFC 1964 §2.1.1) and a template in which `$1`…`$9` stand for its
/// capture groups. The default accepts exactly `NAME@REALM` with a one-component name and maps it to `NAME`, so
/// `alpha@EXAMPLE.ORG` logs in as cloud `alpha`, while `alpha/admin@EXAMPLE.ORG` or `alpha@OTHER.ORG` map to nothing.
/// Matching is case-sensitive: principals are (RFC 4120 §6.2).
public struct KerberosPrincipalMapping: Sendable, Equatable {
    /// The realm of the default rule.
    public let realm: String
    /// The regular expression (Swift `Regex` syntax) matched against the whole principal.
    public let pattern: String
    /// The localpart to produce; `$N` is the N-th capture group.
    public let template: String

    /// The default template: the first capture group.
    public static let defaultTemplate = "$1"

    /// A mapping for `realm`, with the default rule unless `pattern` is given; throws ``Invalid`` when the realm is
    /// empty or the pattern does not compile.
    public init(realm: String, pattern: String? = nil, template: String? = nil) throws(Invalid) {
        guard !realm.isEmpty, !realm.contains("@") else {
            throw Invalid(message: "a Kerberos realm is required and cannot contain '@'")
        }
        self.realm = realm
        self.pattern = pattern ?? "([^/@]+)@" + Self.escape(realm)
        self.template = template ?? Self.defaultTemplate
        do {
            _ = try Regex(self.pattern)
        } catch {
            throw Invalid(
                message: "the principal pattern '\(self.pattern)' is not a valid regular expression: \(error)")
        }
    }

    /// The localpart for `principal`, or nil when the rule does not match it or the template refers to a group
    /// the pattern does not have.
    public func localpart(for principal: String) -> String? {
        guard let regex = try? Regex(self.pattern), let match = try? regex.wholeMatch(in: principal) else {
            return nil
        }
        var result = ""
        var previousWasDollar = false
        for character in self.template {
            if previousWasDollar {
                previousWasDollar = false
                if let index = character.wholeNumberValue {
                    guard index < match.output.count else { return nil }
                    result += match.output[index].substring.map(String.init) ?? ""
                    continue
                }
                result.append("$")
            }
            if character == "$" {
                previousWasDollar = true
            } else {
                result.append(character)
            }
        }
        if previousWasDollar { result.append("$") }
        return result.isEmpty ? nil : result
    }

    /// A configuration error, reported with the key that holds it.
    public struct Invalid: Error, Sendable, Equatable {
        /// What is wrong.
        public var message: String
    }

    /// `realm` with every regular-expression metacharacter escaped.
    static func escape(_ literal: String) -> String {
        var escaped = ""
        for character in literal {
            if "\\^$.|?*+()[]{}/-".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
