import Foundation

/// An XMPP address, `[localpart@]domainpart[/resourcepart]`, validated and normalised on creation (RFC 7622).
///
/// Every stored part is already in canonical form (localpart case-folded, domainpart lower-cased, all NFC), so
/// `==` and hashing compare addresses the way RFC 7622 §3 defines equality; an invalid JID cannot be represented.
public struct JID: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    /// The optional localpart, usually an account name (RFC 7622 §3.3).
    public let localpart: String?
    /// The domainpart: a DNS name or an IP literal (RFC 7622 §3.2).
    public let domainpart: String
    /// The optional resourcepart, usually a client session (RFC 7622 §3.4).
    public let resourcepart: String?

    /// Parses and normalises an address (RFC 7622 §3.1, §3.2–§3.4).
    ///
    /// The first `/` starts the resourcepart; in what precedes it, the first `@` ends the localpart (RFC 7622 §3.2
    /// steps 1–2), so `a.example.com/b@example.net` is a domain with resource `b@example.net`.
    public init(parsing string: String) throws(JIDError) {
        guard !string.isEmpty else { throw JIDError(.empty, reason: "the address is empty") }
        var rest = Substring(string)
        var resource: String?
        if let slash = rest.firstIndex(of: "/") {
            resource = String(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
        }
        var local: String?
        if let at = rest.firstIndex(of: "@") {
            local = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        try self.init(localpart: local, domainpart: String(rest), resourcepart: resource)
    }

    /// Parses an address, returning `nil` when it is invalid (RFC 7622 §3); see ``init(parsing:)``.
    public init?(_ description: String) {
        guard let jid = try? JID(parsing: description) else { return nil }
        self = jid
    }

    /// Builds an address from its parts, validating and normalising each (RFC 7622 §3.2–§3.4).
    ///
    /// `nil` omits a part; an empty string is an error, since `@` or `/` with nothing around it is invalid.
    public init(localpart: String?, domainpart: String, resourcepart: String?) throws(JIDError) {
        self.localpart = try localpart.map { (part: String) throws(JIDError) in try Self.normalizeLocalpart(part) }
        self.domainpart = try Self.normalizeDomainpart(domainpart)
        self.resourcepart = try resourcepart.map { (part: String) throws(JIDError) in
            try Self.normalizeResourcepart(part)
        }
    }

    /// Memberwise initialiser for parts that are already canonical.
    private init(canonicalLocalpart: String?, domainpart: String, resourcepart: String?) {
        self.localpart = canonicalLocalpart
        self.domainpart = domainpart
        self.resourcepart = resourcepart
    }

    /// The address without its resourcepart (RFC 6120 §1.4 "bare JID").
    public var bare: JID {
        JID(canonicalLocalpart: self.localpart, domainpart: self.domainpart, resourcepart: nil)
    }

    /// Whether the address has no resourcepart (RFC 6120 §1.4).
    public var isBare: Bool { self.resourcepart == nil }

    /// The canonical string form, `[localpart@]domainpart[/resourcepart]` (RFC 7622 §3.1).
    public var description: String {
        var result = ""
        if let localpart = self.localpart {
            result += localpart
            result += "@"
        }
        result += self.domainpart
        if let resourcepart = self.resourcepart {
            result += "/"
            result += resourcepart
        }
        return result
    }

    /// The same bare address with the given resourcepart, e.g. after resource binding (RFC 6120 §7.6).
    public func withResource(_ resourcepart: String) throws(JIDError) -> JID {
        JID(
            canonicalLocalpart: self.localpart, domainpart: self.domainpart,
            resourcepart: try Self.normalizeResourcepart(resourcepart))
    }
}
