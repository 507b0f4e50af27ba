import Foundation
import SwiftASN1
import X509

/// The certificate profiles this CA issues: root, issuing intermediate and server (RFC 5280 §4.1, §4.2).
///
/// Kept apart from file handling so each profile can be read against the RFC in one place.
struct CertificateProfile: Sendable {
    /// The organisation in every subject this CA writes (RFC 5280 §4.1.2.6).
    static let organisation = "Intercloud Root"
    /// Backdating of `notBefore` to tolerate peers whose clocks run slightly behind (RFC 5280 §4.1.2.5).
    static let backdate: TimeInterval = 5 * 60
    /// Root lifetime: 20 years.
    static let rootValidity: TimeInterval = 20 * 365 * 86_400
    /// Issuing CA lifetime: 10 years.
    static let intermediateValidity: TimeInterval = 10 * 365 * 86_400
    /// Certificates expiring within this margin are renewed on start.
    static let renewalMargin: TimeInterval = 30 * 86_400

    /// The served domain, a DNS name.
    let domain: String
    /// Serial number source (RFC 5280 §4.1.2.2).
    let serials: SerialNumberGenerator

    /// `O=Intercloud Root, CN=Intercloud Root CA (<domain>)`.
    func rootSubject() throws(TrustCAError) -> DistinguishedName {
        try Self.name(commonName: "Intercloud Root CA (\(self.domain))")
    }

    /// `O=Intercloud Root, CN=Intercloud Issuing CA (<domain>)`.
    func intermediateSubject() throws(TrustCAError) -> DistinguishedName {
        try Self.name(commonName: "Intercloud Issuing CA (\(self.domain))")
    }

    /// The self-signed root: BasicConstraints CA (critical), KeyUsage keyCertSign + cRLSign (critical), SKI
    /// (RFC 5280 §4.2.1.9, §4.2.1.3, §4.2.1.2).
    func makeRoot(key: Certificate.PrivateKey, now: Date) throws(TrustCAError) -> Certificate {
        let subject = try self.rootSubject()
        return try Self.sign {
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            }
            return try Certificate(
                version: .v3,
                serialNumber: self.serials.next(),
                publicKey: key.publicKey,
                notValidBefore: now.addingTimeInterval(-Self.backdate),
                notValidAfter: now.addingTimeInterval(Self.rootValidity),
                issuer: subject,
                subject: subject,
                extensions: extensions,
                issuerPrivateKey: key
            )
        }
    }

    /// The issuing intermediate: BasicConstraints CA pathLen 0 (critical), KeyUsage keyCertSign + cRLSign
    /// (critical), AKI/SKI, and critical name constraints permitting only the domain's DNS subtree
    /// (RFC 5280 §4.2.1.9, §4.2.1.1, §4.2.1.10).
    func makeIntermediate(
        key: Certificate.PrivateKey,
        root: Certificate,
        rootKey: Certificate.PrivateKey,
        now: Date
    ) throws(TrustCAError) -> Certificate {
        let subject = try self.intermediateSubject()
        return try Self.sign {
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                try Self.authorityKeyIdentifier(of: root)
                SubjectKeyIdentifier(hash: key.publicKey)
                Critical(NameConstraints(permittedDNSDomains: [self.domain]))
            }
            return try Certificate(
                version: .v3,
                serialNumber: self.serials.next(),
                publicKey: key.publicKey,
                notValidBefore: now.addingTimeInterval(-Self.backdate),
                notValidAfter: min(now.addingTimeInterval(Self.intermediateValidity), root.notValidAfter),
                issuer: root.subject,
                subject: subject,
                extensions: extensions,
                issuerPrivateKey: rootKey
            )
        }
    }

    /// The server's TLS certificate: SAN dNSName D and `directory.D`, EKU serverAuth + clientAuth (clientAuth for
    /// s2s, RFC 6120 §13.7.1.2), KeyUsage digitalSignature (critical), BasicConstraints CA:false (critical), AKI/SKI.
    func makeServer(
        key: Certificate.PrivateKey,
        issuer: Certificate,
        issuerKey: Certificate.PrivateKey,
        now: Date,
        validity: TimeInterval
    ) throws(TrustCAError) -> Certificate {
        let subject = try Self.name(commonName: self.domain)
        return try Self.sign {
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                try Self.authorityKeyIdentifier(of: issuer)
                SubjectKeyIdentifier(hash: key.publicKey)
                SubjectAlternativeNames([.dnsName(self.domain), .dnsName("directory.\(self.domain)")])
            }
            return try Certificate(
                version: .v3,
                serialNumber: self.serials.next(),
                publicKey: key.publicKey,
                notValidBefore: now.addingTimeInterval(-Self.backdate),
                notValidAfter: min(now.addingTimeInterval(validity), issuer.notValidAfter),
                issuer: issuer.subject,
                subject: subject,
                extensions: extensions,
                issuerPrivateKey: issuerKey
            )
        }
    }

    /// AKI carrying the issuer's SKI (RFC 5280 §4.2.1.1: keyIdentifier MUST be present in non-root certificates).
    static func authorityKeyIdentifier(of issuer: Certificate) throws -> AuthorityKeyIdentifier {
        let keyIdentifier =
            try issuer.extensions.subjectKeyIdentifier?.keyIdentifier
            ?? SubjectKeyIdentifier(hash: issuer.publicKey).keyIdentifier
        return AuthorityKeyIdentifier(keyIdentifier: keyIdentifier)
    }

    static func name(commonName: String) throws(TrustCAError) -> DistinguishedName {
        do {
            return try DistinguishedName {
                OrganizationName(Self.organisation)
                CommonName(commonName)
            }
        } catch {
            throw .issuanceFailed(reason: "cannot build subject name \(commonName): \(error)")
        }
    }

    static func sign(_ body: () throws -> Certificate) throws(TrustCAError) -> Certificate {
        do {
            return try body()
        } catch {
            throw .issuanceFailed(reason: "cannot build or sign certificate: \(error)")
        }
    }
}
