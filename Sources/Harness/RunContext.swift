import Foundation
import XMPPClient
import XMPPCore

/// Everything the steps of one run share once the root is found: where it is, how to trust it, the generated
/// profiles, and the per-cloud state each step leaves for the next.
struct RunContext: Sendable {
    let configuration: HarnessConfiguration
    let progress: (any HarnessProgress)?
    let runID: String
    let domain: String
    let c2sPort: Int
    let admin: AdminClient
    let tls: XMPPClientTLS
    let verifier: AgreementVerifier
    let profiles: [CloudProfile]
    let book = NegotiationBook()

    /// Asks `GET /v1/health` for the domain and ports left open, fetches the CA chain to trust (CONTRACT §4), and
    /// generates the profiles.
    static func discover(
        _ configuration: HarnessConfiguration, runID: String, launcher: RootLauncher?,
        progress: (any HarnessProgress)?
    ) async throws(HarnessError) -> RunContext {
        let httpPort = launcher?.ports["http"] ?? configuration.httpPort
        let token = launcher?.adminToken ?? configuration.adminToken ?? ""
        let admin = AdminClient(
            host: configuration.host, port: httpPort, token: token, concurrency: configuration.concurrency,
            timeout: configuration.timeouts.http)
        let health = try await admin.health()
        guard let domain = configuration.domain ?? health.domain else {
            throw HarnessError(.invalidConfiguration, "no --domain given and /v1/health does not report one")
        }
        guard let c2sPort = launcher?.ports["c2s"] ?? configuration.c2sPort ?? health.ports?["c2s"] else {
            throw HarnessError(.invalidConfiguration, "no --port given and /v1/health does not report the c2s port")
        }
        let caPEM = try await admin.caCertificates()
        let tls: XMPPClientTLS
        do {
            tls = try XMPPClientTLS.trusting(pem: caPEM)
        } catch {
            throw HarnessError(.cryptoFailed, "the CA chain from /v1/ca/certificates: \(error.reason)")
        }
        let profiles = (0..<configuration.clouds).map { index in
            DescriptionGenerator.profile(
                index: index,
                name: DescriptionGenerator.cloudName(seed: configuration.seed, runID: runID, index: index),
                domain: domain, seed: configuration.seed)
        }
        return RunContext(
            configuration: configuration, progress: progress, runID: runID, domain: domain, c2sPort: c2sPort,
            admin: admin, tls: tls, verifier: try AgreementVerifier(caPEM: caPEM), profiles: profiles)
    }

    /// The IRI prefix of this run's clouds.
    var prefix: String { DescriptionGenerator.iriPrefix(seed: self.configuration.seed, runID: self.runID) }

    /// The steps after discovery, in order (issue 6 steps 1–8).
    func runSteps() async -> [StepReport] {
        var steps: [StepReport] = []
        let state = CloudStates(count: self.profiles.count)
        steps.append(await self.register(state))
        steps.append(await self.issueCertificates(state))
        steps.append(await self.login(state))
        steps.append(await self.publish(state))
        steps.append(await self.directorySync(state))
        steps.append(await self.match(state))
        let conversations = Slots<NegotiationPlan>(count: self.profiles.count / 2)
        steps.append(await self.negotiate(state, conversations: conversations))
        steps.append(await self.checkAgreements(state, conversations: conversations))
        steps += await self.offlineAndBack(state)
        steps.append(await self.logout(state))
        if self.configuration.removeClouds { steps.append(await self.unregister(state)) }
        return steps
    }

    /// A step with one operation per item: items for which `eligible` is false are recorded as skipped, the others
    /// run `operation` with bounded concurrency, each timed.
    func step(
        _ name: String, items: Int, subject: @escaping @Sendable (Int) -> String,
        eligible: (Int) -> Bool = { _ in true }, _ operation: @escaping @Sendable (Int) async throws -> Void
    ) async -> StepReport {
        let recorder = StepRecorder(name: name, total: items, progress: self.progress)
        var indices: [Int] = []
        for index in 0..<items {
            if eligible(index) { indices.append(index) } else { recorder.record(.skipped) }
        }
        let chosen = indices
        await BoundedConcurrency.forEach(chosen.count, limit: self.configuration.concurrency) { position in
            let index = chosen[position]
            await recorder.measure(subject: subject(index)) { try await operation(index) }
        }
        return recorder.finish()
    }

    /// A one-operation step.
    func single(_ name: String, _ operation: () async throws(HarnessError) -> Void) async -> StepReport {
        await StepRecorder.single(name, progress: self.progress, operation).0
    }

    /// Repeats `check` (nil when satisfied, else what is still wrong) until it is satisfied, at most for the
    /// convergence timeout: the directory applies publications and presence asynchronously (CONTRACT §5.2).
    func converge(_ what: String, _ check: () async throws(HarnessError) -> String?) async throws(HarnessError) {
        let deadline = ContinuousClock.now + self.configuration.timeouts.convergence
        var last = "never checked"
        while true {
            guard let difference = try await check() else { return }
            last = difference
            guard ContinuousClock.now < deadline else { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError(.timeout, "\(what) not reached within \(self.configuration.timeouts.convergence): \(last)")
    }

    /// Runs a SPARQL SELECT at `directory.D` as `agent` and returns its rows (CONTRACT §5.3).
    func select(_ sparql: String, as agent: CloudAgent) async throws(HarnessError) -> [[String: String]] {
        do {
            let results = try await agent.connection.match(
                sparql: sparql, timeout: .init(self.configuration.timeouts.request))
            return IntercloudRequests.rows(results)
        } catch {
            throw CloudAgent.failure("match", error)
        }
    }

    /// The XMPP client options of every cloud.
    var clientOptions: XMPPClientOptions {
        let timeouts = self.configuration.timeouts
        return XMPPClientOptions(
            connectTimeout: .init(timeouts.login), negotiationTimeout: .init(timeouts.login),
            requestTimeout: .init(timeouts.request))
    }
}

/// What each cloud achieved so far; later steps skip clouds that failed an earlier one.
struct CloudStates: Sendable {
    /// Registered with `POST /v1/clouds`.
    let registered: Slots<Bool>
    /// Holding a certificate and key for EXTERNAL.
    let credentials: Slots<XMPPClientCredentials>
    /// Logged in and available.
    let agents: Slots<CloudAgent>
    /// Its description was accepted.
    let published: Slots<Bool>

    /// State for `count` clouds.
    init(count: Int) {
        self.registered = Slots(count: count)
        self.credentials = Slots(count: count)
        self.agents = Slots(count: count)
        self.published = Slots(count: count)
    }
}
