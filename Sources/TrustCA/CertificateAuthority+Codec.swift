import SwiftASN1
import X509

/// PEM encoding, parsing and consistency checks for the CA's stored material (RFC 7468, RFC 5280 §4.1).
extension CertificateAuthority {
    /// Rejects domains that cannot be a DNS name constraint (RFC 5280 §4.2.1.10, RFC 1034 §3.1 preferred syntax).
    static func validate(domain: String) throws(TrustCAError) {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let valid =
            !domain.isEmpty && domain.utf8.count <= 253
            && labels.allSatisfy { label in
                !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.unicodeScalars.allSatisfy { scalar in
                        scalar.isASCII
                            && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                                || ("0"..."9").contains(scalar) || scalar == "-")
                    }
            }
        guard valid else {
            throw .issuanceFailed(reason: "domain \"\(domain)\" is not a valid DNS name")
        }
    }

    /// PKCS#8 PEM of `key`.
    static func pem(of key: Certificate.PrivateKey) throws(TrustCAError) -> String {
        do {
            return try key.serializeAsPEM().pemString + "\n"
        } catch {
            throw .invalidKey(reason: "cannot serialise private key: \(error)")
        }
    }

    /// PEM of `certificate`.
    static func pem(of certificate: Certificate) throws(TrustCAError) -> String {
        do {
            return try certificate.serializeAsPEM().pemString + "\n"
        } catch {
            throw .invalidCertificate(reason: "cannot serialise certificate: \(error)")
        }
    }

    /// DER encoding of `certificate` (X.690 §10; RFC 5280 §4.1).
    static func der(of certificate: Certificate) throws(TrustCAError) -> [UInt8] {
        do {
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return serializer.serializedBytes
        } catch {
            throw .invalidCertificate(reason: "cannot DER-encode certificate: \(error)")
        }
    }

    /// Concatenated PEM of `certificates`, in order.
    static func pem(of certificates: [Certificate]) throws(TrustCAError) -> String {
        var result = ""
        for certificate in certificates {
            result += try Self.pem(of: certificate)
        }
        return result
    }

    /// Parses a PEM private key (PKCS#8 or SEC1).
    static func parseKey(_ pem: String, path: String) throws(TrustCAError) -> Certificate.PrivateKey {
        do {
            return try Certificate.PrivateKey(pemEncoded: pem)
        } catch {
            throw .invalidKey(reason: "cannot parse private key \(path): \(error)")
        }
    }

    /// Parses exactly one PEM certificate.
    static func parseCertificate(_ pem: String, path: String) throws(TrustCAError) -> Certificate {
        let chain = try Self.parseChain(pem, path: path)
        guard chain.count == 1 else {
            throw .invalidCertificate(reason: "\(path) holds \(chain.count) certificates, expected 1")
        }
        return chain[0]
    }

    /// Parses every PEM certificate in `pem`, in order.
    static func parseChain(_ pem: String, path: String) throws(TrustCAError) -> [Certificate] {
        do {
            return try PEMDocument.parseMultiple(pemString: pem).map { try Certificate(pemDocument: $0) }
        } catch {
            throw .invalidCertificate(reason: "cannot parse certificates in \(path): \(error)")
        }
    }

    /// Fails unless `certificate` certifies the public half of `key`.
    static func check(
        _ certificate: Certificate,
        matches key: Certificate.PrivateKey,
        path: String
    ) throws(TrustCAError) {
        guard certificate.publicKey == key.publicKey else {
            throw .invalidKey(reason: "the private key does not match the certificate in \(path)")
        }
    }
}
