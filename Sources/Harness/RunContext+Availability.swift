import XMPPClient

extension RunContext {
    /// Which logged-in clouds go offline: `offlineFraction` of them (at least one when there are two), spread
    /// evenly, never the first (the observer).
    static func offlineSelection(online: [Int], fraction: Double) -> [Int] {
        guard online.count >= 2, fraction > 0 else { return [] }
        let candidates = Array(online.dropFirst())
        let wanted = min(candidates.count, max(1, Int((Double(online.count) * fraction).rounded())))
        return (0..<wanted).map { candidates[$0 * candidates.count / wanted] }
    }

    /// Step 7: a fraction of the clouds send unavailable presence; the directory must then read them as not
    /// ready, and ready again once they send available presence (CONTRACT §5.2; RFC 6121 §4.5, §4.2).
    func offlineAndBack(_ state: CloudStates) async -> [StepReport] {
        let online = state.agents.filled
        let offline = Self.offlineSelection(online: online, fraction: self.configuration.offlineFraction)
        let profiles = self.profiles
        var steps: [StepReport] = []
        steps.append(
            await self.step("offline", items: offline.count, subject: { profiles[offline[$0]].name }) { position in
                guard let agent = state.agents[offline[position]] else { throw HarnessError(.skipped, "logged out") }
                do {
                    try await agent.connection.sendUnavailable(status: "harness: offline")
                } catch let error as XMPPClientError {
                    throw CloudAgent.failure("unavailable presence", error)
                }
            })
        steps.append(await self.availabilityCheck("offline-visible", state, offline: Set(offline)))
        steps.append(
            await self.step("online", items: offline.count, subject: { profiles[offline[$0]].name }) { position in
                guard let agent = state.agents[offline[position]] else { throw HarnessError(.skipped, "logged out") }
                do {
                    try await agent.connection.sendPresence()
                } catch let error as XMPPClientError {
                    throw CloudAgent.failure("available presence", error)
                }
            })
        steps.append(await self.availabilityCheck("online-visible", state, offline: []))
        return steps
    }

    /// Waits until the directory reads exactly the expected clouds of this run as not ready — the registered ones
    /// that are not logged in, plus `offline` — and counts the rest as ready (CONTRACT §5.2).
    func availabilityCheck(_ name: String, _ state: CloudStates, offline: Set<Int>) async -> StepReport {
        let online = Set(state.agents.filled).subtracting(offline)
        let notReady = Set(state.registered.filled).subtracting(online)
        let expected = notReady.map { self.profiles[$0].iri }.sorted()
        let filter = "FILTER(STRSTARTS(STR(?cloud), \(DescriptionGenerator.literal(self.prefix))))"
        let notReadyQuery = MatchQuery.prologue + "SELECT ?cloud WHERE { ?cloud ic:ready false . \(filter) }"
        let readyQuery =
            MatchQuery.prologue
            + "SELECT (COUNT(DISTINCT ?cloud) AS ?clouds) WHERE { ?cloud ic:ready true . \(filter) }"
        return await self.single(name) { () async throws(HarnessError) in
            let observer = try self.observer(state)
            let what = "\(online.count) ready and \(expected.count) not ready"
            try await self.converge(what) { () async throws(HarnessError) in
                let rows = try await self.select(notReadyQuery, as: observer)
                let got = rows.compactMap { $0["cloud"] }.sorted()
                guard got == expected else {
                    let extra = Set(got).subtracting(expected).sorted().prefix(2)
                    let missing = Set(expected).subtracting(got).sorted().prefix(2)
                    return "\(got.count) not ready, e.g. unexpected \(extra), missing \(missing)"
                }
                let count = try await self.select(readyQuery, as: observer).first?["clouds"] ?? "none"
                return count == String(online.count) ? nil : "\(count) ready"
            }
        }
    }
}
