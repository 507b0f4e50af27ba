import Testing

@testable import XMPPCore

/// Transcripts of enabling, counting and acknowledging, replayed without sockets (XEP-0198 §3, §4).
@Suite struct StreamManagementSessionTests {
    static func sm(_ name: String, _ attributes: [String: String] = [:]) -> XMLElement {
        XMLElement(name: name, namespace: Namespace.streamManagement, attributes: attributes)
    }

    static func message(_ number: Int) -> XMLElement {
        XMLElement(name: "message", namespace: Namespace.client, attributes: ["id": "m\(number)"])
    }

    /// A session after `<enable resume='true'/>`.
    static func enabledSession(_ configuration: StreamManagementSession.Configuration = .init())
        -> StreamManagementSession
    {
        var session = StreamManagementSession(configuration: configuration)
        _ = session.enable(Self.sm("enable", ["resume": "true"]), resumptionID: "sm-1")
        return session
    }

    @Test func enableAnswersEnabledWithResumptionIDAndMax() {
        var session = StreamManagementSession(configuration: .init(resumptionTimeout: 300))
        // client: <enable resume='true'/>  server: <enabled id='sm-1' resume='true' max='300'/>
        let action = session.enable(Self.sm("enable", ["resume": "true"]), resumptionID: "sm-1")
        #expect(action == .send(Self.sm("enabled", ["id": "sm-1", "resume": "true", "max": "300"])))
        #expect(session.isEnabled)
        #expect(session.resumable)
        #expect(session.resumptionID == "sm-1")
        #expect(session.resumptionTimeout == 300)
    }

    @Test func clientMaxLowersTheAdvertisedTimeout() {
        var session = StreamManagementSession()
        let action = session.enable(Self.sm("enable", ["resume": "1", "max": "60"]), resumptionID: "x")
        #expect(action == .send(Self.sm("enabled", ["id": "x", "resume": "true", "max": "60"])))
        #expect(session.resumptionTimeout == 60)
    }

    @Test func enableWithoutResumeIsNotResumable() {
        var session = StreamManagementSession()
        #expect(session.enable(Self.sm("enable"), resumptionID: "x") == .send(Self.sm("enabled")))
        #expect(session.isEnabled)
        #expect(!session.resumable)
    }

    @Test func enableTwiceFailsWithUnexpectedRequest() {
        var session = Self.enabledSession()
        let action = session.enable(Self.sm("enable", ["resume": "true"]), resumptionID: "sm-2")
        var failed = Self.sm("failed")
        failed.append(XMLElement(name: "unexpected-request", namespace: Namespace.stanzaErrors))
        #expect(action == .send(failed))
        #expect(session.resumptionID == "sm-1")
    }

    @Test func malformedEnableFailsWithBadRequest() throws {
        var session = StreamManagementSession()
        let action = session.enable(Self.sm("enable", ["resume": "yes"]), resumptionID: "x")
        guard case .send(let failed) = action else {
            Issue.record("expected <failed/>, got \(action)")
            return
        }
        #expect(try StreamManagementElement(failed) == .failed(condition: .badRequest, h: nil))
        #expect(!session.isEnabled)
    }

    @Test func sevenStanzasRequestAnAckAfterTheFifth() {
        var session = Self.enabledSession(.init(ackRequestEvery: 5))
        let actions = (1...7).map { session.outboundStanza(Self.message($0)) }
        #expect(actions[4] == .send(Self.sm("r")))
        #expect(actions.enumerated().filter { $0.offset != 4 }.allSatisfy { $0.element == .none })
        #expect(session.outboundCount == 7)
        #expect(session.unacknowledged == (1...7).map(Self.message))
    }

    @Test func ackDropsTheAcknowledgedStanzas() {
        var session = Self.enabledSession()
        for number in 1...7 { _ = session.outboundStanza(Self.message(number)) }
        // client: <a h='3'/>
        #expect(session.ackReceived(Self.sm("a", ["h": "3"])) == .none)
        #expect(session.unacknowledged == (4...7).map(Self.message))
        #expect(session.acknowledgedCount == 3)
        // A repeated ack changes nothing.
        #expect(session.ackReceived(Self.sm("a", ["h": "3"])) == .none)
        #expect(session.unacknowledged.count == 4)
    }

    @Test func ackRequestIsAnsweredWithTheInboundCount() {
        var session = Self.enabledSession()
        session.inboundStanzaHandled()
        session.inboundStanzaHandled()
        // client: <r/>  server: <a h='2'/>
        #expect(session.ackRequested() == .send(Self.sm("a", ["h": "2"])))
    }

    @Test func nothingIsCountedBeforeEnabling() {
        var session = StreamManagementSession()
        session.inboundStanzaHandled()
        #expect(session.outboundStanza(Self.message(1)) == .none)
        #expect(session.inboundCount == 0)
        #expect(session.unacknowledged.isEmpty)
        guard case .closeWithStreamError(let error, nil) = session.ackRequested() else {
            Issue.record("expected a stream error")
            return
        }
        #expect(error.condition == .unsupportedStanzaType)
    }

    @Test func countersWrapModulo2To32() {
        var session = Self.enabledSession()
        session.outboundCount = UInt32.max - 1
        session.inboundCount = UInt32.max
        for number in 1...4 { _ = session.outboundStanza(Self.message(number)) }
        #expect(session.outboundCount == 2)
        // Stanzas are numbered max, 0, 1, 2; acknowledging up to 0 drops two.
        #expect(session.ackReceived(Self.sm("a", ["h": "0"])) == .none)
        #expect(session.unacknowledged == [Self.message(3), Self.message(4)])
        #expect(session.ackReceived(Self.sm("a", ["h": "2"])) == .none)
        #expect(session.unacknowledged.isEmpty)
        session.inboundStanzaHandled()
        #expect(session.ackRequested() == .send(Self.sm("a", ["h": "0"])))
    }

    @Test func ackBeyondWhatWasSentIsHandledCountTooHigh() {
        var session = Self.enabledSession()
        for number in 1...8 { _ = session.outboundStanza(Self.message(number)) }
        let action = session.ackReceived(Self.sm("a", ["h": "10"]))
        let condition = Self.sm("handled-count-too-high", ["h": "10", "send-count": "8"])
        #expect(action == .closeWithStreamError(.handledCountTooHigh, applicationCondition: condition))
        #expect(StreamError.handledCountTooHigh.condition == .undefinedCondition)
        #expect(!session.isEnabled)
        #expect(session.unacknowledged.count == 8)
        let element = StreamError.handledCountTooHigh.makeElement(applicationCondition: condition)
        #expect(element.child(named: "handled-count-too-high", namespace: Namespace.streamManagement) != nil)
        #expect(element.child(named: "undefined-condition", namespace: Namespace.streamErrors) != nil)
    }

    @Test func ackBehindTheLastAckIsTooHighModulo2To32() {
        var session = Self.enabledSession()
        for number in 1...4 { _ = session.outboundStanza(Self.message(number)) }
        _ = session.ackReceived(Self.sm("a", ["h": "3"]))
        guard case .closeWithStreamError(let error, _) = session.ackReceived(Self.sm("a", ["h": "2"])) else {
            Issue.record("expected a stream error")
            return
        }
        #expect(error == .handledCountTooHigh)
    }

    @Test func malformedAckClosesWithBadFormat() {
        var session = Self.enabledSession()
        let action = session.ackReceived(Self.sm("a", ["h": "-1"]))
        guard case .closeWithStreamError(let error, nil) = action else {
            Issue.record("expected a stream error, got \(action)")
            return
        }
        #expect(error.condition == .badFormat)
    }

    @Test func exceedingTheUnackedBoundIsAResourceConstraint() {
        var session = Self.enabledSession(.init(maxUnacked: 3, ackRequestEvery: 100))
        for number in 1...3 { #expect(session.outboundStanza(Self.message(number)) == .none) }
        guard case .closeWithStreamError(let error, nil) = session.outboundStanza(Self.message(4)) else {
            Issue.record("expected a stream error")
            return
        }
        #expect(error.condition == .resourceConstraint)
        #expect(session.unacknowledged == (1...4).map(Self.message))
        #expect(!session.isEnabled)
        #expect(!session.resumable)
    }
}

/// Transcripts of a stream breaking and the client resuming on a new one (XEP-0198 §5).
@Suite struct StreamManagementResumptionTests {
    static func sm(_ name: String, _ attributes: [String: String] = [:]) -> XMLElement {
        StreamManagementSessionTests.sm(name, attributes)
    }

    static func message(_ number: Int) -> XMLElement {
        StreamManagementSessionTests.message(number)
    }

    /// An enabled, resumable session that sent five stanzas, got `<a h='1'/>`, handled two inbound stanzas and
    /// then lost its stream.
    static func detachedSession() -> StreamManagementSession {
        var session = StreamManagementSessionTests.enabledSession(.init(ackRequestEvery: 100))
        for number in 1...5 { _ = session.outboundStanza(Self.message(number)) }
        _ = session.ackReceived(Self.sm("a", ["h": "1"]))
        session.inboundStanzaHandled()
        session.inboundStanzaHandled()
        let detached = session.detach()
        #expect(detached)
        return session
    }

    @Test func resumeDropsAcknowledgedAndResendsTheRestInOrderOnce() {
        var session = Self.detachedSession()
        #expect(session.isDetached)
        // client: <resume previd='sm-1' h='3'/>  server: <resumed previd='sm-1' h='2'/> then stanzas 4 and 5
        let outcome = session.resume(Self.sm("resume", ["previd": "sm-1", "h": "3"]))
        let resumed = Self.sm("resumed", ["previd": "sm-1", "h": "2"])
        #expect(outcome == .resumed(resumed, resend: [Self.message(4), Self.message(5)]))
        #expect(session.isEnabled)
        #expect(!session.isDetached)
        #expect(session.unacknowledged == [Self.message(4), Self.message(5)])
        // A second resume of the same id fails: the session is attached again.
        #expect(
            session.resume(clientHandled: 3, previd: "sm-1") == .failed(StreamManagementSession.unknownSessionFailure))
    }

    @Test func resumedSessionKeepsCountingFromTheAgreedNumbers() {
        var session = Self.detachedSession()
        _ = session.resume(clientHandled: 5, previd: "sm-1")
        #expect(session.unacknowledged.isEmpty)
        #expect(session.outboundStanza(Self.message(6)) == .none)
        #expect(session.outboundCount == 6)
        session.inboundStanzaHandled()
        #expect(session.ackRequested() == .send(Self.sm("a", ["h": "3"])))
        #expect(session.ackReceived(Self.sm("a", ["h": "6"])) == .none)
        #expect(session.unacknowledged.isEmpty)
    }

    @Test func resumeWithAnImpossibleHandledCountFails() {
        var session = Self.detachedSession()
        let outcome = session.resume(clientHandled: 9, previd: "sm-1")
        let failed = StreamManagementElement.failed(condition: .itemNotFound, h: 2).makeElement()
        #expect(outcome == .failed(failed))
        #expect(!session.isDetached)
        #expect(session.unacknowledged.count == 4)
        #expect(
            session.resume(clientHandled: 1, previd: "sm-1") == .failed(StreamManagementSession.unknownSessionFailure))
    }

    @Test func resumeOfAnotherIDOrAnAttachedSessionFails() {
        var detached = Self.detachedSession()
        #expect(
            detached.resume(clientHandled: 1, previd: "other") == .failed(StreamManagementSession.unknownSessionFailure)
        )
        var attached = StreamManagementSessionTests.enabledSession()
        #expect(
            attached.resume(clientHandled: 0, previd: "sm-1") == .failed(StreamManagementSession.unknownSessionFailure))
    }

    @Test func malformedResumeFailsWithBadRequestAndKeepsTheSession() {
        var session = Self.detachedSession()
        let outcome = session.resume(Self.sm("resume", ["previd": "sm-1", "h": "many"]))
        #expect(outcome == .failed(StreamManagementElement.failed(condition: .badRequest, h: nil).makeElement()))
        #expect(session.isDetached)
    }

    @Test func nonResumableSessionCannotDetach() {
        var session = StreamManagementSession()
        _ = session.enable(Self.sm("enable"), resumptionID: "x")
        let detached = session.detach()
        #expect(!detached)
        #expect(!session.isEnabled)
    }
}
