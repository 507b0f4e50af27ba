import AdminAPI
import Foundation
import Registry
import TrustCA
import XMPPCore
import XMPPServer

/// The certificate authority as the admin API and the XMPP server use it: issuance for registered clouds (subject
/// and SANs from the registry, never from the CSR), revocation, CRLs, and SASL EXTERNAL validation (XEP-0178).
struct CertificateService: CertificateAdministration, CertificateAuthenticator {
    let ca: CertificateAuthority
    let registry: any RegistryStore
    let domain: String
    let validity: TimeInterval

    /// The registry facts that go into a certificate: the cloud's bare JID and the endpoint hosts inside the
    /// domain (the intermediate's name constraints permit only the domain, RFC 5280 §4.2.1.10).
    static func subject(for entry: CloudEntry, domain: String) -> IssuedSubject {
        let hosts = entry.endpoints.compactMap { URL(string: $0)?.host?.lowercased() }
            .filter { $0 == domain || $0.hasSuffix("." + domain) }
        return IssuedSubject(
            cloudName: entry.name.rawValue, jid: "\(entry.name)@\(domain)", dnsNames: Array(Set(hosts)).sorted())
    }

    func issueCertificate(cloud: String, csrPEM: String) async throws(AdminAPIError) -> String {
        let entry = try await self.activeEntry(cloud)
        let issued: IssuedCertificate
        do {
            issued = try self.ca.issue(
                csrPEM: csrPEM, subject: Self.subject(for: entry, domain: self.domain), now: Date(),
                validity: self.validity)
        } catch {
            throw Self.map(error)
        }
        // The registry keeps the cloud's certificates (LDAP: userCertificate;binary, RFC 4523 §2.1).
        do {
            try await self.registry.addCertificate(IssuedCertificateRef(der: issued.derEncoded), to: entry.name)
        } catch {
            throw AdminAPIError(.internalError, reason: "issued \(issued.serialHex) but could not record it: \(error)")
        }
        return issued.chainPEM
    }

    func revokeCertificate(serialHex: String, reason: String?) async throws(AdminAPIError) {
        let parsed = reason.map { RevocationReason(name: $0) } ?? .unspecified
        guard let parsed else {
            throw AdminAPIError(.badRequest, reason: "unknown revocation reason '\(reason ?? "")'")
        }
        do {
            try self.ca.revoke(serialHex: serialHex, reason: parsed, now: Date())
        } catch {
            throw Self.map(error)
        }
        await self.publish()
    }

    func currentCRL() async throws(AdminAPIError) -> [UInt8] {
        do {
            return try self.ca.currentCRL(now: Date())
        } catch {
            throw Self.map(error)
        }
    }

    /// Publishes the CA certificates and the current CRL where the registry can hold them (LDAP `cn=ca`,
    /// `cACertificate;binary` and `certificateRevocationList;binary`, RFC 4523 §2.2, §2.4). Failures are logged by
    /// the caller's absence of data, never fatal: the HTTP endpoints stay authoritative.
    func publish() async {
        guard let publisher = self.registry as? any CAPublishing,
            let crl = try? self.ca.currentCRL(now: Date()),
            let intermediate = try? self.ca.intermediate.derBytes(), let root = try? self.ca.root.derBytes()
        else { return }
        try? await publisher.publishCA(certificates: [intermediate, root], crl: crl)
    }

    /// XEP-0178 §3: the chain must validate to our root, be unrevoked and carry one xmppAddr, which names an
    /// active registered cloud; an authzid, if given, must be that address.
    func authenticate(chain: [[UInt8]], authzid: String?) async -> Result<JID, SASLFailure> {
        guard
            case .valid(let address) = await self.ca.validateClientCertificate(
                derChain: chain, expectedJID: nil, now: Date())
        else { return .failure(.notAuthorized) }
        guard let jid = try? JID(parsing: address), jid.isBare, jid.domainpart == self.domain,
            let local = jid.localpart, let name = try? CloudName(local)
        else { return .failure(.notAuthorized) }
        if let authzid, (try? JID(parsing: authzid)) != jid { return .failure(.invalidAuthzid) }
        guard let entry = try? await self.registry.entry(named: name) else { return .failure(.notAuthorized) }
        return entry.status == .active ? .success(jid) : .failure(.accountDisabled)
    }

    private func activeEntry(_ cloud: String) async throws(AdminAPIError) -> CloudEntry {
        guard let name = try? CloudName(cloud) else {
            throw AdminAPIError(.badRequest, reason: "invalid cloud name '\(cloud)'")
        }
        let entry: CloudEntry?
        do {
            entry = try await self.registry.entry(named: name)
        } catch {
            throw AdminAPIError(.serviceUnavailable, reason: error.reason)
        }
        guard let entry else { throw AdminAPIError(.notFound, reason: "no cloud named \(cloud)") }
        guard entry.status == .active else { throw AdminAPIError(.forbidden, reason: "\(cloud) is suspended") }
        return entry
    }

    /// CA errors as HTTP statuses: bad input is 400, an unknown serial 404, anything else 500.
    static func map(_ error: TrustCAError) -> AdminAPIError {
        switch error.code {
        case .invalidCSR, .badCSRSignature, .unsupportedKey, .invalidSubject, .invalidRevocationReason:
            AdminAPIError(.badRequest, reason: error.reason)
        case .unknownSerial:
            AdminAPIError(.notFound, reason: error.reason)
        default:
            AdminAPIError(.internalError, reason: error.reason)
        }
    }
}
