import Foundation
import Hummingbird

/// What the admin API needs from the certificate authority, declared here so the API does not import it
/// (CONTRACT §4).
public protocol CertificateAdministration: Sendable {
    /// Issues a certificate for a registered cloud from a PKCS#10 CSR in PEM; returns the PEM chain, leaf first.
    /// `notFound` for an unknown cloud, `badRequest` for a CSR that does not parse or whose signature fails.
    func issueCertificate(cloud: String, csrPEM: String) async throws(AdminAPIError) -> String
    /// Revokes a certificate we issued (serial in hex) with an RFC 5280 §5.3.1 reason name.
    func revokeCertificate(serialHex: String, reason: String?) async throws(AdminAPIError)
    /// The current CRL, DER (RFC 5280 §5).
    func currentCRL() async throws(AdminAPIError) -> [UInt8]
}

/// The optional body of `POST /v1/certificates/{serial}/revoke`.
public struct RevocationRequest: Codable, Sendable, Equatable {
    /// An RFC 5280 §5.3.1 reason name such as `keyCompromise` (default `unspecified`).
    public var reason: String?

    /// Creates a request.
    public init(reason: String? = nil) {
        self.reason = reason
    }
}

extension AdminAPI {
    /// The largest CSR accepted.
    static let maxCSRBody = 16 * 1024

    /// `POST /v1/clouds/{name}/certificates`, `POST /v1/certificates/{serial}/revoke`, `GET /v1/ca/crl`
    /// (CONTRACT §4).
    func addCertificateRoutes(to router: Router<BasicRequestContext>, certificates: any CertificateAdministration) {
        router.post("/v1/clouds/{name}/certificates") { request, context in
            let body = try await request.body.collect(upTo: Self.maxCSRBody)
            let pem = String(buffer: body)
            guard
                pem.contains("-----BEGIN CERTIFICATE REQUEST-----")
                    || pem.contains("-----BEGIN NEW CERTIFICATE REQUEST-----")
            else {
                throw AdminAPIError(.badRequest, reason: "the body must be a PKCS#10 CSR in PEM")
            }
            let chain = try await certificates.issueCertificate(
                cloud: try context.parameters.require("name"), csrPEM: pem)
            return Response(
                status: .created, headers: [.contentType: Self.pemChainContentType],
                body: .init(byteBuffer: ByteBuffer(string: chain)))
        }
        router.post("/v1/certificates/{serial}/revoke") { request, context in
            let body = try await request.body.collect(upTo: Self.maxJSONBody)
            var revocation = RevocationRequest()
            if body.readableBytes > 0 {
                do {
                    revocation = try Self.decoder.decode(RevocationRequest.self, from: Data(buffer: body))
                } catch {
                    throw AdminAPIError(.badRequest, reason: "expected {\"reason\": \"keyCompromise\"} or no body")
                }
            }
            let serial = try context.parameters.require("serial")
            try await certificates.revokeCertificate(serialHex: serial, reason: revocation.reason)
            return try Self.json(["revoked": serial, "reason": revocation.reason ?? "unspecified"])
        }
        router.get("/v1/ca/crl") { _, _ in
            let der = try await certificates.currentCRL()
            return Response(
                status: .ok, headers: [.contentType: "application/pkix-crl"],
                body: .init(byteBuffer: ByteBuffer(bytes: der)))
        }
    }
}
