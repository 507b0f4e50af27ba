import Testing

@testable import XMPPCore

/// The SASL GSSAPI server machine (RFC 4752 §3.1) replayed with recorded MIT Kerberos tokens and a fake acceptor.
@Suite struct GSSAPIServerTests {
    typealias Recorded = RecordedGSSAPIExchange

    @Test func theRecordedExchangeAuthenticatesTheClientWithItsAuthzid() {
        let acceptor = RecordedAcceptor.recorded()
        var server = GSSAPIServer(acceptor: acceptor)
        #expect(server.receive(Recorded.apReq) == .challenge(Recorded.apRep))
        // RFC 4752 §3.1: the answer to the last context token is empty; then the wrapped offer follows.
        #expect(server.receive([]) == .challenge(Recorded.offer))
        #expect(
            server.receive(Recorded.reply)
                == .success(principal: Recorded.principal, authzid: "alpha@intercloud.localhost"))
        #expect(acceptor.calls == ["accept", "wrap", "unwrap"])
        // The exchange is over: anything more is refused without touching the acceptor.
        guard case .failure(.malformedRequest, _) = server.receive([1]) else {
            Issue.record("data after success must fail")
            return
        }
        #expect(acceptor.calls.count == 3)
    }

    @Test func theOfferIsExactlyNoSecurityLayerWithSizeZero() {
        let acceptor = RecordedAcceptor.recorded()
        acceptor.wraps = [:]
        var server = GSSAPIServer(acceptor: acceptor)
        _ = server.receive(Recorded.apReq)
        // The fake only wraps what it is told to expect; anything but 01 00 00 00 fails.
        guard case .failure = server.receive([]) else {
            Issue.record("the offer must be wrapped by the acceptor")
            return
        }
        var exact = GSSAPIServer(acceptor: RecordedAcceptor.recorded())
        _ = exact.receive(Recorded.apReq)
        #expect(exact.receive([]) == .challenge(Recorded.offer))
    }

    @Test func withoutAnOutputTokenTheOfferFollowsImmediately() {
        var server = GSSAPIServer(acceptor: RecordedAcceptor.recorded(output: []))
        #expect(server.receive(Recorded.apReq) == .challenge(Recorded.offer))
        #expect(
            server.receive(Recorded.reply)
                == .success(principal: Recorded.principal, authzid: "alpha@intercloud.localhost"))
    }

    @Test func continuationTokensGoBackAndForthUntilComplete() {
        let first: [UInt8] = [0x60, 1]
        let second: [UInt8] = [2]
        let acceptor = RecordedAcceptor(
            accepts: [
                first: .success(.continueNeeded([9, 9])),
                second: .success(.complete(output: [], initiator: "bob@EXAMPLE.ORG", flags: [.integrity, .mutual])),
            ],
            unwraps: [[7]: [1, 0, 0, 0]], wraps: [[1, 0, 0, 0]: [5]])
        var server = GSSAPIServer(acceptor: acceptor)
        #expect(server.receive(first) == .challenge([9, 9]))
        #expect(server.receive(second) == .challenge([5]))
        #expect(server.receive([7]) == .success(principal: "bob@EXAMPLE.ORG", authzid: nil))
    }

    @Test func aReplayedInitialTokenIsNotAuthorized() {
        let acceptor = RecordedAcceptor.recorded()
        var first = GSSAPIServer(acceptor: acceptor)
        #expect(first.receive(Recorded.apReq) == .challenge(Recorded.apRep))
        var replay = GSSAPIServer(acceptor: acceptor)
        guard case .failure(.notAuthorized, let reason) = replay.receive(Recorded.apReq) else {
            Issue.record("a replay must be not-authorized")
            return
        }
        #expect(reason.contains("replay"))
    }

    @Test(arguments: GSSAPIFailure.Code.allCases)
    func acceptorFailuresBecomeTheirSASLCondition(code: GSSAPIFailure.Code) {
        let failure = GSSAPIFailure(code, reason: "mechanism says no")
        var server = GSSAPIServer(acceptor: RecordedAcceptor(accepts: [Recorded.apReq: .failure(failure)]))
        guard case .failure(let condition, let reason) = server.receive(Recorded.apReq) else {
            Issue.record("expected a failure")
            return
        }
        let expected: SASLFailure =
            switch code {
            case .defectiveToken: .malformedRequest
            case .expired: .credentialsExpired
            case .serverCredentials: .temporaryAuthFailure
            default: .notAuthorized
            }
        #expect(condition == expected)
        #expect(reason.contains(code.rawValue) && reason.contains("mechanism says no"))
    }

    @Test func aTokenWithoutGSSFramingIsMalformedAndNeverReachesTheAcceptor() {
        let acceptor = RecordedAcceptor.recorded()
        var server = GSSAPIServer(acceptor: acceptor)
        guard case .failure(.malformedRequest, _) = server.receive(Array("not a kerberos token".utf8)) else {
            Issue.record("expected malformed-request")
            return
        }
        var empty = GSSAPIServer(acceptor: acceptor)
        guard case .failure(.malformedRequest, _) = empty.receive([]) else {
            Issue.record("an empty context token is malformed")
            return
        }
        #expect(acceptor.calls.isEmpty)
    }

    @Test func anonymousOrIntegrityLessContextsAreRefused() {
        var anonymous = GSSAPIServer(acceptor: RecordedAcceptor.recorded(flags: [.integrity, .anonymous]))
        guard case .failure(.notAuthorized, _) = anonymous.receive(Recorded.apReq) else {
            Issue.record("anonymous principals must not log in")
            return
        }
        var weak = GSSAPIServer(acceptor: RecordedAcceptor.recorded(flags: [.mutual]))
        guard case .failure(.mechanismTooWeak, _) = weak.receive(Recorded.apReq) else {
            Issue.record("a context without integrity cannot carry the security layer negotiation")
            return
        }
    }

    @Test func aNonEmptyAnswerToTheLastContextTokenIsMalformed() {
        var server = GSSAPIServer(acceptor: RecordedAcceptor.recorded())
        _ = server.receive(Recorded.apReq)
        guard case .failure(.malformedRequest, _) = server.receive([1, 2, 3]) else {
            Issue.record("expected malformed-request")
            return
        }
    }

    @Test(arguments: [
        ([UInt8]([2, 0, 0, 0]), SASLFailure.malformedRequest),  // integrity layer: not offered
        ([4, 0, 0, 0], .malformedRequest),  // confidentiality layer: not offered
        ([1, 0, 0], .malformedRequest),  // too short
        ([1, 0, 0, 0, 0xff, 0xfe], .incorrectEncoding),  // authzid not UTF-8
    ])
    func badSecurityLayerChoicesAreRefused(plaintext: [UInt8], condition: SASLFailure) {
        let acceptor = RecordedAcceptor.recorded()
        acceptor.unwraps = [Recorded.reply: plaintext]
        var server = GSSAPIServer(acceptor: acceptor)
        _ = server.receive(Recorded.apReq)
        _ = server.receive([])
        guard case .failure(let actual, _) = server.receive(Recorded.reply) else {
            Issue.record("expected a failure")
            return
        }
        #expect(actual == condition)
    }

    @Test func anEmptyAuthzidMeansTheAuthenticatedIdentityAndSizeIsIgnored() {
        let acceptor = RecordedAcceptor.recorded()
        acceptor.unwraps = [Recorded.reply: [1, 0xff, 0xff, 0xff]]
        var server = GSSAPIServer(acceptor: acceptor)
        _ = server.receive(Recorded.apReq)
        _ = server.receive([])
        #expect(server.receive(Recorded.reply) == .success(principal: Recorded.principal, authzid: nil))
    }

    @Test func aTamperedSecurityLayerReplyIsNotAuthorized() {
        var server = GSSAPIServer(acceptor: RecordedAcceptor.recorded())
        _ = server.receive(Recorded.apReq)
        _ = server.receive([])
        var tampered = Recorded.reply
        tampered[tampered.count - 1] ^= 1
        guard case .failure(.notAuthorized, _) = server.receive(tampered) else {
            Issue.record("a wrapped token that does not verify must fail")
            return
        }
    }

    @Test func endlessContextTokensStop() {
        let tokens = (0..<20).map { [UInt8(0x60), UInt8($0)] }
        var accepts: [[UInt8]: Result<GSSAPIAcceptStep, GSSAPIFailure>] = [:]
        for token in tokens { accepts[token] = .success(.continueNeeded([1])) }
        var server = GSSAPIServer(acceptor: RecordedAcceptor(accepts: accepts))
        var last = GSSAPIServer.Action.challenge([])
        for token in tokens.prefix(GSSAPIServer.maximumContextRounds + 1) { last = server.receive(token) }
        guard case .failure(.malformedRequest, _) = last else {
            Issue.record("expected the loop to be cut")
            return
        }
    }
}
