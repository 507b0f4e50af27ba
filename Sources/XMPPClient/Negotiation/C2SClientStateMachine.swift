import Foundation
import XMPPCore

/// Client-to-server negotiation, client side, as a pure state machine (RFC 6120 §4–§7).
///
/// Phases: our stream header → the server's header and features → STARTTLS (§5) → restart → SASL (§6, with the
/// ``ClientSASLExchange`` sub-machine) → restart → resource binding (§7) → established. Every input is one
/// `mutating func` returning an ``Action``; the NIO handler carries it out. Stream errors, SASL failures and
/// protocol violations end in a terminal action carrying an ``XMPPClientError``. No sockets, clocks or randomness:
/// the SCRAM nonce comes from the configuration and deadlines are events.
public struct C2SClientStateMachine: Sendable {
    private enum State: Sendable {
        case idle
        case awaitingHeader
        case awaitingFeatures
        case startingTLS
        case tlsHandshake
        case authenticating(ClientSASLExchange)
        case binding(id: String, sessionRequired: Bool)
        case startingSession(id: String, jid: JID)
        case established(JID)
        case closing
        case closed
    }

    /// The id of the resource binding iq (RFC 6120 §7.6.1); nothing else is outstanding at that time.
    static let bindID = "bind-1"
    /// The id of the legacy session iq, sent only when the server marks it mandatory (RFC 3921 §3).
    static let sessionID = "session-1"

    private let configuration: Configuration
    private var state: State = .idle
    /// The bare JID we expect to become, when known before binding: the password user at the domain, or the
    /// EXTERNAL authzid (XEP-0178 §3). Sent as the header's `from` once TLS is up (RFC 6120 §4.7.1).
    private let identity: JID?
    private var isAuthenticated = false
    /// TLS is in place, from STARTTLS or direct TLS (XEP-0368).
    public private(set) var isSecured: Bool
    /// The server's stream id of the current stream (RFC 6120 §4.7.3).
    public private(set) var streamID: String?
    /// The full JID once a resource is bound (RFC 6120 §7.6.1); kept while the stream closes.
    public private(set) var boundJID: JID?

    /// Creates the machine for a new connection; `secured` is true for direct TLS (XEP-0368 §3).
    public init(configuration: Configuration, secured: Bool = false) {
        self.configuration = configuration
        self.isSecured = secured
        switch configuration.authentication {
        case .external(let authzid):
            self.identity = authzid.flatMap { try? JID(parsing: $0) }
        case .password(let username, _, _):
            self.identity = try? JID(localpart: username, domainpart: configuration.domain, resourcepart: nil)
        }
    }

    /// Whether negotiation finished and the stream is open for stanzas.
    public var isEstablished: Bool {
        if case .established = self.state { return true }
        return false
    }

    /// The connection is up: send our stream header (RFC 6120 §4.2, §4.7.1).
    public mutating func start() -> Action {
        guard case .idle = self.state else { return .none }
        self.state = .awaitingHeader
        return .openStream(self.header())
    }

    /// The server's stream header arrived (RFC 6120 §4.7, §4.8).
    public mutating func streamOpened(_ header: XMLElement) -> Action {
        guard case .awaitingHeader = self.state else {
            return self.violation(.invalidXML, "unexpected stream header")
        }
        if let error = ClientStreamHeader.validate(header, domainpart: self.domainpart) {
            return self.violation(error.condition, error.text ?? error.condition.rawValue)
        }
        self.streamID = header[attribute: "id"]
        self.state = .awaitingFeatures
        return .none
    }

    /// A complete first-level element arrived (RFC 6120 §4.1).
    public mutating func elementReceived(_ element: XMLElement) -> Action {
        if element.name == "error", element.namespace == Namespace.stream {
            return self.terminate(.stream(StreamError(received: element)), sendClosingTag: true)
        }
        switch self.state {
        case .idle, .awaitingHeader:
            return self.violation(.invalidXML, "<\(element.name)/> before the stream header")
        case .awaitingFeatures:
            return self.featuresReceived(element)
        case .startingTLS:
            return self.startTLSAnswered(element)
        case .tlsHandshake:
            return self.violation(.policyViolation, "<\(element.name)/> during the TLS handshake")
        case .authenticating(let exchange):
            return self.saslReceived(element, exchange)
        case .binding(let id, let sessionRequired):
            return self.bindAnswered(element, id: id, sessionRequired: sessionRequired)
        case .startingSession(let id, let jid):
            guard ResourceBinding.isAnswer(element, to: id) else {
                return self.violation(.policyViolation, "expected the session result")
            }
            guard element[attribute: "type"] == "result" else {
                return self.terminate(
                    ResourceBinding.failure(element, "session establishment failed"), sendClosingTag: true)
            }
            return self.establish(jid)
        case .established, .closing:
            return self.stanzaReceived(element)
        case .closed:
            return .none
        }
    }

    /// TLS now wraps the connection; open a fresh stream (RFC 6120 §5.4.3.3).
    public mutating func tlsStarted() -> Action {
        guard case .tlsHandshake = self.state else { return .none }
        self.isSecured = true
        self.state = .awaitingHeader
        return .openStream(self.header())
    }

    /// The server sent `</stream:stream>` (RFC 6120 §4.4).
    public mutating func streamClosed() -> Action {
        switch self.state {
        case .closed:
            return .none
        case .closing:
            return self.terminate(nil, sendClosingTag: false)
        case .established:
            return self.terminate(
                XMPPClientError(.closedByServer, "the server closed the stream"), sendClosingTag: true)
        default:
            return self.terminate(
                XMPPClientError(.closedByServer, "the server closed the stream during negotiation"),
                sendClosingTag: true)
        }
    }

    /// The server's bytes are not acceptable XML; we end the stream with the matching error (RFC 6120 §4.9.3, §11).
    public mutating func parseFailed(_ error: XMLStreamError) -> Action {
        if case .closed = self.state { return .none }
        self.state = .closed
        return .closeWithStreamError(
            StreamError(error), error: XMPPClientError(.protocolViolation, "unacceptable XML from the server: \(error)")
        )
    }

    /// The TLS layer failed, e.g. the server certificate did not verify (RFC 6120 §5.4.3.2, §13.7.2).
    public mutating func tlsFailed(reason: String) -> Action {
        if case .closed = self.state { return .none }
        return self.terminate(XMPPClientError(.tlsFailed, reason), sendClosingTag: false)
    }

    /// The connection dropped or failed below TLS; clean when we were already closing (RFC 6120 §4.4).
    public mutating func connectionLost(reason: String) -> Action {
        switch self.state {
        case .closed: return .none
        case .closing: return self.terminate(nil, sendClosingTag: false)
        default: return self.terminate(XMPPClientError(.connectionLost, reason), sendClosingTag: false)
        }
    }

    /// The user asked to close: send `</stream:stream>` and wait for the server's (RFC 6120 §4.4).
    public mutating func closeRequested() -> Action {
        switch self.state {
        case .idle: return self.terminate(nil, sendClosingTag: false)
        case .closing, .closed: return .none
        default:
            self.state = .closing
            return .closeStream
        }
    }

    /// The driver's deadline passed: negotiation took too long, or the server never answered our closing tag.
    public mutating func deadlineExceeded() -> Action {
        switch self.state {
        case .closed, .established: return .none
        case .closing: return self.terminate(nil, sendClosingTag: false)
        default:
            return self.terminate(XMPPClientError(.timeout, "negotiation did not finish in time"), sendClosingTag: true)
        }
    }

    /// The configured domain as a JID domainpart, normalised (RFC 7622 §3.2).
    private var domainpart: String {
        (try? JID(parsing: self.configuration.domain))?.domainpart ?? self.configuration.domain
    }

    /// Our stream header: `from` names us once TLS protects the stream (RFC 6120 §4.7.1).
    private func header() -> String {
        ClientStreamHeader.opening(to: self.configuration.domain, from: self.isSecured ? self.identity : nil)
    }

    private mutating func terminate(_ error: XMPPClientError?, sendClosingTag: Bool) -> Action {
        self.state = .closed
        return .closeConnection(sendClosingTag: sendClosingTag, error: error)
    }

    private mutating func violation(_ condition: StreamError.Condition, _ reason: String) -> Action {
        self.state = .closed
        return .closeWithStreamError(
            StreamError(condition, text: reason), error: XMPPClientError(.protocolViolation, reason))
    }
}

extension C2SClientStateMachine {
    /// `<stream:features/>`: STARTTLS first, then SASL, then binding (RFC 6120 §4.3.2, §5.3.1, §6.3, §7.2).
    private mutating func featuresReceived(_ features: XMLElement) -> Action {
        guard features.name == "features", features.namespace == Namespace.stream else {
            return self.violation(.policyViolation, "expected <stream:features/>, got <\(features.name)/>")
        }
        if !self.isAuthenticated {
            if !self.isSecured {
                if features.child(named: "starttls", namespace: Namespace.tls) != nil {
                    self.state = .startingTLS
                    return .send(XMLElement(name: "starttls", namespace: Namespace.tls))
                }
                if self.configuration.requireTLS {
                    return self.terminate(
                        XMPPClientError(.tlsUnavailable, "the server does not offer STARTTLS"), sendClosingTag: true)
                }
            }
            let mechanisms = features.child(named: "mechanisms", namespace: Namespace.sasl)
            let offered =
                mechanisms?.children(named: "mechanism", namespace: Namespace.sasl).map {
                    $0.text.trimmingCharacters(in: .whitespacesAndNewlines)
                } ?? []
            let started = ClientSASLExchange.start(
                self.configuration.authentication, offered: offered, secured: self.isSecured,
                domain: self.configuration.domain, nonce: self.configuration.nonceGenerator)
            switch started {
            case .failure(let error):
                return self.terminate(error, sendClosingTag: true)
            case .success(let (exchange, auth)):
                self.state = .authenticating(exchange)
                return .send(auth)
            }
        }
        guard features.child(named: "bind", namespace: Namespace.bind) != nil else {
            return self.terminate(
                XMPPClientError(.bindFailed, "the server offers no resource binding"), sendClosingTag: true)
        }
        self.state = .binding(id: Self.bindID, sessionRequired: ResourceBinding.sessionRequired(features))
        return .send(ResourceBinding.request(id: Self.bindID, resource: self.configuration.resource))
    }

    /// `<proceed/>` or `<failure/>` after `<starttls/>` (RFC 6120 §5.4.2.2, §5.4.2.3).
    private mutating func startTLSAnswered(_ element: XMLElement) -> Action {
        guard element.namespace == Namespace.tls else {
            return self.violation(.policyViolation, "expected <proceed/>, got <\(element.name)/>")
        }
        switch element.name {
        case "proceed":
            self.state = .tlsHandshake
            return .startTLS
        case "failure":
            return self.terminate(XMPPClientError(.tlsFailed, "the server refused STARTTLS"), sendClosingTag: false)
        default:
            return self.violation(.policyViolation, "expected <proceed/>, got <\(element.name)/>")
        }
    }

    /// `<challenge/>`, `<success/>` or `<failure/>` during SASL, read by the sub-machine (RFC 6120 §6.4.3–§6.4.6).
    private mutating func saslReceived(_ element: XMLElement, _ exchange: ClientSASLExchange) -> Action {
        var exchange = exchange
        switch exchange.receive(element) {
        case .send(let response):
            self.state = .authenticating(exchange)
            return .send(response)
        case .succeeded:
            self.isAuthenticated = true
            self.state = .awaitingHeader
            return .openStream(self.header())
        case .failed(let error):
            return self.terminate(error, sendClosingTag: true)
        case .violation(let error):
            return self.violation(error.condition, error.text ?? error.condition.rawValue)
        }
    }

    /// The answer to the bind iq (RFC 6120 §7.6.1, §7.6.2).
    private mutating func bindAnswered(_ element: XMLElement, id: String, sessionRequired: Bool) -> Action {
        guard ResourceBinding.isAnswer(element, to: id) else {
            return self.violation(.policyViolation, "expected the bind result, got <\(element.name)/>")
        }
        guard element[attribute: "type"] == "result" else {
            return self.terminate(ResourceBinding.failure(element, "resource binding failed"), sendClosingTag: true)
        }
        let text = ResourceBinding.boundJIDText(element)
        guard let text, let jid = try? JID(parsing: text), jid.localpart != nil, jid.resourcepart != nil,
            jid.domainpart == self.domainpart, self.identity == nil || jid.bare == self.identity
        else {
            return self.terminate(
                XMPPClientError(.bindFailed, "the bind result has no usable JID: \(text ?? "none")"),
                sendClosingTag: true)
        }
        guard !sessionRequired else {
            self.state = .startingSession(id: Self.sessionID, jid: jid)
            return .send(ResourceBinding.sessionRequest(id: Self.sessionID))
        }
        return self.establish(jid)
    }

    private mutating func establish(_ jid: JID) -> Action {
        self.boundJID = jid
        self.state = .established(jid)
        return .established(jid)
    }

    /// A first-level element on the established (or closing) stream: stanzas are delivered; anything else,
    /// including malformed stanzas, is dropped (RFC 6120 §8).
    private func stanzaReceived(_ element: XMLElement) -> Action {
        guard self.boundJID != nil, element.namespace == Namespace.client,
            let stanza = try? Stanza(element)
        else { return .none }
        return .deliver(stanza)
    }
}
