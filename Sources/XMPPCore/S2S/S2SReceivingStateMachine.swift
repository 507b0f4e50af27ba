/// The receiving side of a server-to-server stream as a pure state machine (RFC 6120 §4–§6, XEP-0178, XEP-0220).
///
/// Phases: stream header → `<starttls/>` (mandatory, RFC 6120 §5.3.1) → restart → authentication of the peer's
/// domain, by SASL EXTERNAL on a certificate the driver validated for that domain (RFC 6120 §6, XEP-0178 §4) or by
/// dialback (XEP-0220 §2.2) → stanzas. A stream may authenticate several originating domains with dialback; every
/// stanza's `from` must be one of them (RFC 6120 §4.9.3.9 `invalid-from`) and its `to` one of ours
/// (§4.9.3.6 `host-unknown`). The machine is also the authoritative server: it answers `<db:verify/>` with its own
/// key generator (XEP-0220 §2.3.2). No sockets, clocks or random sources: the stream id generator is injected.
public struct S2SReceivingStateMachine: Sendable {
    /// Static policy for one connection.
    public struct Configuration: Sendable {
        /// The main domain served; the `from` of stream errors sent before the peer named a domain of ours.
        public var domain: String
        /// Every domain a peer may address: the main domain and the components' subdomains.
        public var localDomains: Set<String>
        /// Whether dialback is offered (XEP-0220); EXTERNAL alone otherwise.
        public var dialback: Bool
        /// The dialback key generator with this server's secret (XEP-0185).
        public var keys: DialbackKeyGenerator
        /// Produces a fresh stream id (RFC 6120 §4.7.3).
        public var streamIDGenerator: @Sendable () -> String

        /// Creates a configuration; `localDomains` always includes `domain`.
        public init(
            domain: String, localDomains: Set<String> = [], dialback: Bool = true, keys: DialbackKeyGenerator,
            streamIDGenerator: @escaping @Sendable () -> String
        ) {
            self.domain = domain
            self.localDomains = localDomains.union([domain])
            self.dialback = dialback
            self.keys = keys
            self.streamIDGenerator = streamIDGenerator
        }
    }

    /// What the driver must do next.
    public enum Action: Sendable, Equatable {
        /// Nothing to do.
        case none
        /// Validate the peer's TLS certificate chain for `domain` against the federation trust anchors and call
        /// ``certificateValidated(_:)`` (RFC 6120 §13.7.2.1, XEP-0178 §4).
        case validateCertificate(domain: String)
        /// Send our stream header, then these `<stream:features/>` (RFC 6120 §4.3.2).
        case openStream(S2SStreamOpening, features: XMLElement)
        /// Send an element on the stream.
        case send(XMLElement)
        /// Send `<proceed/>`, start the TLS handshake and reset the parser (RFC 6120 §5.4.3.3).
        case startTLS(proceed: XMLElement)
        /// Send `<success/>` and reset the parser: `domain` is authenticated by SASL EXTERNAL (RFC 6120 §6.4.6).
        case authenticated(success: XMLElement, domain: String)
        /// Ask the originating domain's authoritative server about this key, then call
        /// ``dialbackVerified(_:outcome:)`` (XEP-0220 §2.3).
        case verifyDialback(DialbackVerification)
        /// Route a stanza from an authenticated domain, already moved to `jabber:client` for the router.
        case deliver(Stanza)
        /// Return this error stanza (in `jabber:client`) to the remote sender over an outgoing stream
        /// (RFC 6120 §8.3.1).
        case bounce(XMLElement)
        /// Reply `</stream:stream>` and close (RFC 6120 §4.4).
        case closeStream
        /// Send `opening` first if set, then the stream error and `</stream:stream>`, then close (RFC 6120 §4.9.1).
        case closeWithStreamError(StreamError, opening: S2SStreamOpening?)
    }

    enum State: Sendable {
        case awaitingHeader
        case validatingCertificate(S2SStreamOpening)
        case negotiating
        case tlsHandshake
        case closed
    }

    let configuration: Configuration
    var state: State = .awaitingHeader
    /// TLS is in place (RFC 6120 §5).
    public internal(set) var isSecured = false
    /// The peer presented a certificate in the TLS handshake.
    public internal(set) var hasPeerCertificate = false
    /// The originating domains authenticated on this stream (SASL EXTERNAL or dialback).
    public internal(set) var authenticatedDomains: Set<String> = []
    /// The peer's domain from its stream header (RFC 6120 §4.7.1).
    public internal(set) var peerDomain: String?
    /// Our domain the peer addressed in its stream header (RFC 6120 §4.7.2).
    public internal(set) var localDomain: String?
    /// The id of the current stream (RFC 6120 §4.7.3), which dialback keys are bound to.
    public internal(set) var streamID: String?
    var saslCompleted = false
    var saslFailures = 0
    /// The domain the peer's certificate was found valid for on this TLS connection.
    var certificateDomain: String?
    var headerSent = false

    /// Creates the machine for a new incoming connection.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// The peer's stream header arrived (RFC 6120 §4.7, §4.8).
    public mutating func streamOpened(_ header: XMLElement) -> Action {
        guard case .awaitingHeader = self.state else {
            return self.fail(StreamError(.invalidXML, text: "unexpected stream header"))
        }
        let id = self.configuration.streamIDGenerator()
        self.streamID = id
        let local = S2SStreamOpening.domain(header[attribute: "to"])
        let peer = S2SStreamOpening.domain(header[attribute: "from"])
        let opening = S2SStreamOpening(
            id: id,
            from: local.flatMap { self.configuration.localDomains.contains($0) ? $0 : nil }
                ?? self.configuration.domain, to: peer)
        self.headerSent = true
        if let error = S2SStreamOpening.validateEnvelope(header) {
            return self.close(error, opening: opening)
        }
        guard let local, self.configuration.localDomains.contains(local) else {
            return self.close(
                StreamError(.hostUnknown, text: "this server does not serve that domain"), opening: opening)
        }
        if header[attribute: "from"] != nil && peer == nil {
            return self.close(StreamError(.invalidFrom, text: "'from' is not a domain"), opening: opening)
        }
        if let peer, self.configuration.localDomains.contains(peer) {
            return self.close(StreamError(.invalidFrom, text: "\(peer) is served here"), opening: opening)
        }
        if let known = self.peerDomain, let peer, known != peer {
            return self.close(StreamError(.invalidFrom, text: "the stream changed its 'from'"), opening: opening)
        }
        self.peerDomain = peer ?? self.peerDomain
        self.localDomain = local
        guard self.isSecured else {
            self.state = .negotiating
            var starttls = XMLElement(name: "starttls", namespace: Namespace.tls)
            starttls.append(XMLElement(name: "required", namespace: Namespace.tls))
            return .openStream(
                opening,
                features: XMLElement(name: "features", namespace: Namespace.stream, children: [.element(starttls)])
            )
        }
        if !self.saslCompleted, self.hasPeerCertificate, let peer = self.peerDomain, self.certificateDomain != peer {
            self.state = .validatingCertificate(opening)
            return .validateCertificate(domain: peer)
        }
        self.state = .negotiating
        return .openStream(opening, features: self.securedFeatures())
    }

    /// The driver validated the peer's certificate for ``peerDomain`` (RFC 6120 §13.7.2.1): EXTERNAL is offered
    /// only when it is valid (XEP-0178 §4).
    public mutating func certificateValidated(_ valid: Bool) -> Action {
        guard case .validatingCertificate(let opening) = self.state else { return .none }
        if valid { self.certificateDomain = self.peerDomain }
        self.state = .negotiating
        return .openStream(opening, features: self.securedFeatures())
    }

    /// The features after TLS: EXTERNAL for a peer whose certificate names its domain, and dialback (XEP-0220
    /// §2.1, with errors §2.4); none once SASL succeeded (RFC 6120 §6.4.6).
    func securedFeatures() -> XMLElement {
        var features = XMLElement(name: "features", namespace: Namespace.stream)
        guard !self.saslCompleted else { return features }
        if let domain = self.certificateDomain, domain == self.peerDomain {
            var mechanisms = XMLElement(name: "mechanisms", namespace: Namespace.sasl)
            mechanisms.append(XMLElement(name: "mechanism", namespace: Namespace.sasl, children: [.text("EXTERNAL")]))
            features.append(mechanisms)
        }
        if self.configuration.dialback {
            var dialback = XMLElement(name: "dialback", namespace: Namespace.dialbackFeature)
            dialback.append(XMLElement(name: "errors", namespace: Namespace.dialbackFeature))
            features.append(dialback)
        }
        return features
    }

    /// The TLS handshake finished; the peer opens a fresh stream (RFC 6120 §5.4.3.3).
    public mutating func tlsEstablished(peerCertificate: Bool) -> Action {
        guard case .tlsHandshake = self.state else { return .none }
        self.isSecured = true
        self.hasPeerCertificate = peerCertificate
        self.headerSent = false
        self.state = .awaitingHeader
        return .none
    }

    /// The peer closed its stream (RFC 6120 §4.4).
    public mutating func streamClosed() -> Action {
        if case .closed = self.state { return .none }
        self.state = .closed
        return .closeStream
    }

    /// The XML parser failed (RFC 6120 §4.9.3, §11).
    public mutating func parseFailed(_ error: XMLStreamError) -> Action {
        self.fail(StreamError(error))
    }

    /// Ends the stream with `error`, opening ours first if we have not (RFC 6120 §4.9.1.2); also for closes the
    /// server decides on (shutdown, timeouts).
    public mutating func fail(_ error: StreamError) -> Action {
        if case .closed = self.state { return .none }
        let opening =
            self.headerSent
            ? nil
            : S2SStreamOpening(
                id: self.configuration.streamIDGenerator(), from: self.localDomain ?? self.configuration.domain,
                to: self.peerDomain)
        return self.close(error, opening: opening)
    }

    mutating func close(_ error: StreamError, opening: S2SStreamOpening?) -> Action {
        self.state = .closed
        return .closeWithStreamError(error, opening: opening)
    }
}
