import Foundation
import XMPPCore

/// Whether a registered cloud may log in (RFC 6120 §6.5.1 `account-disabled` for suspended clouds).
public enum CloudStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The cloud may authenticate and exchange stanzas.
    case active
    /// The cloud is registered but refused at login with `account-disabled` (RFC 6120 §6.5.1).
    case suspended
}

/// One registered cloud: its name, where it can be reached, how far it is trusted and its SCRAM credentials.
///
/// The semantic model the server, CLI and admin API share (CONTRACT §3, §4); storage backends convert it to their
/// own rows or LDAP entries at the edge. The password is never kept, only the SCRAM keys derived from it
/// (RFC 5802 §3). Trust level and endpoints are validated on creation, so an entry in hand is always well formed.
public struct CloudEntry: Sendable, Hashable, Codable {
    /// The range of ``trustLevel``: 0 (unknown) to 5 (fully trusted).
    public static let trustLevels = 0...5

    /// The cloud's name and XMPP localpart (CONTRACT §3).
    public var name: CloudName
    /// Absolute URLs where the cloud's services are reached, in preference order (RFC 3986 §4.3).
    public private(set) var endpoints: [String]
    /// How far the root trusts this cloud, within ``trustLevels``.
    public private(set) var trustLevel: Int
    /// Whether the cloud may log in.
    public var status: CloudStatus
    /// A free-form operator contact (e-mail address or URI), if known.
    public var contact: String?
    /// When the cloud was registered.
    public var createdAt: Date
    /// When the entry last changed.
    public var updatedAt: Date
    /// SCRAM credentials, at most one per mechanism; empty for a cloud that cannot log in with a password
    /// (RFC 5802 §3).
    public private(set) var credentials: [SCRAMCredentials]

    /// Creates an entry, validating the trust level and endpoints.
    ///
    /// Throws ``RegistryError/Code/invalidTrustLevel`` or ``RegistryError/Code/invalidEndpoint``. When two
    /// credentials share a mechanism the first wins.
    public init(
        name: CloudName, endpoints: [String] = [], trustLevel: Int = 0, status: CloudStatus = .active,
        contact: String? = nil, createdAt: Date, updatedAt: Date, credentials: [SCRAMCredentials] = []
    ) throws(RegistryError) {
        self.name = name
        self.endpoints = []
        self.trustLevel = 0
        self.status = status
        self.contact = contact
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.credentials = []
        try self.setEndpoints(endpoints)
        try self.setTrustLevel(trustLevel)
        self.setCredentials(credentials)
    }

    /// The credentials for one SCRAM mechanism, if the cloud has them (RFC 5802 §5.1).
    public func credentials(for hash: SCRAMHash) -> SCRAMCredentials? {
        self.credentials.first { $0.hash == hash }
    }

    /// Changes the trust level; throws ``RegistryError/Code/invalidTrustLevel`` outside ``trustLevels``.
    public mutating func setTrustLevel(_ level: Int) throws(RegistryError) {
        guard Self.trustLevels.contains(level) else {
            throw .invalidTrustLevel(reason: "trust level \(level) is outside \(Self.trustLevels)")
        }
        self.trustLevel = level
    }

    /// Replaces the endpoints; each must be an absolute URL with a scheme and a host (RFC 3986 §4.3), else
    /// ``RegistryError/Code/invalidEndpoint``.
    public mutating func setEndpoints(_ endpoints: [String]) throws(RegistryError) {
        for endpoint in endpoints {
            guard let url = URL(string: endpoint), let scheme = url.scheme, !scheme.isEmpty,
                let host = url.host, !host.isEmpty
            else {
                throw .invalidEndpoint(reason: "endpoint '\(endpoint)' is not an absolute URL with a host")
            }
        }
        self.endpoints = endpoints
    }

    /// Replaces the credentials, keeping the first per mechanism, strongest mechanism first (RFC 7677 §4).
    public mutating func setCredentials(_ credentials: [SCRAMCredentials]) {
        var seen: Set<SCRAMHash> = []
        self.credentials = credentials.filter { seen.insert($0.hash).inserted }
            .sorted { Self.preference($0.hash) < Self.preference($1.hash) }
    }

    /// The canonical order of mechanisms in ``credentials``, so every backend round-trips entries identically.
    private static func preference(_ hash: SCRAMHash) -> Int {
        switch hash {
        case .sha256: 0
        case .sha1: 1
        }
    }

    private enum CodingKeys: String, CodingKey {
        case name, endpoints, trustLevel, status, contact, createdAt, updatedAt, credentials
    }

    /// Decodes an entry, applying the same validation as ``init(name:endpoints:trustLevel:status:contact:createdAt:updatedAt:credentials:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                name: container.decode(CloudName.self, forKey: .name),
                endpoints: container.decode([String].self, forKey: .endpoints),
                trustLevel: container.decode(Int.self, forKey: .trustLevel),
                status: container.decode(CloudStatus.self, forKey: .status),
                contact: container.decodeIfPresent(String.self, forKey: .contact),
                createdAt: container.decode(Date.self, forKey: .createdAt),
                updatedAt: container.decode(Date.self, forKey: .updatedAt),
                credentials: container.decodeIfPresent([SCRAMCredentials].self, forKey: .credentials) ?? [])
        } catch let error as RegistryError {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.reason))
        }
    }
}
