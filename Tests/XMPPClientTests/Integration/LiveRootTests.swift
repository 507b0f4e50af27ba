import Foundation
import Testing
import XMPPClient
import XMPPCore

/// End-to-end runs against the real `intercloud serve` (CONTRACT §2–§5): SCRAM over STARTTLS, certificate issuance
/// over the admin API, EXTERNAL over STARTTLS and direct TLS, iq correlation, inbound messages, PEP publication,
/// matching, session replacement and revocation. Fails loudly when no binary is available.
@Suite(.serialized, .timeLimit(.minutes(3))) struct LiveRootTests {
    @Test func theHarnessFlowAgainstARealRoot() async throws {
        let root = try await RootProcess()
        do {
            try await self.exercise(root)
        } catch {
            Issue.record("server log:\n\(root.log)")
            await root.stop()
            throw error
        }
        await root.stop()
    }

    private func exercise(_ root: RootProcess) async throws {
        let c2s = root.ports["c2s"]!
        let (caStatus, caPEM) = try await root.http("GET", "/v1/ca/certificates")
        #expect(caStatus == 200)
        let tls = try XMPPClientTLS.trusting(pem: caPEM)
        try root.addCloud("alpha", password: "alpha-secret")
        try root.addCloud("beta", password: "beta-secret")

        // SCRAM-SHA-256 over STARTTLS, with the requested resource.
        let alpha = try await XMPPClientConnection.connect(
            host: "127.0.0.1", port: c2s, domain: root.domain,
            credentials: .password(username: "alpha", password: "alpha-secret"), tls: tls, resource: "harness")
        #expect(alpha.jid == (try JID(parsing: "alpha@intercloud.localhost/harness")))

        // iq correlation: a ping to the server (XEP-0199 §4.2).
        let ping = XMLElement(
            name: "iq", namespace: Namespace.client, attributes: ["type": "get", "to": root.domain],
            children: [.element(XMLElement(name: "ping", namespace: Namespace.ping))])
        #expect(try await alpha.request(ping).type == "result")

        // A wrong password and a wrong server name fail with the reason.
        await #expect(throws: XMPPClientError.self) {
            do {
                _ = try await XMPPClientConnection.connect(
                    host: "127.0.0.1", port: c2s, domain: root.domain,
                    credentials: .password(username: "beta", password: "wrong"), tls: tls)
            } catch let error as XMPPClientError {
                #expect(error.code == .authenticationFailed)
                #expect(error.saslFailure == .notAuthorized)
                throw error
            }
        }
        var wrongName = tls
        wrongName.serverName = "elsewhere.localhost"
        await #expect(throws: XMPPClientError.self) {
            do {
                _ = try await XMPPClientConnection.connect(
                    host: "127.0.0.1", port: c2s, domain: root.domain,
                    credentials: .password(username: "beta", password: "beta-secret"), tls: wrongName)
            } catch let error as XMPPClientError {
                #expect(error.code == .tlsFailed)
                throw error
            }
        }

        // Issue a certificate for beta from an openssl CSR, then log in with EXTERNAL over STARTTLS.
        let issued = try await self.issueCertificate(root, cloud: "beta")
        let betaCredentials = try XMPPClientCredentials.certificatePEM(chain: issued.chain, key: issued.key)
        let beta = try await XMPPClientConnection.connect(
            host: "127.0.0.1", port: c2s, domain: root.domain, credentials: betaCredentials, tls: tls,
            resource: "harness")
        #expect(beta.jid == (try JID(parsing: "beta@intercloud.localhost/harness")))

        // Inbound stanzas: alpha's message reaches beta's stream.
        try await alpha.send(
            XMLElement(
                name: "message", namespace: Namespace.client,
                attributes: ["to": beta.jid.description, "type": "chat", "id": "m1"],
                children: [.element(XMLElement(name: "body", namespace: Namespace.client, children: [.text("hello")]))]
            ))
        var inbound = beta.stanzas.makeAsyncIterator()
        var received: Stanza?
        while let stanza = await inbound.next() {
            if stanza.kind == .message {
                received = stanza
                break
            }
        }
        #expect(received?.from == alpha.jid)
        #expect(received?.element.child(named: "body", namespace: Namespace.client)?.text == "hello")

        try await self.publishAndMatch(alpha, root: root)

        // Direct TLS (XEP-0368) with EXTERNAL and an explicit authzid.
        let direct = try await XMPPClientConnection.connect(
            host: "127.0.0.1", port: root.ports["c2s_tls"]!, domain: root.domain,
            credentials: try .certificatePEM(
                chain: issued.chain, key: issued.key, authzid: "beta@intercloud.localhost"),
            tls: XMPPClientTLS(mode: .direct, trustRoots: tls.trustRoots), resource: "direct")
        #expect(direct.jid.resourcepart == "direct")
        #expect(await direct.close() == nil)

        // A second login with the same resource replaces the first: it ends with the `conflict` stream error.
        let replacement = try await XMPPClientConnection.connect(
            host: "127.0.0.1", port: c2s, domain: root.domain, credentials: betaCredentials, tls: tls,
            resource: "harness")
        let replaced = await beta.waitUntilClosed()
        #expect(replaced?.streamError?.condition == .conflict)
        #expect(await replacement.close() == nil)

        // Revoked certificates no longer log in (CONTRACT §4).
        let (revokeStatus, revokeBody) = try await root.http(
            "POST", "/v1/certificates/\(issued.serial)/revoke", authorized: true)
        #expect(revokeStatus == 200, "\(revokeBody)")
        await #expect(throws: XMPPClientError.self) {
            _ = try await XMPPClientConnection.connect(
                host: "127.0.0.1", port: c2s, domain: root.domain, credentials: betaCredentials, tls: tls)
        }

        #expect(await alpha.close() == nil)
        #expect(!alpha.isActive)
        await #expect(throws: XMPPClientError(.notConnected, "the connection is closed")) {
            try await alpha.sendPresence()
        }
    }

    /// PEP publication and, when the root runs the directory, matching (CONTRACT §5.1, §5.3).
    private func publishAndMatch(_ alpha: XMPPClientConnection, root: RootProcess) async throws {
        try await alpha.sendPresence()
        let turtle = """
            @prefix ic: <https://w3id.org/intercloud/ns#> .
            <xmpp:alpha@intercloud.localhost> a ic:Cloud .
            """
        #expect(try await alpha.publishCapabilities(turtle: turtle).type == "result")

        let items = XMLElement(
            name: "iq", namespace: Namespace.client, attributes: ["type": "get", "to": root.domain],
            children: [.element(XMLElement(name: "query", namespace: Namespace.discoItems))])
        let listed = try await alpha.request(items).payload?.children(named: "item", namespace: Namespace.discoItems)
            .compactMap { $0[attribute: "jid"] }
        let query = "SELECT ?c WHERE { ?c a <https://w3id.org/intercloud/ns#Cloud> }"
        guard listed?.contains("directory.\(root.domain)") == true else {
            // A root without the directory must still answer the iq, with an error.
            await #expect(throws: XMPPClientError.self) { _ = try await alpha.match(sparql: query) }
            return
        }
        let results = try await alpha.match(sparql: query)
        #expect(results.namespace == IntercloudNamespace.sparqlResults)
        #expect(IntercloudRequests.rows(results).contains(["c": "xmpp:alpha@intercloud.localhost"]))
        do {
            _ = try await alpha.match(sparql: "SELECT WHERE {")
            Issue.record("a broken query was accepted")
        } catch {
            #expect(error.stanzaError?.condition == .badRequest)
        }
    }

    /// A P-256 key and CSR made by `openssl req`, posted to `POST /v1/clouds/{name}/certificates` (CONTRACT §4).
    private func issueCertificate(_ root: RootProcess, cloud: String) async throws
        -> (chain: String, key: String, serial: String)
    {
        let keyFile = root.dataDirectory.appendingPathComponent("\(cloud).key").path
        let csrFile = root.dataDirectory.appendingPathComponent("\(cloud).csr").path
        let openssl = try #require(
            ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"].first {
                FileManager.default.isExecutableFile(atPath: $0)
            }, "openssl is needed to make a CSR")
        let made = try RootProcess.run(
            openssl,
            [
                "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyFile,
                "-subj", "/CN=\(cloud)", "-out", csrFile,
            ])
        #expect(made.status == 0, "\(made.output)")
        let csr = try Data(contentsOf: URL(fileURLWithPath: csrFile))
        let (status, chain) = try await root.http(
            "POST", "/v1/clouds/\(cloud)/certificates", body: csr, authorized: true)
        try #require(status == 201, "certificate issuance failed: \(status) \(chain)")
        let leafFile = root.dataDirectory.appendingPathComponent("\(cloud).pem")
        try chain.write(to: leafFile, atomically: true, encoding: .utf8)
        let serial = try RootProcess.run(openssl, ["x509", "-in", leafFile.path, "-noout", "-serial"])
        let hex = serial.output.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(
            of: "serial=", with: "")
        let trimmed = String(hex.lowercased().drop { $0 == "0" })
        return (chain, try String(contentsOfFile: keyFile, encoding: .utf8), trimmed)
    }
}
