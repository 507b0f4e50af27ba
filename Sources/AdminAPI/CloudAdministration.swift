import Foundation

/// A registered cloud as the HTTP API and `intercloud registry … --json` show it (CONTRACT §3, §4). Credentials
/// are never included.
public struct CloudRecord: Codable, Sendable, Equatable {
    /// The cloud name (CONTRACT §3).
    public var name: String
    /// Its XMPP address, `NAME@DOMAIN`.
    public var jid: String
    /// Endpoint URLs.
    public var endpoints: [String]
    /// Trust level 0–5.
    public var trustLevel: Int
    /// `active` or `suspended`.
    public var status: String
    /// Contact, free text.
    public var contact: String?
    /// When the cloud was registered.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// SASL mechanisms it has credentials for.
    public var mechanisms: [String]

    /// Creates a record.
    public init(
        name: String, jid: String, endpoints: [String], trustLevel: Int, status: String, contact: String?,
        createdAt: Date, updatedAt: Date, mechanisms: [String]
    ) {
        self.name = name
        self.jid = jid
        self.endpoints = endpoints
        self.trustLevel = trustLevel
        self.status = status
        self.contact = contact
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.mechanisms = mechanisms
    }
}

/// The body of `POST /v1/clouds`.
public struct NewCloud: Codable, Sendable, Equatable {
    /// The cloud name (CONTRACT §3).
    public var name: String
    /// Optional password: SCRAM credentials are derived from it and it is not stored.
    public var password: String?
    /// Endpoint URLs.
    public var endpoints: [String]?
    /// Trust level 0–5 (default 0).
    public var trustLevel: Int?
    /// Contact, free text.
    public var contact: String?

    /// Creates a request.
    public init(
        name: String, password: String? = nil, endpoints: [String]? = nil, trustLevel: Int? = nil,
        contact: String? = nil
    ) {
        self.name = name
        self.password = password
        self.endpoints = endpoints
        self.trustLevel = trustLevel
        self.contact = contact
    }
}

/// The body of `PATCH /v1/clouds/{name}`: only the fields present change.
public struct CloudUpdate: Codable, Sendable, Equatable {
    /// New password (new SCRAM credentials are derived; the password is not stored).
    public var password: String?
    /// New endpoint URLs.
    public var endpoints: [String]?
    /// New trust level 0–5.
    public var trustLevel: Int?
    /// New contact.
    public var contact: String?

    /// Creates an update.
    public init(password: String? = nil, endpoints: [String]? = nil, trustLevel: Int? = nil, contact: String? = nil) {
        self.password = password
        self.endpoints = endpoints
        self.trustLevel = trustLevel
        self.contact = contact
    }
}

/// Filters of `GET /v1/clouds?status=&minTrustLevel=&prefix=`.
public struct CloudQuery: Sendable, Equatable {
    /// `active` or `suspended`.
    public var status: String?
    /// Lowest trust level.
    public var minimumTrustLevel: Int?
    /// Name prefix.
    public var namePrefix: String?

    /// Creates a query.
    public init(status: String? = nil, minimumTrustLevel: Int? = nil, namePrefix: String? = nil) {
        self.status = status
        self.minimumTrustLevel = minimumTrustLevel
        self.namePrefix = namePrefix
    }
}

/// What the admin API needs to manage the registry, declared here so the API does not import the registry or the
/// XMPP server; the executable implements it (and closes live sessions of suspended or removed clouds).
public protocol CloudAdministration: Sendable {
    /// Every cloud, sorted by name.
    func listClouds(_ query: CloudQuery) async throws(AdminAPIError) -> [CloudRecord]
    /// Changes a cloud's endpoints, trust level, contact or password.
    func updateCloud(named name: String, _ update: CloudUpdate) async throws(AdminAPIError) -> CloudRecord
    /// The cloud a certificate we issued belongs to (serial in hex); `notFound` when unknown.
    func cloud(forCertificateSerial serialHex: String) async throws(AdminAPIError) -> CloudRecord
    /// One cloud; `notFound` when absent.
    func cloud(named name: String) async throws(AdminAPIError) -> CloudRecord
    /// Registers a cloud; `conflict` when the name is taken, `badRequest` for invalid input.
    func createCloud(_ cloud: NewCloud) async throws(AdminAPIError) -> CloudRecord
    /// Removes a cloud and ends its sessions; `notFound` when absent.
    func deleteCloud(named name: String) async throws(AdminAPIError)
    /// Suspends (ending its sessions) or reinstates a cloud.
    func setSuspended(_ suspended: Bool, cloud name: String) async throws(AdminAPIError) -> CloudRecord
}
