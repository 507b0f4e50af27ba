import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The root's admin HTTP API as the harness uses it (CONTRACT §4): health, the CA chain, registering clouds,
/// issuing their certificates from CSRs, removing them. State-changing requests carry the bearer token.
struct AdminClient: Sendable {
    /// What `GET /v1/health` reports (CONTRACT §4).
    struct Health: Decodable, Sendable {
        /// `ok` when serving.
        var status: String
        /// The XMPP domain D.
        var domain: String?
        /// The bound port of every listener, e.g. `c2s`, `c2s_tls`, `http`.
        var ports: [String: Int]?
    }

    /// `http://HOST:PORT`, brackets around an IPv6 literal.
    let baseURL: String
    /// The admin token.
    let token: String
    /// The session; one per run, at most `concurrency` connections.
    let session: URLSession
    /// The limit of one request.
    let timeout: Duration

    /// Creates a client for `host:port`.
    init(host: String, port: Int, token: String, concurrency: Int, timeout: Duration) {
        let literal = host.contains(":") ? "[\(host)]" : host
        self.baseURL = "http://\(literal):\(port)"
        self.token = token
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(1, concurrency)
        configuration.timeoutIntervalForRequest = LatencySummary.milliseconds(timeout) / 1_000
        configuration.timeoutIntervalForResource = LatencySummary.milliseconds(timeout) / 1_000
        self.session = URLSession(configuration: configuration)
    }

    /// `GET /v1/health`.
    func health() async throws(HarnessError) -> Health {
        let data = try await self.send("GET", "/v1/health", expecting: [200])
        do {
            return try JSONDecoder().decode(Health.self, from: data)
        } catch {
            throw HarnessError(.unexpectedAnswer, "GET /v1/health is not the expected JSON: \(error)")
        }
    }

    /// `GET /v1/ca/certificates`: the PEM chain clients trust.
    func caCertificates() async throws(HarnessError) -> String {
        String(decoding: try await self.send("GET", "/v1/ca/certificates", expecting: [200]), as: UTF8.self)
    }

    /// `POST /v1/clouds` `{"name":…,"trustLevel":…}` → 201.
    func register(name: String, trustLevel: Int) async throws(HarnessError) {
        let body = Data(#"{"name":"\#(name)","trustLevel":\#(trustLevel)}"#.utf8)
        _ = try await self.send(
            "POST", "/v1/clouds", body: body, contentType: "application/json", authorized: true, expecting: [201])
    }

    /// `POST /v1/clouds/{name}/certificates` with a PEM CSR → 201 and the PEM chain, leaf first.
    func issueCertificate(name: String, csrPEM: String) async throws(HarnessError) -> String {
        let data = try await self.send(
            "POST", "/v1/clouds/\(name)/certificates", body: Data(csrPEM.utf8), contentType: "application/pkcs10",
            authorized: true, expecting: [200, 201])
        return String(decoding: data, as: UTF8.self)
    }

    /// `DELETE /v1/clouds/{name}` → 204.
    func remove(name: String) async throws(HarnessError) {
        _ = try await self.send("DELETE", "/v1/clouds/\(name)", authorized: true, expecting: [200, 204])
    }

    /// Ends the session once the running requests are done.
    func close() {
        self.session.finishTasksAndInvalidate()
    }

    private func send(
        _ method: String, _ path: String, body: Data? = nil, contentType: String? = nil, authorized: Bool = false,
        expecting statuses: Set<Int>
    ) async throws(HarnessError) -> Data {
        guard let url = URL(string: self.baseURL + path) else {
            throw HarnessError(.invalidConfiguration, "not a URL: \(self.baseURL + path)")
        }
        var request = URLRequest(url: url, timeoutInterval: LatencySummary.milliseconds(self.timeout) / 1_000)
        request.httpMethod = method
        request.httpBody = body
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if authorized { request.setValue("Bearer \(self.token)", forHTTPHeaderField: "Authorization") }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await self.session.data(for: request)
        } catch {
            throw HarnessError(.httpFailed, "\(method) \(path): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard statuses.contains(status) else {
            let text = String(decoding: data.prefix(300), as: UTF8.self)
            throw HarnessError(.unexpectedStatus, "\(method) \(path) → \(status) \(text)")
        }
        return data
    }
}
