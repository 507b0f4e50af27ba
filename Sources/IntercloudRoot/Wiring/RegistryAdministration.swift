import AdminAPI
import Capabilities
import Foundation
import Registry
import XMPPCore
import XMPPServer

/// The admin API's registry operations over the configured store; suspending or removing a cloud ends its live
/// XMPP sessions with a stream error, and removal deletes its rosters, offline messages and PEP items. Every change
/// reaches the capability directory at once (the registry sweeper catches changes made by other processes).
struct RegistryAdministration: CloudAdministration {
    let store: any RegistryStore
    let domain: String
    let sessions: SessionManager
    let xmppStore: any XMPPStore
    var directory: CapabilityDirectory? = nil

    func listClouds(_ query: CloudQuery) async throws(AdminAPIError) -> [CloudRecord] {
        var filter = CloudFilter(minimumTrustLevel: query.minimumTrustLevel, namePrefix: query.namePrefix)
        if let status = query.status {
            guard let parsed = CloudStatus(rawValue: status) else {
                throw AdminAPIError(.badRequest, reason: "status must be active or suspended")
            }
            filter.status = parsed
        }
        return try await self.map { try await self.store.list(matching: filter) }
            .map { CloudRecord(entry: $0, domain: self.domain) }
    }

    func updateCloud(named name: String, _ update: CloudUpdate) async throws(AdminAPIError) -> CloudRecord {
        let cloudName = try Self.name(name)
        guard var entry = try await self.map({ try await self.store.entry(named: cloudName) }) else {
            throw AdminAPIError(.notFound, reason: "no cloud named \(name)")
        }
        do {
            try entry.apply(update)
        } catch {
            throw AdminAPIError(.badRequest, reason: error.description)
        }
        try await self.map { try await self.store.update(entry) }
        self.directory?.registryChanged(entry)
        return CloudRecord(entry: entry, domain: self.domain)
    }

    func cloud(forCertificateSerial serialHex: String) async throws(AdminAPIError) -> CloudRecord {
        guard let entry = try await self.map({ try await self.store.entry(forCertificateSerial: serialHex) }) else {
            throw AdminAPIError(.notFound, reason: "no cloud holds a certificate with serial \(serialHex)")
        }
        return CloudRecord(entry: entry, domain: self.domain)
    }

    func cloud(named name: String) async throws(AdminAPIError) -> CloudRecord {
        let cloudName = try Self.name(name)
        guard let entry = try await self.map({ try await self.store.entry(named: cloudName) }) else {
            throw AdminAPIError(.notFound, reason: "no cloud named \(name)")
        }
        return CloudRecord(entry: entry, domain: self.domain)
    }

    func createCloud(_ cloud: NewCloud) async throws(AdminAPIError) -> CloudRecord {
        let name = try Self.name(cloud.name)
        let entry: CloudEntry
        do {
            entry = try CloudEntry.make(
                name: name, password: cloud.password, endpoints: cloud.endpoints ?? [],
                trustLevel: cloud.trustLevel ?? 0, contact: cloud.contact)
        } catch {
            throw AdminAPIError(.badRequest, reason: error.description)
        }
        try await self.map { try await self.store.add(entry) }
        self.directory?.registryChanged(entry)
        return CloudRecord(entry: entry, domain: self.domain)
    }

    func deleteCloud(named name: String) async throws(AdminAPIError) {
        let cloudName = try Self.name(name)
        try await self.map { try await self.store.remove(named: cloudName) }
        self.endSessions(of: cloudName, reason: "the cloud was removed from the registry")
        try? await self.xmppStore.deleteAccount(owner: self.jid(cloudName).description)
        if let account = try? self.jid(cloudName) { self.directory?.registryRemoved(account) }
    }

    func setSuspended(_ suspended: Bool, cloud name: String) async throws(AdminAPIError) -> CloudRecord {
        let cloudName = try Self.name(name)
        guard var entry = try await self.map({ try await self.store.entry(named: cloudName) }) else {
            throw AdminAPIError(.notFound, reason: "no cloud named \(name)")
        }
        entry.status = suspended ? .suspended : .active
        entry.updatedAt = Date()
        try await self.map { try await self.store.update(entry) }
        self.directory?.registryChanged(entry)
        if suspended { self.endSessions(of: cloudName, reason: "the cloud is suspended") }
        return CloudRecord(entry: entry, domain: self.domain)
    }

    /// Ends every session of a cloud with `not-authorized` (RFC 6120 §4.9.3.12).
    private func endSessions(of name: CloudName, reason: String) {
        guard let jid = try? self.jid(name) else { return }
        self.sessions.close(account: jid, with: StreamError(.notAuthorized, text: reason))
    }

    private func jid(_ name: CloudName) throws -> JID {
        try JID(localpart: name.rawValue, domainpart: self.domain, resourcepart: nil)
    }

    private static func name(_ raw: String) throws(AdminAPIError) -> CloudName {
        do {
            return try CloudName(raw)
        } catch {
            throw AdminAPIError(.badRequest, reason: "invalid cloud name '\(raw)': \(error.reason)")
        }
    }

    /// Maps registry errors onto HTTP statuses.
    private func map<T>(_ body: () async throws -> T) async throws(AdminAPIError) -> T {
        do {
            return try await body()
        } catch let error as RegistryError {
            switch error.code {
            case .alreadyExists: throw AdminAPIError(.conflict, reason: error.reason)
            case .notFound: throw AdminAPIError(.notFound, reason: error.reason)
            case .storageFailure: throw AdminAPIError(.serviceUnavailable, reason: error.reason)
            default: throw AdminAPIError(.badRequest, reason: error.reason)
            }
        } catch {
            throw AdminAPIError(.internalError, reason: "\(error)")
        }
    }
}

extension CloudRecord {
    /// The API view of a registry entry.
    init(entry: CloudEntry, domain: String) {
        self.init(
            name: entry.name.rawValue, jid: "\(entry.name)@\(domain)", endpoints: entry.endpoints,
            trustLevel: entry.trustLevel, status: entry.status.rawValue, contact: entry.contact,
            createdAt: entry.createdAt, updatedAt: entry.updatedAt,
            mechanisms: entry.credentials.map(\.hash.rawValue).sorted())
    }

    /// The `registry show` text form.
    var text: String {
        """
        name: \(self.name)
        jid: \(self.jid)
        status: \(self.status)
        trust-level: \(self.trustLevel)
        endpoints: \(self.endpoints.joined(separator: " "))
        mechanisms: \(self.mechanisms.joined(separator: " "))
        created: \(ISO8601DateFormatter().string(from: self.createdAt))
        """
    }
}

extension CloudEntry {
    /// Applies the fields present in `update` (new SCRAM credentials for a new password) and bumps `updatedAt`.
    mutating func apply(_ update: CloudUpdate, now: Date = Date()) throws(CLIError) {
        do {
            if let endpoints = update.endpoints { try self.setEndpoints(endpoints) }
            if let level = update.trustLevel { try self.setTrustLevel(level) }
        } catch {
            throw .usage(error.reason)
        }
        if let contact = update.contact { self.contact = contact.isEmpty ? nil : contact }
        if let password = update.password {
            self.setCredentials(
                try CloudEntry.make(name: self.name, password: password, endpoints: [], trustLevel: 0).credentials)
        }
        self.updatedAt = now
    }
}
