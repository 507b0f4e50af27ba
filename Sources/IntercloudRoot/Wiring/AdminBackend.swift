import AdminAPI
import XMPPServer

/// What the admin API reports, assembled from the running services.
struct AdminBackend: AdminAPIBackend {
    let domain: String
    let readiness: ReadinessTracker
    let sessions: SessionManager
    let chainPEM: String

    func health() async -> HealthReport {
        HealthReport(
            status: "ok", domain: self.domain, ports: self.readiness.ports, sessions: self.sessions.count,
            version: Intercloud.version)
    }

    func caChainPEM() async -> String { self.chainPEM }
}
