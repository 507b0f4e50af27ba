import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Synchronization
import Testing

@testable import AdminAPI

/// Records calls and answers like a CA would; the real CA behind these routes is exercised end to end by the
/// integration suite.
final class RecordingCertificates: CertificateAdministration {
    let calls = Mutex<[String]>([])

    func issueCertificate(cloud: String, csrPEM: String) async throws(AdminAPIError) -> String {
        self.calls.withLock { $0.append("issue \(cloud)") }
        guard cloud == "known" else { throw AdminAPIError(.notFound, reason: "no cloud named \(cloud)") }
        return "-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n"
    }

    func revokeCertificate(serialHex: String, reason: String?) async throws(AdminAPIError) {
        self.calls.withLock { $0.append("revoke \(serialHex) \(reason ?? "-")") }
    }

    func currentCRL() async throws(AdminAPIError) -> [UInt8] { [0x30, 0x03, 0x02, 0x01, 0x00] }
}

@Suite struct CertificateRoutesTests {
    static let csr = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"

    static func app(_ certificates: RecordingCertificates) -> some ApplicationProtocol {
        Application(
            router: AdminAPI(
                backend: StubBackend(), prometheus: PrometheusCollectorRegistry(), adminToken: AdminAPITests.token,
                logger: Logger(label: "test"), certificates: certificates
            ).makeRouter())
    }

    static let auth: HTTPFields = [.authorization: "Bearer \(AdminAPITests.token)"]

    @Test func issuanceNeedsTheTokenAndAPEMBody() async throws {
        let recorder = RecordingCertificates()
        try await Self.app(recorder).test(.router) { client in
            try await client.execute(
                uri: "/v1/clouds/known/certificates", method: .post, body: ByteBuffer(string: Self.csr)
            ) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: "/v1/clouds/known/certificates", method: .post, headers: Self.auth,
                body: ByteBuffer(string: "garbage")
            ) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(
                uri: "/v1/clouds/known/certificates", method: .post, headers: Self.auth,
                body: ByteBuffer(string: Self.csr)
            ) { response in
                #expect(response.status == .created)
                #expect(response.headers[.contentType] == AdminAPI.pemChainContentType)
                #expect(String(buffer: response.body).contains("LEAF"))
            }
            try await client.execute(
                uri: "/v1/clouds/unknown/certificates", method: .post, headers: Self.auth,
                body: ByteBuffer(string: Self.csr)
            ) { response in
                #expect(response.status == .notFound)
            }
        }
        #expect(recorder.calls.withLock { $0 } == ["issue known", "issue unknown"])
    }

    @Test func revocationTakesAnOptionalReasonAndCRLIsDER() async throws {
        let recorder = RecordingCertificates()
        try await Self.app(recorder).test(.router) { client in
            try await client.execute(uri: "/v1/certificates/0a1b/revoke", method: .post) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: "/v1/certificates/0a1b/revoke", method: .post, headers: Self.auth,
                body: ByteBuffer(string: "{\"reason\":\"keyCompromise\"}")
            ) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(
                uri: "/v1/certificates/0a1c/revoke", method: .post, headers: Self.auth,
                body: ByteBuffer(string: "{not json")
            ) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/ca/crl", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/pkix-crl")
                #expect(Array(response.body.readableBytesView) == [0x30, 0x03, 0x02, 0x01, 0x00])
            }
        }
        #expect(recorder.calls.withLock { $0 } == ["revoke 0a1b keyCompromise"])
    }
}
