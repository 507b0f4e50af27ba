import Foundation
@_spi(FixedExpiryValidationTime) import X509

/// The outcome of validating a client certificate for SASL EXTERNAL (XEP-0178).
public enum ClientCertificateValidation: Sendable, Hashable {
    /// The chain is trusted and the leaf names this bare JID in its xmppAddr (RFC 6120 §13.7.1.4).
    case valid(jid: String)
    /// The chain must not authenticate anyone; the reason is for logs, not for the peer.
    case invalid(reason: String)
}

extension CertificateAuthority {
    /// Validates a TLS client certificate chain for SASL EXTERNAL (XEP-0178 §3, RFC 6120 §13.7.1.4).
    ///
    /// Builds a path to ``root`` with swift-certificates' `Verifier` (the presented intermediates plus our own)
    /// and requires, failing closed: RFC 5280 §6 path validation at `now` (signatures, validity, basic and name
    /// constraints), extendedKeyUsage clientAuth (``ClientAuthenticationPolicy``), a serial not on our revocation
    /// list (``NotRevokedPolicy``), and exactly one UTF8String xmppAddr equal to `expectedJID` when that is given
    /// (``XMPPAddressPolicy``).
    ///
    /// - Parameters:
    ///   - chain: Leaf first, as presented in the TLS handshake.
    ///   - expectedJID: The SASL authorization identity, if the client sent one.
    ///   - now: The validation time (injected).
    /// - Returns: `.valid(jid:)` with the certificate's xmppAddr, or `.invalid(reason:)`.
    public func validateClientCertificate(
        chain: [Certificate],
        expectedJID: String?,
        now: Date
    ) async -> ClientCertificateValidation {
        guard let leaf = chain.first else {
            return .invalid(reason: "no client certificate presented")
        }
        let revoked: [RevokedCertificateRecord]
        do {
            revoked = try self.revocations.revoked()
        } catch {
            return .invalid(reason: "revocation status unavailable: \(error)")
        }
        var verifier = Verifier(rootCertificates: CertificateStore([self.root])) {
            RFC5280Policy(fixedExpiryValidationTime: now)
            ClientAuthenticationPolicy()
            NotRevokedPolicy(revokedSerials: Set(revoked.map(\.serialHex)), issuer: self.intermediate.subject)
            XMPPAddressPolicy(expectedJID: expectedJID)
        }
        let intermediates = CertificateStore(Array(chain.dropFirst()) + [self.intermediate])
        let result = await verifier.validate(leaf: leaf, intermediates: intermediates)
        switch result {
        case .validCertificate:
            guard let jid = try? XMPPAddressPolicy.xmppAddresses(of: leaf).first else {
                return .invalid(reason: "client certificate has no xmppAddr")
            }
            return .valid(jid: jid)
        case .couldNotValidate(let failures):
            let reasons = failures.map { $0.policyFailureReason.description }
            return .invalid(
                reason: reasons.isEmpty
                    ? "no certification path to the Intercloud Root CA" : reasons.joined(separator: "; "))
        }
    }

    /// ``validateClientCertificate(chain:expectedJID:now:)`` for a chain of DER certificates, as recorded by the
    /// TLS layer; an unparseable certificate is invalid.
    public func validateClientCertificate(
        derChain: [[UInt8]],
        expectedJID: String?,
        now: Date
    ) async -> ClientCertificateValidation {
        var chain: [Certificate] = []
        for der in derChain {
            guard let certificate = try? Certificate(derEncoded: der) else {
                return .invalid(reason: "client presented a certificate that is not valid DER")
            }
            chain.append(certificate)
        }
        return await self.validateClientCertificate(chain: chain, expectedJID: expectedJID, now: now)
    }
}
