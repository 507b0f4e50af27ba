import Foundation
import SwiftASN1
import X509

/// Issuance of cloud certificates from PKCS#10 requests (RFC 2986; profile in ``CertificateProfile``).
extension CertificateAuthority {
    /// Issues a certificate for a registered cloud from a PEM CSR (`POST /v1/clouds/{name}/certificates`).
    ///
    /// The CSR must carry a valid self-signature (proof of possession, RFC 2986 §3) over a P-256, P-384 or RSA
    /// 2048–4096 key. Only that public key is used: subject, SANs and every extension come from `subject` (the
    /// registry) and this CA's profile, never from the CSR's subject or extensionRequest. Every dNSName must lie in
    /// the intermediate's permitted subtree — the domain or a subdomain of it (RFC 5280 §4.2.1.10) — otherwise the
    /// request is refused rather than yielding a certificate no verifier would accept.
    ///
    /// - Parameters:
    ///   - csrPEM: A `CERTIFICATE REQUEST` PEM block (`NEW CERTIFICATE REQUEST` is accepted too).
    ///   - subject: The cloud's name, bare JID `NAME@D` and endpoint hosts from the registry.
    ///   - now: The current time (injected); notBefore is 5 minutes earlier.
    ///   - validity: Lifetime; 90 days by default, capped at the intermediate's notAfter.
    /// - Throws: ``TrustCAError/Code/invalidCSR``, ``TrustCAError/Code/badCSRSignature``,
    ///   ``TrustCAError/Code/unsupportedKey``, ``TrustCAError/Code/invalidSubject``.
    public func issue(
        csrPEM: String,
        subject: IssuedSubject,
        now: Date,
        validity: TimeInterval = 90 * 86_400
    ) throws(TrustCAError) -> IssuedCertificate {
        try self.issue(csr: try Self.parseCSR(pem: csrPEM), subject: subject, now: now, validity: validity)
    }

    /// Issues a certificate from a DER CSR; see ``issue(csrPEM:subject:now:validity:)``.
    public func issue(
        csrDER: [UInt8],
        subject: IssuedSubject,
        now: Date,
        validity: TimeInterval = 90 * 86_400
    ) throws(TrustCAError) -> IssuedCertificate {
        let csr: CertificateSigningRequest
        do {
            csr = try CertificateSigningRequest(derEncoded: csrDER)
        } catch {
            throw .invalidCSR(reason: "not a DER PKCS#10 certification request: \(error)")
        }
        return try self.issue(csr: csr, subject: subject, now: now, validity: validity)
    }

    func issue(
        csr: CertificateSigningRequest,
        subject: IssuedSubject,
        now: Date,
        validity: TimeInterval
    ) throws(TrustCAError) -> IssuedCertificate {
        guard csr.version == .v1 else {
            throw .invalidCSR(reason: "unsupported CSR version \(csr.version) (RFC 2986 §4.1 requires v1)")
        }
        let keyKind = try SubjectKeyKind(csr.publicKey)
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else {
            throw .badCSRSignature(reason: "the CSR signature does not verify with its public key")
        }
        guard validity > 0 else {
            throw .issuanceFailed(reason: "validity must be positive, not \(validity) s")
        }
        let checked = try self.checked(subject)
        let profile = CertificateProfile(domain: self.domain, serials: self.serials)
        let certificate = try profile.makeCloud(
            publicKey: csr.publicKey,
            keyKind: keyKind,
            subject: checked,
            issuer: self.intermediate,
            issuerKey: self.intermediatePrivateKey,
            baseURL: self.publicBaseURL,
            now: now,
            validity: validity
        )
        let issued = try IssuedCertificate(certificate: certificate, intermediate: self.intermediate)
        try self.revocations.recordIssued(
            IssuedCertificateRecord(
                serialHex: issued.serialHex,
                cloudName: checked.cloudName,
                jid: checked.jid,
                issuedAt: certificate.notValidBefore,
                notAfter: certificate.notValidAfter
            ))
        return issued
    }

    /// Parses a PEM CSR, mapping every failure to ``TrustCAError/Code/invalidCSR``.
    static func parseCSR(pem: String) throws(TrustCAError) -> CertificateSigningRequest {
        let normalised = pem.replacingOccurrences(of: "NEW CERTIFICATE REQUEST", with: "CERTIFICATE REQUEST")
        do {
            return try CertificateSigningRequest(pemEncoded: normalised)
        } catch {
            throw .invalidCSR(reason: "not a PEM PKCS#10 certification request: \(error)")
        }
    }

    /// Validates and normalises the registry subject: cloud name syntax (CONTRACT §3), a bare JID in this domain
    /// (RFC 6120 §13.7.1.4, RFC 7622 §3), and DNS names inside the permitted subtree (RFC 5280 §4.2.1.10).
    func checked(_ subject: IssuedSubject) throws(TrustCAError) -> IssuedSubject {
        let name = subject.cloudName
        guard (1...63).contains(name.utf8.count), !name.hasPrefix("-"), !name.hasSuffix("-"),
            name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else {
            throw .invalidSubject(reason: "cloud name \"\(name)\" is not 1–63 of a-z 0-9 -")
        }
        let parts = subject.jid.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 1023, !subject.jid.contains("/"),
            parts[0].unicodeScalars.allSatisfy({ $0.value > 0x20 && !"\"&'/:<>@".unicodeScalars.contains($0) })
        else {
            throw .invalidSubject(reason: "\"\(subject.jid)\" is not a bare JID localpart@domainpart")
        }
        guard parts[1].lowercased() == self.domain.lowercased() else {
            throw .invalidSubject(reason: "JID \(subject.jid) is not in this CA's domain \(self.domain)")
        }
        var hosts: [String] = []
        for host in subject.dnsNames.map({ $0.lowercased() }) where !hosts.contains(host) {
            do {
                try Self.validate(domain: host)
            } catch {
                throw .invalidSubject(reason: "endpoint host \"\(host)\" is not a DNS name")
            }
            guard self.permits(host) else {
                throw .invalidSubject(
                    reason: "endpoint host \(host) is outside the issuing CA's permitted DNS subtree \(self.domain) "
                        + "(RFC 5280 §4.2.1.10); register an endpoint under \(self.domain) or omit it"
                )
            }
            hosts.append(host)
        }
        return IssuedSubject(cloudName: name, jid: "\(parts[0])@\(self.domain.lowercased())", dnsNames: hosts)
    }

    /// Whether `host` matches the intermediate's dNSName permitted subtree: the domain itself or any name
    /// ending in `.domain` (RFC 5280 §4.2.1.10).
    func permits(_ host: String) -> Bool {
        let domain = self.domain.lowercased()
        return host == domain || host.hasSuffix("." + domain)
    }
}
