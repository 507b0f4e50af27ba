/// Why a certificate was revoked: the CRLReason of RFC 5280 §5.3.1.
///
/// The raw value is the ENUMERATED value written in the reasonCode CRL entry extension (2.5.29.21); ``name`` is
/// the RFC's identifier, used by the admin API and the JSON store. Value 7 is unassigned.
public enum RevocationReason: Int, Sendable, CaseIterable, Codable {
    /// No reason given; the reasonCode extension is then omitted (RFC 5280 §5.3.1 SHOULD).
    case unspecified = 0
    /// The subject's private key is known or suspected to be compromised.
    case keyCompromise = 1
    /// The CA's key is compromised.
    case cACompromise = 2
    /// The subject's name or other information changed.
    case affiliationChanged = 3
    /// The certificate was replaced.
    case superseded = 4
    /// The certificate is no longer needed (e.g. the cloud left the federation).
    case cessationOfOperation = 5
    /// Temporarily suspended.
    case certificateHold = 6
    /// Only meaningful in delta CRLs; refused by this CA, which issues full CRLs only.
    case removeFromCRL = 8
    /// A privilege granted by the certificate was withdrawn.
    case privilegeWithdrawn = 9
    /// An attribute authority was compromised.
    case aACompromise = 10

    /// The RFC 5280 §5.3.1 identifier, e.g. `keyCompromise`.
    public var name: String {
        switch self {
        case .unspecified: return "unspecified"
        case .keyCompromise: return "keyCompromise"
        case .cACompromise: return "cACompromise"
        case .affiliationChanged: return "affiliationChanged"
        case .superseded: return "superseded"
        case .cessationOfOperation: return "cessationOfOperation"
        case .certificateHold: return "certificateHold"
        case .removeFromCRL: return "removeFromCRL"
        case .privilegeWithdrawn: return "privilegeWithdrawn"
        case .aACompromise: return "aACompromise"
        }
    }

    /// Parses an RFC 5280 identifier; case-insensitive, so `key_compromise`-style input is not accepted but
    /// `KEYCOMPROMISE` is.
    public init?(name: String) {
        let wanted = name.lowercased()
        guard let match = Self.allCases.first(where: { $0.name.lowercased() == wanted }) else { return nil }
        self = match
    }

    /// Encoded as its ``name``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let reason = RevocationReason(name: name) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown revocation reason \(name)")
        }
        self = reason
    }

    /// Encoded as its ``name``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.name)
    }
}
