import XMPPClient

extension RunContext {
    /// Step 1: `POST /v1/clouds` for every cloud (CONTRACT §4).
    func register(_ state: CloudStates) async -> StepReport {
        let profiles = self.profiles
        return await self.step("register", items: profiles.count, subject: { profiles[$0].name }) { index in
            try await self.admin.register(name: profiles[index].name, trustLevel: profiles[index].trustLevel)
            state.registered.set(index, true)
        }
    }

    /// Step 2: a P-256 key and CSR per cloud, `POST /v1/clouds/{name}/certificates`, and the returned chain loaded
    /// as EXTERNAL credentials (CONTRACT §4; RFC 2986).
    func issueCertificates(_ state: CloudStates) async -> StepReport {
        let profiles = self.profiles
        return await self.step(
            "certificate", items: profiles.count, subject: { profiles[$0].name },
            eligible: { state.registered[$0] != nil }
        ) { index in
            let name = profiles[index].name
            let material = try CloudKeyMaterial(cloudName: name)
            let chain = try await self.admin.issueCertificate(name: name, csrPEM: material.csrPEM)
            do {
                state.credentials.set(
                    index, try XMPPClientCredentials.certificatePEM(chain: chain, key: material.privateKeyPEM))
            } catch let error as XMPPClientError {
                throw HarnessError(.cryptoFailed, "the issued chain: \(error.reason)")
            }
        }
    }

    /// Step 3: STARTTLS, SASL EXTERNAL, bind, initial presence (CONTRACT §5; XEP-0178; RFC 6121 §4.2).
    func login(_ state: CloudStates) async -> StepReport {
        let profiles = self.profiles
        return await self.step(
            "login", items: profiles.count, subject: { profiles[$0].name },
            eligible: { state.credentials[$0] != nil }
        ) { index in
            guard let credentials = state.credentials[index] else { return }
            let agent = try await CloudAgent.login(
                profile: profiles[index], host: self.configuration.host, port: self.c2sPort, credentials: credentials,
                tls: self.tls, options: self.clientOptions, book: self.book)
            state.agents.set(index, agent)
        }
    }

    /// Step 4: the generated Turtle description, published with PEP (CONTRACT §5.1; XEP-0163).
    func publish(_ state: CloudStates) async -> StepReport {
        let profiles = self.profiles
        let timeout = self.configuration.timeouts.request
        return await self.step(
            "publish", items: profiles.count, subject: { profiles[$0].name }, eligible: { state.agents[$0] != nil }
        ) { index in
            guard let agent = state.agents[index] else { return }
            do {
                try await agent.connection.publishCapabilities(
                    turtle: DescriptionGenerator.turtle(profiles[index]), timeout: .init(timeout))
            } catch let error as XMPPClientError {
                throw CloudAgent.failure("publish", error)
            }
            state.published.set(index, true)
        }
    }

    /// Step 8: every logged-in cloud ends its stream (RFC 6120 §4.4).
    func logout(_ state: CloudStates) async -> StepReport {
        let profiles = self.profiles
        return await self.step(
            "logout", items: profiles.count, subject: { profiles[$0].name }, eligible: { state.agents[$0] != nil }
        ) { index in
            guard let agent = state.agents[index] else { return }
            state.agents.set(index, nil)
            try await agent.logoutChecked()
        }
    }

    /// Last: `DELETE /v1/clouds/{name}`, so that runs against a long-lived root leave nothing behind (CONTRACT §4).
    func unregister(_ state: CloudStates) async -> StepReport {
        let profiles = self.profiles
        return await self.step(
            "unregister", items: profiles.count, subject: { profiles[$0].name },
            eligible: { state.registered[$0] != nil }
        ) { index in
            try await self.admin.remove(name: profiles[index].name)
        }
    }
}
