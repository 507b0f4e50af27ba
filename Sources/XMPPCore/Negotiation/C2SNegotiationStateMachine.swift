import Foundation

/// Client-to-server stream negotiation as a pure state machine (RFC 6120 §4–§7).
///
/// Phases: stream header → features → STARTTLS (§5) → restart → SASL (§6) → restart → resource binding (§7) →
/// established. Every input is one `mutating func` returning an ``Action``; the NIO handler carries the action out
/// (send, start TLS, look up credentials, register a session, route a stanza, close). Nothing here touches a socket,
/// a clock or a random source: stream ids and resources come from injected generators.
public struct C2SNegotiationStateMachine: Sendable {
    /// Static policy for one connection.
    public struct Configuration: Sendable {
        /// The domain served (RFC 6120 §4.7.1 `from`).
        public var domain: String
        /// Whether STARTTLS can be offered (a certificate is configured and the stream is not already TLS).
        public var tlsAvailable: Bool
        /// Whether authentication requires TLS first (RFC 6120 §5.3.1 mandatory-to-negotiate); only benchmarks
        /// turn this off.
        public var requireTLS: Bool
        /// Failed SASL attempts allowed before `policy-violation` (RFC 6120 §6.4.5: 2–5).
        public var maxAuthAttempts: Int
        /// Produces a fresh stream id (RFC 6120 §4.7.3).
        public var streamIDGenerator: @Sendable () -> String
        /// Produces a server-generated resource (RFC 6120 §7.6.1).
        public var resourceGenerator: @Sendable () -> String
        /// Produces the server nonce part for SCRAM (RFC 5802 §5.1).
        public var nonceGenerator: @Sendable () -> String
        /// Whether SASL GSSAPI (RFC 4752) is offered: a Kerberos keytab is configured.
        public var gssapiAvailable: Bool

        /// Creates a configuration; the defaults require TLS, allow 5 authentication attempts and offer no GSSAPI.
        public init(
            domain: String, tlsAvailable: Bool, requireTLS: Bool = true, maxAuthAttempts: Int = 5,
            gssapiAvailable: Bool = false,
            streamIDGenerator: @escaping @Sendable () -> String,
            resourceGenerator: @escaping @Sendable () -> String,
            nonceGenerator: @escaping @Sendable () -> String
        ) {
            self.domain = domain
            self.tlsAvailable = tlsAvailable
            self.requireTLS = requireTLS
            self.maxAuthAttempts = maxAuthAttempts
            self.gssapiAvailable = gssapiAvailable
            self.streamIDGenerator = streamIDGenerator
            self.resourceGenerator = resourceGenerator
            self.nonceGenerator = nonceGenerator
        }
    }

    /// What the driver must do next.
    public enum Action: Sendable, Equatable {
        /// Nothing to do.
        case none
        /// Send the server's stream header with this id, then these `<stream:features/>` (RFC 6120 §4.3.2).
        case openStream(id: String, features: XMLElement)
        /// Send an element on the stream.
        case send(XMLElement)
        /// Send `<proceed/>`, then start the TLS handshake and reset the XML parser (RFC 6120 §5.4.3.3).
        case startTLS(proceed: XMLElement)
        /// Fetch the SCRAM credentials of this SASL username and call ``credentialsFound(_:accountDisabled:)``.
        case lookUpCredentials(username: String, hash: SCRAMHash)
        /// Check this PLAIN password and call ``passwordChecked(_:)``.
        case verifyPassword(username: String, password: String)
        /// Validate the client certificate for SASL EXTERNAL with this authorization identity (XEP-0178 §3) and
        /// call ``certificateChecked(_:)``.
        case verifyCertificate(authzid: String?)
        /// Feed this client data to the SASL GSSAPI exchange (RFC 4752 §3.1) — a fresh one when `first` — off the
        /// event loop, and call ``gssapiStepped(_:)`` with the outcome.
        case gssapiStep(response: [UInt8], first: Bool)
        /// Send `<success/>`, reset the parser and raise the stanza size limit; `jid` is now authenticated
        /// (RFC 6120 §6.4.6).
        case authenticated(success: XMLElement, jid: JID)
        /// Send this `<failure/>` (the driver may delay it to slow down guessing, RFC 6120 §6.4.5).
        case authenticationFailed(failure: XMLElement, condition: SASLFailure)
        /// Register the session for `jid` (replacing an older one with `conflict`), then send `result`
        /// (RFC 6120 §7.6.1, §7.7.2.2).
        case bind(jid: JID, result: XMLElement)
        /// Route a stanza whose `from` the server has stamped (RFC 6120 §8.1.2.1).
        case deliver(Stanza)
        /// Resume a detached session (XEP-0198 §5): the driver looks it up for `jid` and calls
        /// ``resumed(_:)`` on success; on failure it sends `<failed/>` and the client may bind instead.
        case resume(previd: String, h: UInt32, jid: JID)
        /// A stream-management element (`<enable/>`, `<r/>`, `<a/>`) for the driver's XEP-0198 session.
        case streamManagement(XMLElement)
        /// Reply `</stream:stream>` and close (RFC 6120 §4.4).
        case closeStream
        /// Send our header first if `openStreamID` is set, then the stream error and `</stream:stream>`, then
        /// close (RFC 6120 §4.9.1.1–§4.9.1.2).
        case closeWithStreamError(StreamError, openStreamID: String?)
    }

    /// How a PLAIN password check ended.
    public enum PasswordCheck: Sendable, Equatable {
        case valid, invalid, accountDisabled
    }

    /// How one GSSAPI step ended (RFC 4752 §3.1), as the driver reports it to ``gssapiStepped(_:)``.
    public enum GSSAPIStepResult: Sendable, Equatable {
        /// Send these bytes as `<challenge/>`.
        case challenge([UInt8])
        /// The principal was mapped to this bare JID, which names an active account, and any authzid matched it.
        case authenticated(JID)
        /// The exchange or the authorization failed; `reason` is for the log only.
        case failed(SASLFailure, reason: String)
    }

    enum Authentication: Sendable {
        case external
        case scramAwaitingInitialResponse(SCRAMServer, SCRAMHash)
        case scram(SCRAMServer, SCRAMHash, accountDisabled: Bool)
        case plain(username: String, authzid: String?)
        /// GSSAPI: `started` once the first context token went to the driver, `inFlight` while a step runs.
        case gssapi(started: Bool, inFlight: Bool)
    }

    enum State: Sendable {
        case awaitingHeader(authenticated: JID?)
        case awaitingTLSOrAuthentication
        case tlsHandshake
        case authenticating(Authentication)
        case awaitingBind(JID)
        case established(JID)
        case closed
    }

    let configuration: Configuration
    var state: State = .awaitingHeader(authenticated: nil)
    /// TLS is in place, either from STARTTLS or from direct TLS (XEP-0368).
    public private(set) var isSecured: Bool
    /// The client presented a certificate during the TLS handshake, so EXTERNAL is offered (XEP-0178 §3).
    public private(set) var hasClientCertificate = false
    var failedAuthentications = 0
    var streamOpened = false

    /// Creates the machine for a new connection; `secured` is true on the direct-TLS port (XEP-0368 §3).
    public init(configuration: Configuration, secured: Bool) {
        self.configuration = configuration
        self.isSecured = secured
    }

    /// Direct TLS (XEP-0368): the handshake finished before any XML, possibly with a client certificate.
    public mutating func directTLSEstablished(clientCertificate: Bool) {
        self.hasClientCertificate = clientCertificate
    }

    /// The full JID once a resource is bound.
    public var boundJID: JID? {
        if case .established(let jid) = self.state { return jid }
        return nil
    }

    /// The authenticated bare JID, from SASL success on.
    public var authenticatedJID: JID? {
        switch self.state {
        case .awaitingHeader(let jid?): jid
        case .awaitingBind(let jid): jid
        case .established(let jid): jid.bare
        default: nil
        }
    }

    /// The client's stream header arrived (RFC 6120 §4.7).
    public mutating func streamOpened(_ header: XMLElement) -> Action {
        guard case .awaitingHeader(let authenticated) = self.state else {
            return self.fail(StreamError(.invalidXML, text: "unexpected stream header"))
        }
        let id = self.configuration.streamIDGenerator()
        self.streamOpened = true
        if let error = StreamHeader.validate(header, domain: self.configuration.domain) {
            self.state = .closed
            return .closeWithStreamError(error, openStreamID: id)
        }
        var features = XMLElement(name: "features", namespace: Namespace.stream)
        if let jid = authenticated {
            features.append(XMLElement(name: "bind", namespace: Namespace.bind))
            // RFC 6121 §2.6.1: roster versioning is supported.
            features.append(XMLElement(name: "ver", namespace: "urn:xmpp:features:rosterver"))
            // XEP-0198 §2: stream management, offered after authentication.
            features.append(XMLElement(name: "sm", namespace: Namespace.streamManagement))
            features.append(
                XMLElement(
                    name: "session", namespace: Namespace.session,
                    children: [.element(XMLElement(name: "optional", namespace: Namespace.session))]))
            self.state = .awaitingBind(jid)
        } else {
            if !self.isSecured && self.configuration.tlsAvailable {
                var starttls = XMLElement(name: "starttls", namespace: Namespace.tls)
                if self.configuration.requireTLS {
                    starttls.append(XMLElement(name: "required", namespace: Namespace.tls))
                }
                features.append(starttls)
            }
            if self.isSecured || !self.configuration.requireTLS {
                features.append(self.mechanismsElement())
            }
            self.state = .awaitingTLSOrAuthentication
        }
        return .openStream(id: id, features: features)
    }

    /// A complete first-level element arrived.
    public mutating func elementReceived(_ element: XMLElement) -> Action {
        switch self.state {
        case .awaitingHeader:
            return self.fail(StreamError(.invalidXML, text: "the stream has not been opened"))
        case .awaitingTLSOrAuthentication:
            if element.name == "starttls" && element.namespace == Namespace.tls {
                guard !self.isSecured && self.configuration.tlsAvailable else {
                    return self.fail(StreamError(.unsupportedFeature, text: "STARTTLS is not offered here"))
                }
                self.state = .tlsHandshake
                return .startTLS(proceed: XMLElement(name: "proceed", namespace: Namespace.tls))
            }
            if element.name == "auth" && element.namespace == Namespace.sasl {
                return self.startAuthentication(element)
            }
            return self.fail(StreamError(.notAuthorized, text: "authenticate before sending stanzas"))
        case .tlsHandshake:
            return self.fail(StreamError(.policyViolation, text: "data received during the TLS handshake"))
        case .authenticating(let authentication):
            return self.continueAuthentication(authentication, element)
        case .awaitingBind(let jid):
            return self.bind(element, bareJID: jid)
        case .established(let jid):
            return self.established(element, jid: jid)
        case .closed:
            return .none
        }
    }

    /// The client closed its stream (RFC 6120 §4.4).
    public mutating func streamClosed() -> Action {
        if case .closed = self.state { return .none }
        self.state = .closed
        return .closeStream
    }

    /// The XML parser failed; the stream ends with the matching stream error (RFC 6120 §4.9.3, §11).
    public mutating func parseFailed(_ error: XMLStreamError) -> Action {
        self.fail(StreamError(error))
    }

    /// A `<resume/>` succeeded: the stream continues the detached session `jid` (XEP-0198 §5).
    public mutating func resumed(_ jid: JID) -> Action {
        guard case .awaitingBind(let bare) = self.state, jid.bare == bare else { return .none }
        self.state = .established(jid)
        return .none
    }

    /// The TLS handshake finished; the client must now open a fresh stream (RFC 6120 §5.4.3.3).
    public mutating func tlsEstablished(clientCertificate: Bool = false) -> Action {
        guard case .tlsHandshake = self.state else { return .none }
        self.isSecured = true
        self.hasClientCertificate = clientCertificate
        self.streamOpened = false
        self.state = .awaitingHeader(authenticated: nil)
        return .none
    }

    /// Ends the stream with `error`, opening our side first if we never did (RFC 6120 §4.9.1.2); also the event
    /// for a close the server decides on (session replaced, shutdown, connection limit).
    public mutating func fail(_ error: StreamError) -> Action {
        let id = self.streamOpened ? nil : self.configuration.streamIDGenerator()
        self.state = .closed
        return .closeWithStreamError(error, openStreamID: id)
    }
}
