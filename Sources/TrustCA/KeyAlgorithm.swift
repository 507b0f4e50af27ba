import Crypto
import SwiftASN1
import X509
import _CryptoExtras

/// The key algorithms the certificate authority can create its own keys with (RFC 5480, RFC 8017).
///
/// P-256 is the default: compact signatures and universal TLS support. P-384 and RSA-3072 are offered for
/// deployments whose policies demand them (CNSA, legacy RSA-only peers). Each algorithm signs with the hash that
/// matches its strength: ecdsa-with-SHA256, ecdsa-with-SHA384 (RFC 5758 §3.2) and sha256WithRSAEncryption
/// (RFC 4055 §5).
public enum KeyAlgorithm: String, Sendable, CaseIterable, Codable {
    /// ECDSA on NIST P-256 with SHA-256 (RFC 5480 §2.1.1.1).
    case p256
    /// ECDSA on NIST P-384 with SHA-384 (RFC 5480 §2.1.1.1).
    case p384
    /// RSA with a 3072-bit modulus, PKCS #1 v1.5 signatures with SHA-256 (RFC 8017 §8.2).
    case rsa3072

    /// Generates a fresh private key of this algorithm.
    package func makePrivateKey() throws(TrustCAError) -> Certificate.PrivateKey {
        switch self {
        case .p256:
            return Certificate.PrivateKey(P256.Signing.PrivateKey())
        case .p384:
            return Certificate.PrivateKey(P384.Signing.PrivateKey())
        case .rsa3072:
            do {
                return Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits3072))
            } catch {
                throw .invalidKey(reason: "cannot generate an RSA-3072 key: \(error)")
            }
        }
    }
}

/// The signature scheme a CA key signs with, derived from the key itself (RFC 5280 §4.1.1.2, §5.1.1.2).
///
/// swift-certificates keeps `AlgorithmIdentifier` internal, so the CRL encoder writes the identifier itself from
/// ``objectIdentifier`` and ``hasNullParameters``.
package enum SigningAlgorithm: Sendable, Equatable {
    /// ecdsa-with-SHA256 (1.2.840.10045.4.3.2), parameters absent (RFC 5758 §3.2).
    case ecdsaWithSHA256
    /// ecdsa-with-SHA384 (1.2.840.10045.4.3.3), parameters absent (RFC 5758 §3.2).
    case ecdsaWithSHA384
    /// sha256WithRSAEncryption (1.2.840.113549.1.1.11), parameters NULL (RFC 4055 §5).
    case sha256WithRSAEncryption

    /// The scheme for `key`, or `nil` for keys this CA does not sign with.
    package init?(key: Certificate.PrivateKey) {
        let publicKey = key.publicKey
        if P256.Signing.PublicKey(publicKey) != nil {
            self = .ecdsaWithSHA256
        } else if P384.Signing.PublicKey(publicKey) != nil {
            self = .ecdsaWithSHA384
        } else if _RSA.Signing.PublicKey(publicKey) != nil {
            self = .sha256WithRSAEncryption
        } else {
            return nil
        }
    }

    /// The swift-certificates value used to sign certificates and CRLs.
    package var signatureAlgorithm: Certificate.SignatureAlgorithm {
        switch self {
        case .ecdsaWithSHA256: return .ecdsaWithSHA256
        case .ecdsaWithSHA384: return .ecdsaWithSHA384
        case .sha256WithRSAEncryption: return .sha256WithRSAEncryption
        }
    }

    /// The algorithm's OBJECT IDENTIFIER.
    package var objectIdentifier: ASN1ObjectIdentifier {
        switch self {
        case .ecdsaWithSHA256: return [1, 2, 840, 10045, 4, 3, 2]
        case .ecdsaWithSHA384: return [1, 2, 840, 10045, 4, 3, 3]
        case .sha256WithRSAEncryption: return [1, 2, 840, 113549, 1, 1, 11]
        }
    }

    /// RSA identifiers carry an explicit NULL; ECDSA identifiers omit parameters (RFC 5758 §3.2).
    package var hasNullParameters: Bool {
        self == .sha256WithRSAEncryption
    }

    /// Writes `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`
    /// (RFC 5280 §4.1.1.2).
    package func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(self.objectIdentifier)
            if self.hasNullParameters {
                try coder.serialize(ASN1Null())
            }
        }
    }
}

/// The subject public keys accepted in certificate signing requests.
///
/// P-256, P-384 and RSA keys of 2048 to 4096 bits: what every TLS 1.2/1.3 stack and XMPP client handles and what
/// the CA/Browser Forum baseline permits (BR §6.1.5). Ed25519 and P-521 are refused.
enum SubjectKeyKind: Equatable {
    /// An elliptic-curve key; KeyUsage digitalSignature only (RFC 5480 §3).
    case ecdsa
    /// An RSA key; KeyUsage digitalSignature and keyEncipherment (RFC 4055 §1.2, TLS 1.2 RSA key exchange).
    case rsa

    /// Classifies `key`, or throws ``TrustCAError/Code/unsupportedKey``.
    init(_ key: Certificate.PublicKey) throws(TrustCAError) {
        if P256.Signing.PublicKey(key) != nil || P384.Signing.PublicKey(key) != nil {
            self = .ecdsa
        } else if let rsa = _RSA.Signing.PublicKey(key) {
            guard (2048...4096).contains(rsa.keySizeInBits) else {
                throw .unsupportedKey(reason: "RSA keys must have 2048 to 4096 bits, not \(rsa.keySizeInBits)")
            }
            self = .rsa
        } else {
            throw .unsupportedKey(reason: "\(key) keys are not accepted; use P-256, P-384 or RSA-2048…4096")
        }
    }
}
