extension RunContext {
    /// The profiles of the clouds that are logged in and published: what the directory must show as ready with
    /// offers (CONTRACT §5.1, §5.2).
    func readyProfiles(_ state: CloudStates) -> [CloudProfile] {
        state.published.filled.filter { state.agents[$0] != nil }.map { self.profiles[$0] }
    }

    /// The first logged-in cloud, which runs the run-wide checks.
    func observer(_ state: CloudStates) throws(HarnessError) -> CloudAgent {
        guard let index = state.agents.filled.first, let agent = state.agents[index] else {
            throw HarnessError(.skipped, "no cloud is logged in")
        }
        return agent
    }

    /// Between steps 4 and 5: waits until the directory shows every published cloud as ready with offers, so the
    /// matching queries can be compared exactly (CONTRACT §5.2–§5.3).
    func directorySync(_ state: CloudStates) async -> StepReport {
        let expected = self.readyProfiles(state).count
        let sparql =
            MatchQuery.prologue + """
                SELECT (COUNT(DISTINCT ?cloud) AS ?clouds) WHERE {
                  ?cloud ic:ready true ; ic:offers ?service .
                  FILTER(STRSTARTS(STR(?cloud), \(DescriptionGenerator.literal(self.prefix))))
                }
                """
        return await self.single("directory-sync") { () async throws(HarnessError) in
            let observer = try self.observer(state)
            try await self.converge("\(expected) ready clouds with descriptions") { () async throws(HarnessError) in
                let rows = try await self.select(sparql, as: observer)
                let count = rows.first?["clouds"] ?? "none"
                return count == String(expected) ? nil : "the directory shows \(count)"
            }
        }
    }

    /// Step 5: matching queries of every shape, sent by the logged-in clouds in turn, each answer compared with
    /// the rows the harness computes from its own profiles (CONTRACT §5.3).
    func match(_ state: CloudStates) async -> StepReport {
        let online = state.agents.filled
        let ready = self.readyProfiles(state)
        let count = online.isEmpty ? 0 : self.configuration.matchQueries ?? min(online.count, 200)
        let prefix = self.prefix
        let queries = (0..<count).map { MatchQuery.make(number: $0, prefix: prefix, ready: ready) }
        return await self.step("match", items: count, subject: { "query \($0) (\(queries[$0].shape.rawValue))" }) {
            number in
            guard let agent = state.agents[online[number % online.count]] else {
                throw HarnessError(.skipped, "the querying cloud went away")
            }
            let rows = try await self.select(queries[number].sparql, as: agent)
            if let mismatch = queries[number].mismatch(rows) { throw HarnessError(.mismatch, mismatch) }
        }
    }
}
