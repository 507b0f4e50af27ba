import Foundation
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// The outcome of validating a peer server's certificate for a domain (RFC 6120 §13.7.2).
public enum PeerCertificateValidation: Sendable, Hashable {
    /// The chain leads to a federation trust anchor and the leaf names the domain.
    case valid
    /// The chain does not authenticate the domain; the reason is for logs, not for the peer.
    case invalid(reason: String)
}

/// The trust anchors for other servers ("the federation CA") and the validation of the certificates they present
/// on server-to-server streams (RFC 6120 §13.7.1.2, §13.7.2.1; RFC 6125 §6; XEP-0178 §4).
///
/// The anchors are this root's own CA plus whatever the operator configures (`--s2s-trust-anchors`). Validation is
/// RFC 5280 §6 path validation at `now` and a reference identity check on the leaf. Revocation of foreign
/// certificates is not checked (their CRLs are not fetched).
public struct FederationTrust: Sendable {
    /// The trusted certificates; any of them may end a path.
    public let anchors: [Certificate]

    /// Creates a trust store from anchors.
    public init(anchors: [Certificate]) {
        self.anchors = anchors
    }

    /// Reads every PEM certificate in a file (the `--s2s-trust-anchors` bundle).
    public static func loadAnchors(pemFile path: String) throws(TrustCAError) -> [Certificate] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw .ioFailure(reason: "cannot read trust anchors \(path)")
        }
        let certificates = try CertificateAuthority.parseChain(text, path: path)
        guard !certificates.isEmpty else {
            throw .invalidCertificate(reason: "\(path) holds no PEM certificate")
        }
        return certificates
    }

    /// Validates `derChain` (leaf first, as presented in the TLS handshake) for the server `domain`.
    public func validate(derChain: [[UInt8]], domain: String, now: Date) async -> PeerCertificateValidation {
        var chain: [Certificate] = []
        for der in derChain {
            guard let certificate = try? Certificate(derEncoded: der) else {
                return .invalid(reason: "the peer presented a certificate that is not valid DER")
            }
            chain.append(certificate)
        }
        guard let leaf = chain.first else { return .invalid(reason: "no certificate presented") }
        var verifier = Verifier(rootCertificates: CertificateStore(self.anchors)) {
            RFC5280Policy(fixedExpiryValidationTime: now)
            XMPPServerIdentityPolicy(domain: domain.lowercased())
        }
        switch await verifier.validate(leaf: leaf, intermediates: CertificateStore(Array(chain.dropFirst()))) {
        case .validCertificate:
            return .valid
        case .couldNotValidate(let failures):
            let reasons = failures.map { $0.policyFailureReason.description }
            return .invalid(
                reason: reasons.isEmpty
                    ? "no certification path to a federation trust anchor" : reasons.joined(separator: "; "))
        }
    }
}

/// Requires the leaf to name an XMPP server domain (RFC 6120 §13.7.1.2, RFC 6125 §6.4): a dNSName equal to it or
/// a wildcard for its leftmost label, an SRV-ID `_xmpp-server.D` (RFC 4985), or an xmppAddr equal to it.
/// Common names are not consulted.
struct XMPPServerIdentityPolicy: VerifierPolicy {
    /// id-on-dnsSRV (RFC 4985 §2).
    static let srvNameOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 8, 7]

    /// This policy reads subjectAltName, so a critical SAN is understood.
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.subjectAlternativeName]
    /// The reference identifier, lower-case.
    let domain: String

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        guard let names = try? chain.leaf.extensions.subjectAlternativeNames else {
            return .failsToMeetPolicy(reason: "the certificate has no readable subjectAltName")
        }
        for name in names {
            switch name {
            case .dnsName(let dns) where Self.matches(dns.lowercased(), self.domain):
                return .meetsPolicy
            case .otherName(let other) where other.typeID == CertificateProfile.xmppAddrOID:
                if let value = other.value, let text = try? ASN1UTF8String(asn1Any: value),
                    String(text).lowercased() == self.domain
                {
                    return .meetsPolicy
                }
            case .otherName(let other) where other.typeID == Self.srvNameOID:
                if let value = other.value, let text = try? ASN1IA5String(asn1Any: value),
                    String(text).lowercased() == "_xmpp-server." + self.domain
                {
                    return .meetsPolicy
                }
            default:
                continue
            }
        }
        return .failsToMeetPolicy(reason: "the certificate does not name \(self.domain)")
    }

    /// RFC 6125 §6.4.1, §6.4.3: exact match, or `*.` standing for exactly the leftmost label.
    static func matches(_ presented: String, _ reference: String) -> Bool {
        if presented == reference { return true }
        guard presented.hasPrefix("*."), let dot = reference.firstIndex(of: ".") else { return false }
        return String(presented.dropFirst(1)) == String(reference[dot...])
    }
}
