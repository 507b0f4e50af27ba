import XMPPCore

/// Every failure of the XMPP client module, with a stable ``Code``, a reason and the source location (STYLE §9).
///
/// Stream errors, SASL failures and stanza errors received from the server keep their parsed condition in
/// ``streamError``, ``saslFailure`` and ``stanzaError`` so callers (the federation harness) can report exactly what
/// the server said (RFC 6120 §4.9, §6.5, §8.3). Equality ignores the source location, so state machine transcripts
/// can compare actions that carry errors.
public struct XMPPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable classification of the failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The TCP connection could not be established.
        case connectionFailed
        /// The connection dropped without a closing stream tag (RFC 6120 §4.4).
        case connectionLost
        /// The server closed the stream while we did not ask for it (RFC 6120 §4.4).
        case closedByServer
        /// The server did not offer STARTTLS although TLS is required (RFC 6120 §5.3.1).
        case tlsUnavailable
        /// STARTTLS was refused or the TLS handshake failed, e.g. the server certificate did not verify against the
        /// trust roots or the domain (RFC 6120 §5.4.3.2, §13.7.2).
        case tlsFailed
        /// The server sent a stream error (RFC 6120 §4.9); see ``XMPPClientError/streamError``.
        case streamError
        /// The server broke the protocol: a bad stream header, unparsable XML, an unexpected element.
        case protocolViolation
        /// None of the mechanisms we can use is offered (RFC 6120 §6.4.1).
        case noSupportedMechanism
        /// The server answered `<failure/>` (RFC 6120 §6.5); see ``XMPPClientError/saslFailure``.
        case authenticationFailed
        /// The server's SCRAM signature did not verify: it does not know our credentials (RFC 5802 §3, §9).
        case serverAuthenticationFailed
        /// Resource binding failed (RFC 6120 §7.6.2).
        case bindFailed
        /// An operation did not complete in time (negotiation, an iq request).
        case timeout
        /// The connection is not established or already closed.
        case notConnected
        /// An iq request was answered with `type='error'` (RFC 6120 §8.3); see ``XMPPClientError/stanzaError``.
        case stanzaError
        /// A response did not have the expected shape (e.g. a match result without SPARQL results, CONTRACT §5.3).
        case invalidResponse
        /// Credentials or trust roots could not be loaded (bad PEM, mismatched key).
        case invalidConfiguration
    }

    /// The classification, stable across releases.
    public var code: Code
    /// A human-readable explanation.
    public var reason: String
    /// The stream error the server sent, for ``Code/streamError`` (RFC 6120 §4.9.3).
    public var streamError: StreamError?
    /// The SASL condition the server sent, for ``Code/authenticationFailed`` (RFC 6120 §6.5).
    public var saslFailure: SASLFailure?
    /// The stanza error the server sent, for ``Code/stanzaError`` (RFC 6120 §8.3.3).
    public var stanzaError: StanzaError?
    /// The file that raised the error (`#fileID`).
    public var file: String
    /// The line that raised the error.
    public var line: UInt

    /// Creates an error; the details are set only for the codes that carry them.
    public init(
        _ code: Code, _ reason: String, streamError: StreamError? = nil, saslFailure: SASLFailure? = nil,
        stanzaError: StanzaError? = nil, file: String = #fileID, line: UInt = #line
    ) {
        self.code = code
        self.reason = reason
        self.streamError = streamError
        self.saslFailure = saslFailure
        self.stanzaError = stanzaError
        self.file = file
        self.line = line
    }

    /// `XMPPClientError.code: reason (file:line)`, for logs.
    public var description: String {
        "XMPPClientError.\(self.code.rawValue): \(self.reason) (\(self.file):\(self.line))"
    }

    /// Equal when code, reason and details agree; the source location is ignored.
    public static func == (lhs: XMPPClientError, rhs: XMPPClientError) -> Bool {
        lhs.code == rhs.code && lhs.reason == rhs.reason && lhs.streamError == rhs.streamError
            && lhs.saslFailure == rhs.saslFailure && lhs.stanzaError == rhs.stanzaError
    }

    /// Hashes what ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
        hasher.combine(self.reason)
        hasher.combine(self.streamError)
        hasher.combine(self.saslFailure)
        hasher.combine(self.stanzaError)
    }

    /// The server sent `<stream:error/>` (RFC 6120 §4.9).
    static func stream(_ error: StreamError, file: String = #fileID, line: UInt = #line) -> XMPPClientError {
        XMPPClientError(
            .streamError, "stream error from the server: \(error)", streamError: error, file: file, line: line)
    }

    /// The server answered `type='error'` (RFC 6120 §8.3).
    static func stanza(_ error: StanzaError, file: String = #fileID, line: UInt = #line) -> XMPPClientError {
        XMPPClientError(.stanzaError, "stanza error: \(error)", stanzaError: error, file: file, line: line)
    }
}
