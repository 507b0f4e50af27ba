import Foundation
import Hummingbird
import Logging
import Prometheus
import Synchronization

/// The admin HTTP API: health, Prometheus metrics and the CA chain (CONTRACT §4).
///
/// Every route sits behind ``BearerTokenMiddleware`` (state-changing methods need the admin token) and
/// `JSONErrorMiddleware` (errors, including unknown routes, become `{"error": CODE, "message": TEXT}`).
/// Further routes added to the router returned by ``makeRouter()`` get both middlewares too.
public struct AdminAPI: Sendable {
    /// Content type of the Prometheus text exposition format 0.0.4.
    public static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"
    /// Content type of a PEM certificate chain (RFC 8555 §9.1).
    public static let pemChainContentType = "application/pem-certificate-chain"

    private let backend: any AdminAPIBackend
    private let prometheus: PrometheusCollectorRegistry
    private let adminToken: String
    private let logger: Logger
    private let boundPort: BoundPort
    private let clouds: (any CloudAdministration)?
    private let certificates: (any CertificateAdministration)?
    private let capabilities: (any CapabilityAdministration)?
    private let agreements: (any AgreementAdministration)?
    /// The admin token, for routes that protect reads too.
    var adminTokenValue: String { self.adminToken }

    /// Creates the API over `backend`, exposing `prometheus` at `/metrics` and guarding writes with `adminToken`.
    public init(
        backend: some AdminAPIBackend,
        prometheus: PrometheusCollectorRegistry,
        adminToken: String,
        logger: Logger,
        clouds: (any CloudAdministration)? = nil,
        certificates: (any CertificateAdministration)? = nil,
        capabilities: (any CapabilityAdministration)? = nil,
        agreements: (any AgreementAdministration)? = nil
    ) {
        self.capabilities = capabilities
        self.agreements = agreements
        self.clouds = clouds
        self.certificates = certificates
        self.backend = backend
        self.prometheus = prometheus
        self.adminToken = adminToken
        self.logger = logger
        self.boundPort = BoundPort()
    }

    /// The router: `GET /v1/health` (JSON; `ports.http` is the bound HTTP port once known), `GET /metrics`
    /// (Prometheus text format) and `GET /v1/ca/certificates` (PEM, intermediate then root) — CONTRACT §4.
    /// HEAD is answered for every GET route (RFC 9110 §9.3.2).
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: JSONErrorMiddleware())
        // SPARQL 1.1 Protocol §2.1.2: a query by POST changes nothing, so it needs no token.
        router.add(middleware: BearerTokenMiddleware(token: self.adminToken, readOnlyPaths: ["/sparql"]))

        router.get("/v1/health") { _, _ in
            try await self.healthResponse()
        }
        router.get("/metrics") { _, _ in
            let body = ByteBuffer(bytes: self.prometheus.emitToBuffer())
            return Response(
                status: .ok,
                headers: [.contentType: Self.metricsContentType],
                body: .init(byteBuffer: body)
            )
        }
        router.get("/v1/ca/certificates") { _, _ in
            let pem = await self.backend.caChainPEM()
            return Response(
                status: .ok,
                headers: [.contentType: Self.pemChainContentType],
                body: .init(byteBuffer: ByteBuffer(string: pem))
            )
        }
        if let clouds = self.clouds {
            self.addCloudRoutes(to: router, clouds: clouds)
        }
        if let certificates = self.certificates {
            self.addCertificateRoutes(to: router, certificates: certificates)
        }
        if let capabilities = self.capabilities {
            self.addCapabilityRoutes(to: router, capabilities: capabilities)
        }
        if let agreements = self.agreements {
            self.addAgreementRoutes(to: router, agreements: agreements)
        }
        return router
    }

    /// Builds a Hummingbird application serving ``makeRouter()`` on `host:port` (port 0 = ephemeral).
    ///
    /// Once listening, the bound port is recorded for `/v1/health` and passed to `onServerRunning`. The result is
    /// a ServiceLifecycle `Service` (`ApplicationProtocol` refines it) for the executable's `ServiceGroup`
    /// (STYLE §10). It logs through the injected logger and never bootstraps logging.
    public func makeApplication(
        host: String,
        port: Int,
        onServerRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let boundPort = self.boundPort
        let logger = self.logger
        return Application(
            router: self.makeRouter(),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port),
                serverName: "intercloud-admin"
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? port
                boundPort.set(port)
                logger.info("admin HTTP API listening", metadata: ["http.port": "\(port)"])
                await onServerRunning(port)
            },
            logger: self.logger
        )
    }

    /// The health report with `ports.http` filled in from the bound port when known.
    private func healthResponse() async throws -> Response {
        var report = await self.backend.health()
        if let port = self.boundPort.get() {
            report.ports["http"] = port
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(report)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

/// The HTTP listener's bound port, written once the server runs and read by `/v1/health`.
final class BoundPort: Sendable {
    private let value = Mutex<Int?>(nil)

    /// Records the bound port.
    func set(_ port: Int) {
        self.value.withLock { $0 = port }
    }

    /// The bound port, if the server is running.
    func get() -> Int? {
        self.value.withLock { $0 }
    }
}
