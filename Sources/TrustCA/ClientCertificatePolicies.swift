import SwiftASN1
import X509

/// Requires the leaf's extendedKeyUsage to include id-kp-clientAuth (RFC 5280 §4.2.1.12; XEP-0178 §3).
///
/// Fails closed: a leaf without the extension (which RFC 5280 would read as "any purpose") is refused, as is
/// one whose extension cannot be decoded. Our CA always writes the extension.
struct ClientAuthenticationPolicy: VerifierPolicy {
    /// This policy enforces EKU, so a critical EKU extension is understood.
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.extendedKeyUsage]

    /// Checks the leaf only; CA certificates in the chain are not constrained by EKU here.
    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        let usages: ExtendedKeyUsage?
        do {
            usages = try chain.leaf.extensions.extendedKeyUsage
        } catch {
            return .failsToMeetPolicy(reason: "client certificate has a malformed extendedKeyUsage: \(error)")
        }
        guard let usages, usages.contains(.clientAuth) else {
            return .failsToMeetPolicy(reason: "client certificate lacks extendedKeyUsage clientAuth")
        }
        return .meetsPolicy
    }
}

/// Rejects a leaf whose serial is on this CA's revocation list (RFC 5280 §6.3, checked locally rather than
/// through a fetched CRL since the verifier is the CA itself).
struct NotRevokedPolicy: VerifierPolicy {
    /// No extension is interpreted.
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = []
    /// Canonical hex serials of revoked certificates, read from the store just before validation.
    let revokedSerials: Set<String>
    /// The subject of the issuing CA whose serials ``revokedSerials`` names.
    let issuer: DistinguishedName

    /// Fails when the leaf was issued by ``issuer`` and its serial is listed.
    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        let leaf = chain.leaf
        let serial = SerialHex.string(leaf.serialNumber)
        if leaf.issuer == self.issuer && self.revokedSerials.contains(serial) {
            return .failsToMeetPolicy(reason: "client certificate \(serial) has been revoked")
        }
        return .meetsPolicy
    }
}

/// Requires exactly one id-on-xmppAddr otherName, a UTF8String, in the leaf's subjectAltName, equal to the
/// expected JID when one is given (RFC 6120 §13.7.1.4; XEP-0178 §3 authorization identity).
struct XMPPAddressPolicy: VerifierPolicy {
    /// This policy reads subjectAltName, so a critical SAN is understood.
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.subjectAlternativeName]
    /// The JID the client asked to act as (SASL authzid), or `nil` to accept the certificate's own.
    let expectedJID: String?

    /// Checks the leaf's xmppAddr.
    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        let addresses: [String]
        do {
            addresses = try Self.xmppAddresses(of: chain.leaf)
        } catch {
            return .failsToMeetPolicy(reason: "client certificate has a malformed xmppAddr: \(error)")
        }
        guard addresses.count == 1, let address = addresses.first else {
            return .failsToMeetPolicy(
                reason: "client certificate must hold exactly one xmppAddr, found \(addresses.count)")
        }
        if let expected = self.expectedJID, expected.lowercased() != address.lowercased() {
            return .failsToMeetPolicy(reason: "client certificate is for \(address), not \(expected)")
        }
        return .meetsPolicy
    }

    /// The xmppAddr values of `certificate`; throws if one is not a UTF8String (RFC 6120 §13.7.1.4).
    static func xmppAddresses(of certificate: Certificate) throws -> [String] {
        guard let names = try certificate.extensions.subjectAlternativeNames else { return [] }
        var result: [String] = []
        for name in names {
            guard case .otherName(let other) = name, other.typeID == CertificateProfile.xmppAddrOID else {
                continue
            }
            guard let value = other.value else {
                throw TrustCAError.invalidCertificate(reason: "xmppAddr without a value")
            }
            result.append(String(try ASN1UTF8String(asn1Any: value)))
        }
        return result
    }
}
