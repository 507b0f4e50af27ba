/// The server side of Stream Management for one client session, as a pure state machine (XEP-0198 §3–§5).
///
/// The driver creates one after resource binding (XEP-0198 §3: enabling before binding is refused by the caller) and
/// feeds it every event: `<enable/>`, each inbound stanza handled, each outbound stanza, `<r/>` and `<a/>`. It keeps
/// the counts modulo 2^32 and the queue of stanzas the client has not acknowledged, which the driver resends on
/// resumption (§5) or treats as undelivered when the session dies (§5: bounce, or store offline).
///
/// Nothing here touches a socket or a clock: the resumption id comes from the caller, timeouts are plain seconds
/// handled by ``DetachedSessions``.
public struct StreamManagementSession: Sendable {
    /// Static policy (XEP-0198 §3, §4, §5).
    public struct Configuration: Sendable, Equatable {
        /// Unacknowledged outbound stanzas kept before the stream is closed with `resource-constraint`; the
        /// server must not buffer without bound for a client that never acks (XEP-0198 §4, §9 security).
        public var maxUnacked: Int
        /// Send `<r/>` after this many outbound stanzas since the previous request (XEP-0198 §4: "when to send an
        /// acknowledgement request is up to the implementation").
        public var ackRequestEvery: Int
        /// The longest a detached session waits for `<resume/>`, in seconds; advertised as `max` (XEP-0198 §3, §5).
        /// Zero disables resumption.
        public var resumptionTimeout: Int

        /// Creates a configuration; the defaults keep 1000 stanzas, ask for acks every 5 and allow 5 minutes.
        public init(maxUnacked: Int = 1000, ackRequestEvery: Int = 5, resumptionTimeout: Int = 300) {
            self.maxUnacked = maxUnacked
            self.ackRequestEvery = ackRequestEvery
            self.resumptionTimeout = resumptionTimeout
        }
    }

    /// What the driver must do next (XEP-0198 §3–§4).
    public enum Action: Sendable, Equatable {
        /// Nothing to do; for an outbound stanza, just send it.
        case none
        /// Send this Stream Management element (`<enabled/>`, `<failed/>`, `<a/>`). From
        /// ``outboundStanza(_:)`` it is an `<r/>` to write right after the stanza (XEP-0198 §4).
        case send(XMLElement)
        /// Send the stream error (with the optional application-specific condition, RFC 6120 §4.9.4) and close the
        /// stream. The session is then unusable; handle ``unacknowledged`` as undelivered (XEP-0198 §4, §5).
        case closeWithStreamError(StreamError, applicationCondition: XMLElement?)
    }

    /// Where the session stands in XEP-0198 §3–§5; private to the machine, read through the computed properties.
    enum State: Sendable, Equatable {
        /// `<enable/>` has not been received (XEP-0198 §3).
        case disabled
        /// Enabled; `resumptionID` is set when the session may be resumed, `attached` is false while it waits
        /// for `<resume/>` (XEP-0198 §5).
        case enabled(resumptionID: String?, attached: Bool)
        /// A protocol violation ended the stream; nothing more is counted (XEP-0198 §4).
        case failed
    }

    /// The policy this session runs with.
    public let configuration: Configuration
    /// The current state (XEP-0198 §3–§5).
    var state: State = .disabled
    /// Outbound stanzas not yet acknowledged, oldest first; the last one has number ``outboundCount``.
    var queue: [XMLElement] = []
    /// Outbound stanzas since the last `<r/>` we sent (XEP-0198 §4).
    var sentSinceAckRequest = 0

    /// Stanzas received from the client and handled, modulo 2^32: the `h` we report (XEP-0198 §4).
    public internal(set) var inboundCount: UInt32 = 0
    /// Stanzas sent to the client since enabling, modulo 2^32 (XEP-0198 §4).
    public internal(set) var outboundCount: UInt32 = 0
    /// The resumption timeout agreed in `<enabled max=…/>`, in seconds (XEP-0198 §3); zero until enabled.
    public private(set) var resumptionTimeout = 0

    /// Creates a disabled session; nothing is counted until ``enable(_:resumptionID:)`` (XEP-0198 §3).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Whether `<enabled/>` was sent and the stream is still good (XEP-0198 §3).
    public var isEnabled: Bool {
        if case .enabled = self.state { return true }
        return false
    }

    /// Whether the session may be resumed after the stream breaks (XEP-0198 §5).
    public var resumable: Bool { self.resumptionID != nil }

    /// The id given in `<enabled id=…/>` and expected as `previd` (XEP-0198 §3, §5).
    public var resumptionID: String? {
        if case .enabled(let id?, _) = self.state { return id }
        return nil
    }

    /// The last `h` the client acknowledged, modulo 2^32 (XEP-0198 §4).
    public var acknowledgedCount: UInt32 { self.outboundCount &- UInt32(truncatingIfNeeded: self.queue.count) }

    /// The stanzas the client has not acknowledged, oldest first (XEP-0198 §5: resend on resumption, otherwise
    /// treat as undelivered).
    public var unacknowledged: [XMLElement] { self.queue }

    /// `<enable/>` arrived (XEP-0198 §3): answers `<enabled/>` (with `id`, `resume='true'` and `max` when the client
    /// asked for resumption and the configuration allows it), or `<failed/>` with `unexpected-request` when already
    /// enabled and `bad-request` when the element is malformed.
    public mutating func enable(_ element: XMLElement, resumptionID: String) -> Action {
        guard case .disabled = self.state else {
            return .send(StreamManagementElement.failed(condition: .unexpectedRequest, h: nil).makeElement())
        }
        let parsed: StreamManagementElement?
        do {
            parsed = try StreamManagementElement(element)
        } catch {
            return .send(StreamManagementElement.failed(condition: .badRequest, h: nil).makeElement())
        }
        guard case .enable(let resume, let clientMax) = parsed else {
            return .send(StreamManagementElement.failed(condition: .badRequest, h: nil).makeElement())
        }
        guard resume, self.configuration.resumptionTimeout > 0 else {
            self.state = .enabled(resumptionID: nil, attached: true)
            return .send(StreamManagementElement.enabled(id: nil, resume: false, max: nil).makeElement())
        }
        let timeout = min(clientMax ?? Int.max, self.configuration.resumptionTimeout)
        self.resumptionTimeout = timeout
        self.state = .enabled(resumptionID: resumptionID, attached: true)
        return .send(StreamManagementElement.enabled(id: resumptionID, resume: true, max: timeout).makeElement())
    }

    /// An inbound stanza was handled: the inbound count `h` grows by one, modulo 2^32 (XEP-0198 §4). Only stanzas
    /// (message, presence, iq) count, not nonzas such as `<r/>`.
    public mutating func inboundStanzaHandled() {
        guard self.isEnabled else { return }
        self.inboundCount &+= 1
    }

    /// An outbound stanza is about to be sent (XEP-0198 §4): once enabled it joins the unacknowledged queue.
    /// Returns `.send(<r/>)` every ``Configuration/ackRequestEvery`` stanzas, or `resource-constraint` when the
    /// queue would exceed ``Configuration/maxUnacked`` (then do not send the stanza; it is in ``unacknowledged``).
    public mutating func outboundStanza(_ stanza: XMLElement) -> Action {
        guard self.isEnabled else { return .none }
        self.queue.append(stanza)
        self.outboundCount &+= 1
        if self.queue.count > self.configuration.maxUnacked {
            self.state = .failed
            return .closeWithStreamError(
                StreamError(.resourceConstraint, text: "too many unacknowledged stanzas"), applicationCondition: nil)
        }
        self.sentSinceAckRequest += 1
        guard self.sentSinceAckRequest >= self.configuration.ackRequestEvery else { return .none }
        self.sentSinceAckRequest = 0
        return .send(StreamManagementElement.r.makeElement())
    }

    /// `<r/>` arrived: answer `<a h=…/>` with the inbound count (XEP-0198 §4). Before enabling, `<r/>` is an
    /// unknown top-level element (RFC 6120 §4.9.3.22 `unsupported-stanza-type`).
    public mutating func ackRequested() -> Action {
        guard self.isEnabled else { return self.notEnabled() }
        return .send(StreamManagementElement.a(h: self.inboundCount).makeElement())
    }

    /// `<a h=…/>` arrived: drop the stanzas it acknowledges, counting modulo 2^32 (XEP-0198 §4). An `h` beyond
    /// what was sent closes the stream with `undefined-condition` and `<handled-count-too-high/>` (XEP-0198 §4);
    /// a malformed `h` with `bad-format`.
    public mutating func ackReceived(_ element: XMLElement) -> Action {
        guard self.isEnabled else { return self.notEnabled() }
        let h: UInt32
        do {
            guard case .a(let value) = try StreamManagementElement(element) else {
                return self.fail(StreamError(.badFormat, text: "expected <a/>"))
            }
            h = value
        } catch {
            return self.fail(error.streamError)
        }
        guard self.acknowledge(upTo: h) else {
            return self.fail(
                .handledCountTooHigh,
                applicationCondition: StreamManagementElement.handledCountTooHigh(h: h, sendCount: self.outboundCount)
                    .makeElement())
        }
        return .none
    }

    /// Drops the stanzas up to sequence number `h`; false when `h` is beyond ``outboundCount`` (XEP-0198 §4).
    mutating func acknowledge(upTo h: UInt32) -> Bool {
        let newlyAcknowledged = h &- self.acknowledgedCount
        guard newlyAcknowledged <= UInt32(truncatingIfNeeded: self.queue.count) else { return false }
        self.queue.removeFirst(Int(newlyAcknowledged))
        return true
    }

    private mutating func notEnabled() -> Action {
        self.fail(StreamError(.unsupportedStanzaType, text: "stream management is not enabled"))
    }

    /// Ends the session with a stream error; the queue is kept for the driver to bounce (XEP-0198 §4, §5).
    mutating func fail(_ error: StreamError, applicationCondition: XMLElement? = nil) -> Action {
        self.state = .failed
        return .closeWithStreamError(error, applicationCondition: applicationCondition)
    }
}

extension StreamManagementSession {
    /// How a `<resume/>` ended (XEP-0198 §5).
    public enum ResumeOutcome: Sendable, Equatable {
        /// Send `resumed` (`<resumed previd=… h=…/>`), then each of `resend`, oldest first; they stay in
        /// ``StreamManagementSession/unacknowledged`` until the client acknowledges them (XEP-0198 §5).
        case resumed(XMLElement, resend: [XMLElement])
        /// Send this `<failed/>` (`item-not-found` or `unexpected-request`, with our `h` when known). The session
        /// cannot be resumed any more: treat ``StreamManagementSession/unacknowledged`` as undelivered
        /// (XEP-0198 §5).
        case failed(XMLElement)
    }

    /// The `<failed/>` for a `<resume/>` whose `previd` names no detached session, e.g. expired or already resumed
    /// (XEP-0198 §5: `item-not-found`).
    public static let unknownSessionFailure = StreamManagementElement.failed(condition: .itemNotFound, h: nil)
        .makeElement()

    /// Whether the stream carrying this session broke and it now waits for `<resume/>` (XEP-0198 §5).
    public var isDetached: Bool {
        if case .enabled(_?, attached: false) = self.state { return true }
        return false
    }

    /// The stream carrying this session broke without `</stream:stream>` (XEP-0198 §5): a resumable session now
    /// waits for `<resume/>`; any other session is over and its ``unacknowledged`` stanzas are undelivered.
    /// Returns whether the session can be resumed.
    @discardableResult
    public mutating func detach() -> Bool {
        guard case .enabled(let id?, _) = self.state else {
            self.state = .failed
            return false
        }
        self.state = .enabled(resumptionID: id, attached: false)
        self.sentSinceAckRequest = 0
        return true
    }

    /// The client sent `<resume previd=… h=…/>` on a new stream for this detached session (XEP-0198 §5).
    ///
    /// Drops what the client acknowledged (`h`, modulo 2^32) and answers `<resumed previd=… h=inbound/>` plus the
    /// stanzas to resend, in order. Fails with `item-not-found` when `previd` is not this session's id, the session
    /// is not detached (for instance already resumed), or `h` acknowledges more than was ever sent; a failed
    /// session cannot be resumed again.
    public mutating func resume(clientHandled h: UInt32, previd: String) -> ResumeOutcome {
        guard self.isDetached, self.resumptionID == previd else {
            return .failed(Self.unknownSessionFailure)
        }
        guard self.acknowledge(upTo: h) else {
            self.state = .failed
            return .failed(StreamManagementElement.failed(condition: .itemNotFound, h: self.inboundCount).makeElement())
        }
        self.state = .enabled(resumptionID: previd, attached: true)
        self.sentSinceAckRequest = 0
        let resumed = StreamManagementElement.resumed(previd: previd, h: self.inboundCount).makeElement()
        return .resumed(resumed, resend: self.queue)
    }

    /// Reads `<resume/>` and resumes (XEP-0198 §5); a malformed element fails with `bad-request` and leaves the
    /// session detached, since nothing identified it reliably.
    public mutating func resume(_ element: XMLElement) -> ResumeOutcome {
        guard case .resume(let previd, let h)? = try? StreamManagementElement(element) else {
            return .failed(StreamManagementElement.failed(condition: .badRequest, h: nil).makeElement())
        }
        return self.resume(clientHandled: h, previd: previd)
    }
}
