import Foundation
import Testing
import X509

@testable import TrustCA

/// Client-certificate checks for SASL EXTERNAL (XEP-0178 §3, RFC 6120 §13.7.1.4).
@Suite struct ClientCertificateValidationTests {
    typealias F = TrustCAFixtures

    @Test func validRevokedExpiredForeignNoAddressAndMismatch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try F.makeCA(directory)
        let issued = try ca.issue(csrPEM: try F.csrPEM(key: F.p256Key()), subject: F.subject, now: F.now)
        let leaf = issued.certificate
        let later = F.now.addingTimeInterval(3600)

        #expect(
            await ca.validateClientCertificate(chain: [leaf], expectedJID: nil, now: later)
                == .valid(jid: F.subject.jid))
        #expect(
            await ca.validateClientCertificate(chain: [leaf, ca.intermediate], expectedJID: F.subject.jid, now: later)
                == .valid(jid: F.subject.jid))
        #expect(
            await ca.validateClientCertificate(derChain: [issued.derEncoded], expectedJID: nil, now: later)
                == .valid(jid: F.subject.jid))

        // JID mismatch (authzid is someone else).
        let mismatch = await ca.validateClientCertificate(
            chain: [leaf], expectedJID: "cloud-b@intercloud.localhost", now: later)
        #expect(Self.isInvalid(mismatch))

        // Expired.
        let expired = await ca.validateClientCertificate(
            chain: [leaf], expectedJID: nil, now: issued.notAfter.addingTimeInterval(1))
        #expect(Self.isInvalid(expired))

        // No xmppAddr: the server's own certificate (dNSNames only).
        let server = try ca.loadOrIssueServerCertificate(
            directory: directory.path, domain: F.domain, now: F.now, logger: F.logger)
        #expect(Self.isInvalid(await ca.validateClientCertificate(chain: [server.leaf], expectedJID: nil, now: later)))

        // Foreign CA with the same names.
        let otherDirectory = try TemporaryDirectory()
        defer { otherDirectory.remove() }
        let foreign = try F.makeCA(otherDirectory)
        let foreignLeaf = try foreign.issue(csrPEM: try F.csrPEM(key: F.p256Key()), subject: F.subject, now: F.now)
        #expect(
            Self.isInvalid(
                await ca.validateClientCertificate(
                    chain: [foreignLeaf.certificate, foreign.intermediate], expectedJID: nil, now: later)))

        // Garbage and empty chains.
        #expect(
            Self.isInvalid(await ca.validateClientCertificate(derChain: [[0x30, 0x00]], expectedJID: nil, now: later)))
        #expect(Self.isInvalid(await ca.validateClientCertificate(chain: [], expectedJID: nil, now: later)))

        // Revoked: refused at once, no CRL round-trip needed.
        try ca.revoke(serialHex: issued.serialHex, reason: .keyCompromise, now: later)
        let revoked = await ca.validateClientCertificate(chain: [leaf], expectedJID: nil, now: later)
        guard case .invalid(let reason) = revoked else {
            Issue.record("revoked certificate accepted")
            return
        }
        #expect(reason.contains("revoked"))
    }

    static func isInvalid(_ result: ClientCertificateValidation) -> Bool {
        if case .invalid = result { return true }
        return false
    }
}
