import Foundation

/// The initiating side of a server-to-server stream as a pure state machine (RFC 6120 §4–§6, XEP-0178 §4,
/// XEP-0220 §2.1).
///
/// Phases: our header → features → `<starttls/>` (we never send stanzas in the clear) → restart → SASL EXTERNAL
/// when offered (authorization identity = our domain) and restart, or dialback with our key (XEP-0185) when
/// EXTERNAL is not offered or fails → established. The same stream carries our `<db:verify/>` questions to the
/// peer as authoritative server, from the first post-TLS features on (XEP-0220 §2.3.1). Nothing here touches a
/// socket; the driver sends, starts TLS, and turns failures into bounces.
public struct S2SInitiatingStateMachine: Sendable {
    /// Static policy for one outgoing connection.
    public struct Configuration: Sendable {
        /// Our domain, the stream's `from`.
        public var localDomain: String
        /// The peer's domain, the stream's `to`.
        public var remoteDomain: String
        /// Whether to fall back to dialback when EXTERNAL is not possible (XEP-0220).
        public var dialback: Bool
        /// Our dialback key generator (XEP-0185).
        public var keys: DialbackKeyGenerator

        /// Creates a configuration.
        public init(localDomain: String, remoteDomain: String, dialback: Bool = true, keys: DialbackKeyGenerator) {
            self.localDomain = localDomain
            self.remoteDomain = remoteDomain
            self.dialback = dialback
            self.keys = keys
        }
    }

    /// What the driver must do next.
    public enum Action: Sendable, Equatable {
        /// Nothing to do.
        case none
        /// Send our stream header (RFC 6120 §4.7); after TLS or SASL the driver has already reset its parser.
        case openStream(S2SStreamOpening)
        /// Send these elements.
        case send([XMLElement])
        /// Start the TLS handshake as client and reset the parser, then call ``tlsEstablished()``
        /// (RFC 6120 §5.4.3.3).
        case startTLS
        /// SASL succeeded: reset the parser and send this new header (RFC 6120 §6.4.6).
        case restartStream(S2SStreamOpening)
        /// The peer accepted our domain: send the queued stanzas (RFC 6120 §6.4.6, XEP-0220 §2.2.1).
        case established
        /// The authoritative server answered a ``DialbackVerification`` (XEP-0220 §2.3.2).
        case verified(DialbackVerification, DialbackElement.Outcome)
        /// The peer closed its stream; reply `</stream:stream>` and close (RFC 6120 §4.4).
        case closeStream
        /// Negotiation failed: send the stream error if given, then `</stream:stream>`, and close; `reason` is for
        /// logs and bounced stanzas.
        case fail(StreamError?, reason: String)
    }

    enum Phase: Sendable {
        case plain, secured, authenticated
    }

    enum State: Sendable {
        case idle
        case awaitingHeader(Phase)
        case awaitingFeatures(Phase)
        case awaitingProceed
        case tlsHandshake
        case awaitingSASL(dialbackOffered: Bool)
        case awaitingDialback
        case established
        case closed
    }

    let configuration: Configuration
    var state: State = .idle
    /// The id of the peer's current stream header (RFC 6120 §4.7.3).
    public internal(set) var streamID: String?
    var canSendDialback = false
    var pending: [DialbackVerification] = []
    var outstanding: [DialbackVerification] = []

    /// Creates the machine for one connection attempt.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// True once stanzas may be sent.
    public var isEstablished: Bool {
        if case .established = self.state { return true }
        return false
    }

    /// Verifications asked for and not yet answered; the driver fails them when the stream ends.
    public var unansweredVerifications: [DialbackVerification] { self.outstanding + self.pending }

    var opening: S2SStreamOpening {
        S2SStreamOpening(id: nil, from: self.configuration.localDomain, to: self.configuration.remoteDomain)
    }

    /// The TCP connection is up: open the stream (RFC 6120 §4.2).
    public mutating func connected() -> Action {
        guard case .idle = self.state else { return .none }
        self.state = .awaitingHeader(.plain)
        return .openStream(self.opening)
    }

    /// The peer's response header arrived (RFC 6120 §4.7).
    public mutating func streamOpened(_ header: XMLElement) -> Action {
        guard case .awaitingHeader(let phase) = self.state else {
            return self.fail(StreamError(.invalidXML, text: "unexpected stream header"), reason: "protocol error")
        }
        if let error = S2SStreamOpening.validateEnvelope(header) {
            return self.fail(error, reason: error.description)
        }
        self.streamID = header[attribute: "id"]
        self.state = .awaitingFeatures(phase)
        return .none
    }

    /// The TLS handshake finished: open a fresh stream (RFC 6120 §5.4.3.3).
    public mutating func tlsEstablished() -> Action {
        guard case .tlsHandshake = self.state else { return .none }
        self.streamID = nil
        self.state = .awaitingHeader(.secured)
        return .openStream(self.opening)
    }

    /// Asks the peer, as authoritative server, about a dialback key; sent at once when the stream allows it,
    /// otherwise after the post-TLS features (XEP-0220 §2.3.1).
    public mutating func requestVerification(_ verification: DialbackVerification) -> Action {
        if case .closed = self.state { return .none }
        guard self.canSendDialback else {
            self.pending.append(verification)
            return .none
        }
        self.outstanding.append(verification)
        return .send([verification.verifyElement.makeElement()])
    }

    /// The peer closed its stream (RFC 6120 §4.4).
    public mutating func streamClosed() -> Action {
        if case .closed = self.state { return .none }
        self.state = .closed
        return .closeStream
    }

    /// The XML parser failed (RFC 6120 §4.9.3, §11).
    public mutating func parseFailed(_ error: XMLStreamError) -> Action {
        self.fail(StreamError(error), reason: "unreadable stream: \(error)")
    }

    /// Ends the stream; also for closes the driver decides on (timeouts, shutdown).
    public mutating func fail(_ error: StreamError?, reason: String) -> Action {
        if case .closed = self.state { return .none }
        self.state = .closed
        return .fail(error, reason: reason)
    }
}
