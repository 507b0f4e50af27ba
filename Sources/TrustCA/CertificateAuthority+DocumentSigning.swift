import Crypto
import Foundation
import X509

/// A detached signature made with the issuing CA's key, over bytes the root vouches for (negotiated agreements,
/// docs/negotiation.md).
public struct DocumentSignature: Sendable, Hashable {
    /// The signature algorithm's name as in RFC 5758 §3.2 / RFC 4055: `ecdsa-with-SHA256`, `ecdsa-with-SHA384` or
    /// `sha256WithRSAEncryption`.
    public var algorithm: String
    /// The signing certificate's subjectKeyIdentifier in lower-case hex (RFC 5280 §4.2.1.2), so verifiers know
    /// which certificate of `/v1/ca/certificates` to use.
    public var keyID: String
    /// The signature: DER `ECDSA-Sig-Value` (RFC 5480 §2.2… RFC 3279 §2.2.3) or the RSA PKCS#1 v1.5 signature.
    public var value: [UInt8]
}

extension CertificateAuthority {
    /// Signs `bytes` with the issuing intermediate's key.
    public func signDocument(_ bytes: [UInt8]) throws(TrustCAError) -> DocumentSignature {
        let key = self.intermediatePrivateKey
        guard let algorithm = SigningAlgorithm(key: key) else {
            throw .invalidKey(reason: "documents can be signed only with P-256, P-384 or RSA keys")
        }
        do {
            let signature = try key.sign(bytes: bytes, signatureAlgorithm: algorithm.signatureAlgorithm)
            let keyID =
                (try? self.intermediate.extensions.subjectKeyIdentifier?.keyIdentifier).flatMap { $0 }
                .map { $0.map { String(format: "%02x", $0) }.joined() } ?? ""
            return DocumentSignature(
                algorithm: algorithm.documentName, keyID: keyID, value: signature.rawRepresentation)
        } catch {
            throw .issuanceFailed(reason: "cannot sign: \(error)")
        }
    }

    /// Whether `signature` over `bytes` verifies with the intermediate's public key.
    public func verifyDocument(_ bytes: [UInt8], signature: DocumentSignature) -> Bool {
        let key = self.intermediatePrivateKey
        guard let algorithm = SigningAlgorithm(key: key) else { return false }
        return self.intermediate.publicKey.isValidSignature(
            signature.value, for: bytes, signatureAlgorithm: algorithm.signatureAlgorithm)
    }
}

extension SigningAlgorithm {
    /// The algorithm's conventional name.
    var documentName: String {
        switch self {
        case .ecdsaWithSHA256: "ecdsa-with-SHA256"
        case .ecdsaWithSHA384: "ecdsa-with-SHA384"
        case .sha256WithRSAEncryption: "sha256WithRSAEncryption"
        }
    }
}
