import XMPPCore

extension C2SClientStateMachine {
    /// Static policy for one client connection.
    public struct Configuration: Sendable {
        /// The domain to log in to: the stream header's `to` (RFC 6120 §4.7.2) and the JID domainpart.
        public var domain: String
        /// How to authenticate (RFC 6120 §6).
        public var authentication: Authentication
        /// The resource to request when binding; nil lets the server choose (RFC 6120 §7.5, §7.6).
        public var resource: String?
        /// Refuse to authenticate on a stream without TLS (RFC 6120 §5.3.1, §13.9.4). Only benchmarks against a
        /// server started with `--allow-plaintext-auth` turn this off.
        public var requireTLS: Bool
        /// Produces the SCRAM client nonce (RFC 5802 §5.1 `c-nonce`), injected so transcripts are deterministic.
        public var nonceGenerator: @Sendable () -> String

        /// Creates a configuration; TLS is required by default.
        public init(
            domain: String, authentication: Authentication, resource: String? = nil, requireTLS: Bool = true,
            nonceGenerator: @escaping @Sendable () -> String
        ) {
            self.domain = domain
            self.authentication = authentication
            self.resource = resource
            self.requireTLS = requireTLS
            self.nonceGenerator = nonceGenerator
        }
    }

    /// The SASL identity to present (RFC 6120 §6).
    public enum Authentication: Sendable, Hashable {
        /// SASL EXTERNAL with the client certificate presented in the TLS handshake; `authzid` is optional and must
        /// be the certificate's xmppAddr when given (XEP-0178 §3; CONTRACT §5).
        case external(authzid: String?)
        /// A password, used with the first mechanism of `mechanisms` the server offers; PLAIN only inside TLS
        /// (RFC 5802, RFC 7677, RFC 4616; RFC 6120 §13.9.4).
        case password(username: String, password: String, mechanisms: [PasswordMechanism])

        /// A password with the default preference: SCRAM-SHA-256, then SCRAM-SHA-1 (RFC 7677 §3).
        public static func password(username: String, password: String) -> Authentication {
            .password(username: username, password: password, mechanisms: PasswordMechanism.defaultPreference)
        }
    }

    /// The password-based mechanisms the client implements, by their IANA names (RFC 6120 §6.3.3).
    public enum PasswordMechanism: String, Sendable, Hashable, CaseIterable {
        /// SCRAM-SHA-256 (RFC 7677).
        case scramSHA256 = "SCRAM-SHA-256"
        /// SCRAM-SHA-1 (RFC 5802), mandatory to implement for XMPP (RFC 6120 §13.8.3).
        case scramSHA1 = "SCRAM-SHA-1"
        /// PLAIN (RFC 4616), only inside TLS.
        case plain = "PLAIN"

        /// SCRAM-SHA-256 then SCRAM-SHA-1; PLAIN only when asked for.
        public static let defaultPreference: [PasswordMechanism] = [.scramSHA256, .scramSHA1]
    }

    /// What the driver must do next.
    public enum Action: Sendable, Equatable {
        /// Nothing to do.
        case none
        /// Reset the XML parser, then send this opening stream header (RFC 6120 §4.2, §4.3.3 restarts).
        case openStream(String)
        /// Send an element on the stream.
        case send(XMLElement)
        /// `<proceed/>` arrived: reset the XML parser, put TLS in front of the stream, then call
        /// ``C2SClientStateMachine/tlsStarted()`` (RFC 6120 §5.4.3.3). Writes made before the handshake ends are
        /// buffered by the TLS layer.
        case startTLS
        /// Negotiation finished: the session is bound to `jid` (RFC 6120 §7.6.1).
        case established(JID)
        /// A stanza arrived on the established stream (RFC 6120 §8).
        case deliver(Stanza)
        /// Send `</stream:stream>` and wait for the server's, which ends in ``closeConnection(sendClosingTag:error:)``
        /// (RFC 6120 §4.4).
        case closeStream
        /// Terminal: optionally send `</stream:stream>`, then close the connection. `error` is nil for a close we
        /// asked for and says why otherwise (RFC 6120 §4.4, §4.9.1.1).
        case closeConnection(sendClosingTag: Bool, error: XMPPClientError?)
        /// Terminal: the server broke the protocol; send this stream error and `</stream:stream>`, then close
        /// (RFC 6120 §4.9.1.1).
        case closeWithStreamError(StreamError, error: XMPPClientError)
    }
}

extension StreamError {
    /// Reads a received `<stream:error/>`: the condition is the first child in the streams error namespace other
    /// than `<text/>`; an unknown condition reads as `undefined-condition` (RFC 6120 §4.9.2, §4.9.4).
    init(received element: XMLElement) {
        let conditions = element.elements.filter { $0.namespace == Namespace.streamErrors && $0.name != "text" }
        let condition = conditions.first.flatMap { Condition(rawValue: $0.name) } ?? .undefinedCondition
        let text = element.child(named: "text", namespace: Namespace.streamErrors)?.text
        self.init(condition, text: text)
    }
}

extension SASLFailure {
    /// Reads a received `<failure/>`: the condition child, `not-authorized` when it is missing or unknown
    /// (RFC 6120 §6.5).
    static func received(_ element: XMLElement) -> SASLFailure {
        let conditions = element.elements.filter { $0.namespace == Namespace.sasl && $0.name != "text" }
        return conditions.first.flatMap { SASLFailure(rawValue: $0.name) } ?? .notAuthorized
    }
}
