import Crypto
import Foundation
import SwiftASN1
import X509
import XMPPCore

/// A simulated cloud's key pair and certificate request: a fresh P-256 key and a PKCS#10 CSR signed with it
/// (RFC 2986; CONTRACT §4 `POST /v1/clouds/{name}/certificates`). The CA takes only the public key from the CSR;
/// name and SAN come from the registry (docs/ca.md).
struct CloudKeyMaterial: Sendable {
    /// The private key, PKCS#8 PEM, for the TLS client certificate (SASL EXTERNAL, XEP-0178).
    let privateKeyPEM: String
    /// The CSR, `CERTIFICATE REQUEST` PEM.
    let csrPEM: String

    /// Makes a key and a CSR whose subject is `CN=name`.
    init(cloudName name: String) throws(HarnessError) {
        let key = P256.Signing.PrivateKey()
        do {
            let subject = try DistinguishedName { CommonName(name) }
            let csr = try CertificateSigningRequest(
                version: .v1, subject: subject, privateKey: Certificate.PrivateKey(key),
                attributes: CertificateSigningRequest.Attributes(), signatureAlgorithm: .ecdsaWithSHA256)
            self.csrPEM = try csr.serializeAsPEM().pemString
        } catch {
            throw HarnessError(.cryptoFailed, "cannot make a CSR for \(name): \(error)")
        }
        self.privateKeyPEM = key.pemRepresentation
    }
}

/// Checks the root's signature on an agreement with the CA chain from `GET /v1/ca/certificates`
/// (docs/negotiation.md "Canonical form": ECDSA with SHA-256 over the canonical bytes, made with a CA key).
struct AgreementVerifier: Sendable {
    private let keys: [P256.Signing.PublicKey]

    /// Reads the P-256 public keys of the PEM chain; other key types are ignored.
    init(caPEM: String) throws(HarnessError) {
        do {
            let documents = try PEMDocument.parseMultiple(pemString: caPEM)
            self.keys = try documents.compactMap { document in
                P256.Signing.PublicKey(try Certificate(pemDocument: document).publicKey)
            }
        } catch {
            throw HarnessError(.cryptoFailed, "cannot read the CA chain: \(error)")
        }
    }

    /// Whether any CA key can check signatures at all (a P-384 or RSA CA is not checked).
    var canVerify: Bool { !self.keys.isEmpty }

    /// Throws ``HarnessError/Code/mismatch`` unless a CA key verifies `signed`'s signature.
    func verify(_ signed: SignedAgreement) throws(HarnessError) {
        guard self.canVerify, signed.signature.algorithm == "ecdsa-with-SHA256" else { return }
        guard let signature = try? P256.Signing.ECDSASignature(derRepresentation: signed.signature.value) else {
            throw HarnessError(.mismatch, "agreement \(signed.agreement.id): the signature is not DER ECDSA")
        }
        let bytes = signed.agreement.canonicalBytes()
        guard self.keys.contains(where: { $0.isValidSignature(signature, for: bytes) }) else {
            throw HarnessError(.mismatch, "agreement \(signed.agreement.id): the CA signature does not verify")
        }
    }
}
