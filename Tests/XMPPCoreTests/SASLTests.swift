import Foundation
import Testing

@testable import XMPPCore

/// SCRAM (RFC 5802, RFC 7677) and PLAIN (RFC 4616) as transcripts replayed without sockets.
@Suite struct SASLTests {
    /// One RFC test vector: the exchange for user "user", password "pencil".
    struct Vector: Sendable, CustomTestStringConvertible {
        /// The mechanism.
        var hash: SCRAMHash
        /// `c-nonce`.
        var clientNonce: String
        /// `s-nonce`, returned by the injected generator.
        var serverNonce: String
        /// The base64 salt.
        var salt: String
        /// The expected client-final-message.
        var clientFinal: String
        /// The expected server-final-message.
        var serverFinal: String
        /// The mechanism name in test output.
        var testDescription: String { self.hash.rawValue }

        /// The expected server-first-message.
        var serverFirst: String { "r=\(self.clientNonce)\(self.serverNonce),s=\(self.salt),i=4096" }
        /// The stored credentials for password "pencil".
        var credentials: SCRAMCredentials {
            .derive(
                password: "pencil", salt: Array(Data(base64Encoded: self.salt)!), iterations: 4096, hash: self.hash)
        }
    }

    /// RFC 5802 §5 and RFC 7677 §3.
    static let vectors = [
        Vector(
            hash: .sha1, clientNonce: "fyko+d2lbbFgONRv9qkxdawL", serverNonce: "3rfcNHYJY1ZVvWVs7j",
            salt: "QSXCR+Q6sek8bf92",
            clientFinal: "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
            serverFinal: "v=rmF9pqV8S7suAoZWja4dJRkFsKQ="),
        Vector(
            hash: .sha256, clientNonce: "rOprNGfwEbeRWgbNEkqO", serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
            salt: "W22ZaJ0SNY7soEsUEjb6gQ==",
            clientFinal:
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="),
    ]

    /// UTF-8 bytes of a message.
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Runs the server to the point where it has sent its challenge.
    static func challenged(
        _ hash: SCRAMHash, first: String, credentials: SCRAMCredentials?, serverNonce: String = "SERVERNONCE"
    ) -> (SCRAMServer, SCRAMServer.Action) {
        var server = SCRAMServer(hash: hash, nonceGenerator: { serverNonce })
        guard case .lookUpCredentials = server.receiveInitialResponse(Self.bytes(first)) else {
            Issue.record("expected a credentials lookup")
            return (server, .failure(.malformedRequest, reason: ""))
        }
        let challenge = server.credentialsFound(credentials)
        return (server, challenge)
    }

    @Test(arguments: Self.vectors)
    func serverReplaysRFCExample(vector: Vector) {
        var server = SCRAMServer(hash: vector.hash, nonceGenerator: { vector.serverNonce })
        // client sends client-first; server asks for the credentials of "user"
        #expect(
            server.receiveInitialResponse(Self.bytes("n,,n=user,r=\(vector.clientNonce)"))
                == .lookUpCredentials(username: "user"))
        // server replies with server-first
        #expect(server.credentialsFound(vector.credentials) == .challenge(Self.bytes(vector.serverFirst)))
        // client sends client-final with the proof; server replies with server-final
        #expect(
            server.receiveResponse(Self.bytes(vector.clientFinal))
                == .success(additionalData: Self.bytes(vector.serverFinal), username: "user", authzid: nil))
    }

    @Test(arguments: Self.vectors)
    func clientReplaysRFCExample(vector: Vector) throws {
        var client = SCRAMClient(hash: vector.hash, username: "user", password: "pencil", nonce: vector.clientNonce)
        #expect(client.clientFirstMessage() == Self.bytes("n,,n=user,r=\(vector.clientNonce)"))
        let final = try client.clientFinalMessage(serverFirst: Self.bytes(vector.serverFirst))
        #expect(final == Self.bytes(vector.clientFinal))
        #expect(client.verifyServerFinal(Self.bytes(vector.serverFinal)))
        #expect(!client.verifyServerFinal(Self.bytes("v=AAAA")))
    }

    @Test(arguments: SCRAMHash.allCases)
    func clientAndServerRoundTrip(hash: SCRAMHash) throws {
        let credentials = SCRAMCredentials.derive(
            password: "s3cret,=pw", salt: Array("0123456789abcdef".utf8), iterations: 4096, hash: hash)
        var client = SCRAMClient(hash: hash, username: "cloud,=one", password: "s3cret,=pw", nonce: "clientnonce")
        var server = SCRAMServer(hash: hash, nonceGenerator: { "servernonce" })
        #expect(
            server.receiveInitialResponse(client.clientFirstMessage()) == .lookUpCredentials(username: "cloud,=one"))
        guard case .challenge(let serverFirst) = server.credentialsFound(credentials) else {
            Issue.record("expected a challenge")
            return
        }
        let final = try client.clientFinalMessage(serverFirst: serverFirst)
        guard case .success(let additionalData, let username, nil) = server.receiveResponse(final) else {
            Issue.record("expected success")
            return
        }
        #expect(username == "cloud,=one")
        #expect(client.verifyServerFinal(additionalData))
    }

    @Test(arguments: SCRAMHash.allCases)
    func wrongPasswordIsNotAuthorized(hash: SCRAMHash) throws {
        let stored = SCRAMCredentials.derive(password: "right", salt: [1, 2, 3], iterations: 4096, hash: hash)
        var client = SCRAMClient(hash: hash, username: "user", password: "wrong", nonce: "abc")
        var (server, challenge) = Self.challenged(hash, first: "n,,n=user,r=abc", credentials: stored)
        guard case .challenge(let serverFirst) = challenge else { throw TestFailure() }
        let final = try client.clientFinalMessage(serverFirst: serverFirst)
        guard case .failure(.notAuthorized, _) = server.receiveResponse(final) else {
            throw TestFailure()
        }
    }

    @Test func unknownUserRunsTheFullExchangeThenFails() throws {
        // client sends client-first for a user the registry does not know
        var (server, challenge) = Self.challenged(.sha256, first: "n,,n=ghost,r=abc", credentials: nil)
        guard case .challenge(let serverFirst) = challenge else { throw TestFailure() }
        // the challenge looks like any other, with a salt that is stable for the name
        let (_, again) = Self.challenged(.sha256, first: "n,,n=ghost,r=abc", credentials: nil)
        #expect(again == challenge)
        let (_, other) = Self.challenged(.sha256, first: "n,,n=phantom,r=abc", credentials: nil)
        #expect(other != challenge)
        #expect(String(decoding: serverFirst, as: UTF8.self).hasSuffix(",i=4096"))
        var client = SCRAMClient(hash: .sha256, username: "ghost", password: "guess", nonce: "abc")
        let final = try client.clientFinalMessage(serverFirst: serverFirst)
        guard case .failure(.notAuthorized, _) = server.receiveResponse(final) else { throw TestFailure() }
    }

    @Test func credentialsForAnotherMechanismAreTreatedAsUnknown() throws {
        let sha1 = SCRAMCredentials.derive(password: "pencil", salt: [9], iterations: 4096, hash: .sha1)
        var (server, challenge) = Self.challenged(.sha256, first: "n,,n=user,r=abc", credentials: sha1)
        guard case .challenge(let serverFirst) = challenge else { throw TestFailure() }
        var client = SCRAMClient(hash: .sha256, username: "user", password: "pencil", nonce: "abc")
        let final = try client.clientFinalMessage(serverFirst: serverFirst)
        guard case .failure(.notAuthorized, _) = server.receiveResponse(final) else { throw TestFailure() }
    }

    @Test func tamperedNonceIsRejected() {
        let vector = Self.vectors[0]
        var (server, _) = Self.challenged(
            .sha1, first: "n,,n=user,r=\(vector.clientNonce)", credentials: vector.credentials,
            serverNonce: vector.serverNonce)
        let tampered = vector.clientFinal.replacingOccurrences(of: "3rfcNHYJ", with: "3rfcNHYK")
        #expect(tampered != vector.clientFinal)
        let action = server.receiveResponse(Self.bytes(tampered))
        guard case .failure(.notAuthorized, _) = action else {
            Issue.record("a tampered nonce must fail, got \(action)")
            return
        }
    }

    @Test func yFlagAndAuthzidAreEchoedInChannelBinding() throws {
        for (header, authzid) in [("y,,", String?.none), ("n,a=user,", "user"), ("y,a=a=3Db,", "a=b")] {
            let credentials = SCRAMCredentials.derive(password: "pw", salt: [7], iterations: 4096, hash: .sha256)
            var (server, challenge) = Self.challenged(.sha256, first: "\(header)n=user,r=abc", credentials: credentials)
            guard case .challenge(let serverFirst) = challenge else { throw TestFailure() }
            let keys = SCRAMKeys(password: "pw", salt: [7], iterations: 4096, hash: .sha256)
            let serverFirstText = String(decoding: serverFirst, as: UTF8.self)
            let nonce = serverFirstText.split(separator: ",")[0].dropFirst(2)
            let cbind = "c=\(Data(header.utf8).base64EncodedString()),r=\(nonce)"
            let authMessage = Self.bytes("n=user,r=abc,\(serverFirstText),\(cbind)")
            let proof = SCRAMMessage.xor(keys.clientKey, SCRAMHash.sha256.hmac(key: keys.storedKey, authMessage))
            let final = Self.bytes("\(cbind),p=\(Data(proof).base64EncodedString())")
            guard case .success(_, "user", let echoed) = server.receiveResponse(final) else {
                Issue.record("header \(header) should authenticate")
                continue
            }
            #expect(echoed == authzid)
        }
    }

    @Test func channelBindingMismatchFails() {
        let vector = Self.vectors[0]
        var (server, _) = Self.challenged(
            .sha1, first: "y,,n=user,r=\(vector.clientNonce)", credentials: vector.credentials,
            serverNonce: vector.serverNonce)
        // the client claimed "y" but echoes "n,," (c=biws): a downgrade
        guard case .failure(.notAuthorized, _) = server.receiveResponse(Self.bytes(vector.clientFinal)) else {
            Issue.record("a mismatched channel-binding echo must fail")
            return
        }
    }

    @Test(arguments: [
        "p=tls-unique,,n=user,r=abc",  // channel binding requested
        "n,,m=ext,n=user,r=abc",  // reserved mandatory extension
        "n,,r=abc",  // no username
        "n,,n=user",  // no nonce
        "n,,n=user,r=",  // empty nonce
        "n,,n=,r=abc",  // empty username
        "n,,n=us=2Xer,r=abc",  // bad saslname escape
        "x,,n=user,r=abc",  // unknown GS2 flag
        "n,b=x,n=user,r=abc",  // authzid without a=
        "n,n=user,r=abc",  // no GS2 header
        "",
    ])
    func malformedClientFirstIsRejected(message: String) {
        var server = SCRAMServer(hash: .sha256, nonceGenerator: { "nonce" })
        guard case .failure(.malformedRequest, _) = server.receiveInitialResponse(Self.bytes(message)) else {
            Issue.record("'\(message)' must be malformed-request")
            return
        }
    }

    @Test(arguments: [
        "c=biws,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",  // missing r=
        "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j",  // missing p=
        "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=not*base64",  // bad base64 proof
        "c=b!ws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",  // bad base64 binding
        "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=AAAA",  // proof of the wrong length
        "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,c=biws,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",  // order
        "garbage",
    ])
    func malformedClientFinalIsRejected(message: String) {
        let vector = Self.vectors[0]
        var (server, _) = Self.challenged(
            .sha1, first: "n,,n=user,r=\(vector.clientNonce)", credentials: vector.credentials,
            serverNonce: vector.serverNonce)
        guard case .failure(.malformedRequest, _) = server.receiveResponse(Self.bytes(message)) else {
            Issue.record("'\(message)' must be malformed-request")
            return
        }
    }

    @Test func abortAndOutOfOrderEventsFail() {
        var server = SCRAMServer(hash: .sha1, nonceGenerator: { "n" })
        guard case .failure(.malformedRequest, _) = server.receiveResponse(Self.bytes("c=biws")) else {
            Issue.record("a response before the initial response must fail")
            return
        }
        var aborting = SCRAMServer(hash: .sha1, nonceGenerator: { "n" })
        _ = aborting.receiveInitialResponse(Self.bytes("n,,n=user,r=abc"))
        guard case .failure(.aborted, _) = aborting.abort() else {
            Issue.record("abort must report aborted")
            return
        }
        guard case .failure(.malformedRequest, _) = aborting.credentialsFound(nil) else {
            Issue.record("an aborted exchange takes no more events")
            return
        }
    }

    @Test func derivationNormalisesThePassword() {
        // "ﬁ" (U+FB01) becomes "fi" under NFKC (RFC 4013 §2.2)
        let ligature = SCRAMCredentials.derive(password: "\u{FB01}sh", salt: [1], iterations: 16, hash: .sha256)
        let plain = SCRAMCredentials.derive(password: "fish", salt: [1], iterations: 16, hash: .sha256)
        #expect(ligature == plain)
        #expect(plain.storedKey.count == 32 && plain.serverKey.count == 32)
        #expect(SCRAMCredentials.derive(password: "fish", salt: [1], iterations: 16, hash: .sha1).storedKey.count == 20)
    }

    @Test func clientRejectsAForeignNonce() {
        var client = SCRAMClient(hash: .sha1, username: "user", password: "pencil", nonce: "abc")
        #expect(throws: SASLFailure.malformedRequest) {
            try client.clientFinalMessage(serverFirst: Self.bytes("r=xyz123,s=QSXCR+Q6sek8bf92,i=4096"))
        }
        #expect(!client.verifyServerFinal(Self.bytes("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")))
    }

    @Test func plainParsesAllThreeFields() throws {
        let message = try PLAINMessage(Self.bytes("admin@example.org\0alpha\0secret"))
        #expect(message == PLAINMessage(authzid: "admin@example.org", authcid: "alpha", password: "secret"))
        let noAuthzid = try PLAINMessage(Self.bytes("\0alpha\0pass word"))
        #expect(noAuthzid.authzid == nil && noAuthzid.authcid == "alpha" && noAuthzid.password == "pass word")
        #expect(try PLAINMessage(noAuthzid.bytes) == noAuthzid)
    }

    @Test(arguments: ["alpha secret", "alpha\0secret", "\0alpha\0", "\0\0secret", "a\0b\0c\0d", ""])
    func plainRejectsMalformedMessages(message: String) {
        #expect(throws: SASLFailure.malformedRequest) { try PLAINMessage(Self.bytes(message)) }
    }

    @Test func plainRejectsInvalidUTF8() {
        #expect(throws: SASLFailure.incorrectEncoding) { try PLAINMessage([0, 0xFF, 0xFE, 0, 0x61]) }
    }

    @Test func failureNamesMatchRFC6120() {
        #expect(SASLFailure.allCases.count == 11)
        #expect(SASLFailure.notAuthorized.rawValue == "not-authorized")
        #expect(SCRAMHash(rawValue: "SCRAM-SHA-256") == .sha256)
    }
}

/// Thrown when a transcript takes an unexpected turn.
struct TestFailure: Error {}
