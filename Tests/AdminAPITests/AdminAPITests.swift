import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing

@testable import AdminAPI

/// A fixed backend for the admin API tests.
struct StubBackend: AdminAPIBackend {
    static let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    func health() async -> HealthReport {
        HealthReport(
            status: "ok", domain: "intercloud.localhost", ports: ["c2s": 5222, "c2s_tls": 5223, "s2s": 5269],
            sessions: 3, version: "0.1.0-test")
    }

    func caChainPEM() async -> String { Self.pem }
}

/// Routes of CONTRACT §4 served by ``AdminAPI``.
@Suite struct AdminAPITests {
    static let token = "s3cret-admin-token"

    static func makeAPI(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) -> AdminAPI {
        AdminAPI(
            backend: StubBackend(), prometheus: registry, adminToken: Self.token,
            logger: Logger(label: "test.adminapi"))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ buffer: ByteBuffer) throws -> T {
        try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
    }

    @Test func healthReportsFields() async throws {
        let app = Application(router: Self.makeAPI().makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let report = try Self.decode(HealthReport.self, response.body)
                #expect(report.status == "ok")
                #expect(report.domain == "intercloud.localhost")
                #expect(report.ports["c2s"] == 5222)
                #expect(report.ports["c2s_tls"] == 5223)
                #expect(report.sessions == 3)
                #expect(report.version == "0.1.0-test")
            }
        }
    }

    @Test func liveHealthReportsTheBoundHTTPPort() async throws {
        let api = Self.makeAPI()
        let reported = PortBox()
        let app = api.makeApplication(host: "127.0.0.1", port: 0) { port in reported.set(port) }
        try await app.test(.live) { client in
            try await client.execute(uri: "/v1/health", method: .get) { response in
                let report = try Self.decode(HealthReport.self, response.body)
                #expect(report.ports["http"] != nil)
                #expect(report.ports["http"] == client.port)
                #expect(reported.get() == client.port)
            }
        }
    }

    @Test func metricsExposeRegistryCounters() async throws {
        let registry = PrometheusCollectorRegistry()
        let descriptor = MetricNameDescriptor(
            namespace: "intercloud", metricName: "test_events", unitName: "total", helpText: "Test events.")
        registry.makeCounter(descriptor: descriptor).increment(by: Int64(7))
        let app = Application(router: Self.makeAPI(registry: registry).makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let body = String(buffer: response.body)
                #expect(body.contains("# TYPE intercloud_test_events_total counter"))
                #expect(body.contains("intercloud_test_events_total 7"))
            }
        }
    }

    @Test func caChainIsServedAsPEM() async throws {
        let app = Application(router: Self.makeAPI().makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/ca/certificates", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/pem-certificate-chain")
                #expect(String(buffer: response.body) == StubBackend.pem)
            }
            try await client.execute(uri: "/v1/ca/certificates", method: .head) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func unknownRouteIsJSON404() async throws {
        let app = Application(router: Self.makeAPI().makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/nope", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try Self.decode(AdminAPIError.Body.self, response.body)
                #expect(body.error == "not_found")
                #expect(!body.message.isEmpty)
            }
        }
    }
}

/// A thread-safe holder for the port reported by `onServerRunning`.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port: Int?

    func set(_ port: Int) {
        self.lock.withLock { self.port = port }
    }

    func get() -> Int? {
        self.lock.withLock { self.port }
    }
}
