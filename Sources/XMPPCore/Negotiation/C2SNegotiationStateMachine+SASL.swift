import Foundation

extension C2SNegotiationStateMachine {
    /// The mechanisms offered now: SCRAM always, PLAIN only inside TLS (RFC 6120 §6.3.3, §13.9.4), GSSAPI inside
    /// TLS when a keytab is configured (RFC 4752), EXTERNAL with a client certificate (XEP-0178).
    func mechanismsElement() -> XMLElement {
        var mechanisms = XMLElement(name: "mechanisms", namespace: Namespace.sasl)
        var names = [SCRAMHash.sha256.rawValue, SCRAMHash.sha1.rawValue]
        if self.isSecured { names.append("PLAIN") }
        if self.isSecured && self.configuration.gssapiAvailable { names.insert("GSSAPI", at: 0) }
        if self.isSecured && self.hasClientCertificate { names.insert("EXTERNAL", at: 0) }
        for name in names {
            mechanisms.append(XMLElement(name: "mechanism", namespace: Namespace.sasl, children: [.text(name)]))
        }
        return mechanisms
    }

    /// `<auth mechanism='…'>` arrived (RFC 6120 §6.4.2).
    mutating func startAuthentication(_ auth: XMLElement) -> Action {
        if self.configuration.requireTLS && !self.isSecured {
            return .authenticationFailed(
                failure: Self.failure(.encryptionRequired, text: "negotiate TLS first"),
                condition: .encryptionRequired)
        }
        guard let initial = Self.decode(auth.text) else {
            return self.authenticationFailed(.incorrectEncoding, text: "the initial response is not base64")
        }
        switch auth[attribute: "mechanism"] {
        case SCRAMHash.sha256.rawValue?, SCRAMHash.sha1.rawValue?:
            let hash = SCRAMHash(rawValue: auth[attribute: "mechanism"]!)!
            let server = SCRAMServer(hash: hash, nonceGenerator: self.configuration.nonceGenerator)
            guard let initial, !initial.isEmpty else {
                self.state = .authenticating(.scramAwaitingInitialResponse(server, hash))
                return .send(XMLElement(name: "challenge", namespace: Namespace.sasl))
            }
            return self.scramInitialResponse(server, hash, initial)
        case "EXTERNAL"?:
            guard self.isSecured && self.hasClientCertificate else {
                return self.authenticationFailed(.invalidMechanism, text: "EXTERNAL needs a client certificate")
            }
            // XEP-0178 §3: the initial response is the authorization identity, or empty ("=") to use the
            // certificate's own xmppAddr.
            let authzid = initial.flatMap { String(bytes: $0, encoding: .utf8) }.flatMap { $0.isEmpty ? nil : $0 }
            self.state = .authenticating(.external)
            return .verifyCertificate(authzid: authzid)
        case "GSSAPI"?:
            guard self.configuration.gssapiAvailable else {
                return self.authenticationFailed(.invalidMechanism, text: "GSSAPI is not configured")
            }
            guard self.isSecured else {
                return self.authenticationFailed(.encryptionRequired, text: "GSSAPI is offered only inside TLS")
            }
            // RFC 4752 §3.1 is client-first; without an initial response, ask for it with an empty challenge.
            guard let initial, !initial.isEmpty else {
                self.state = .authenticating(.gssapi(started: false, inFlight: false))
                return .send(XMLElement(name: "challenge", namespace: Namespace.sasl))
            }
            self.state = .authenticating(.gssapi(started: true, inFlight: true))
            return .gssapiStep(response: initial, first: true)
        case "PLAIN"?:
            guard self.isSecured else {
                return self.authenticationFailed(.encryptionRequired, text: "PLAIN is offered only inside TLS")
            }
            let message: PLAINMessage
            do {
                message = try PLAINMessage(initial ?? [])
            } catch {
                return self.authenticationFailed(error, text: "malformed PLAIN message")
            }
            guard
                (try? JID(localpart: message.authcid, domainpart: self.configuration.domain, resourcepart: nil)) != nil
            else {
                return self.authenticationFailed(.notAuthorized, text: nil)
            }
            self.state = .authenticating(.plain(username: message.authcid, authzid: message.authzid))
            return .verifyPassword(username: message.authcid, password: message.password)
        default:
            return self.authenticationFailed(.invalidMechanism, text: "mechanism not offered")
        }
    }

    /// `<response/>` or `<abort/>` during an exchange (RFC 6120 §6.4.3, §6.4.4).
    mutating func continueAuthentication(_ authentication: Authentication, _ element: XMLElement) -> Action {
        guard element.namespace == Namespace.sasl else {
            return self.fail(StreamError(.notAuthorized, text: "authentication is in progress"))
        }
        if element.name == "abort" {
            return self.authenticationFailed(.aborted, text: nil)
        }
        guard element.name == "response" else {
            return self.fail(StreamError(.policyViolation, text: "unexpected <\(element.name)/> during SASL"))
        }
        guard let bytes = Self.decode(element.text) else {
            return self.authenticationFailed(.incorrectEncoding, text: "the response is not base64")
        }
        switch authentication {
        case .scramAwaitingInitialResponse(let server, let hash):
            return self.scramInitialResponse(server, hash, bytes ?? [])
        case .scram(var server, let hash, let disabled):
            let action = server.receiveResponse(bytes ?? [])
            self.state = .authenticating(.scram(server, hash, accountDisabled: disabled))
            return self.map(action, accountDisabled: disabled)
        case .gssapi(_, inFlight: true):
            return self.fail(StreamError(.policyViolation, text: "a SASL response arrived before the challenge"))
        case .gssapi(let started, inFlight: false):
            self.state = .authenticating(.gssapi(started: true, inFlight: true))
            return .gssapiStep(response: bytes ?? [], first: !started)
        case .plain, .external:
            return self.fail(StreamError(.policyViolation, text: "this mechanism takes no response"))
        }
    }

    /// The driver ran one GSSAPI step asked for by ``Action/gssapiStep(response:first:)`` (RFC 4752 §3.1): send the
    /// challenge, or finish with the mapped, authorized account or the failure.
    public mutating func gssapiStepped(_ result: GSSAPIStepResult) -> Action {
        guard case .authenticating(.gssapi(_, inFlight: true)) = self.state else { return .none }
        switch result {
        case .challenge(let bytes):
            self.state = .authenticating(.gssapi(started: true, inFlight: false))
            return .send(
                XMLElement(name: "challenge", namespace: Namespace.sasl, children: [.text(Self.encode(bytes))]))
        case .failed(let condition, _):
            return self.authenticationFailed(condition, text: Self.gssapiFailureText(condition))
        case .authenticated(let jid):
            guard let local = jid.localpart, jid.domainpart == self.configuration.domain else {
                return self.authenticationFailed(.notAuthorized, text: nil)
            }
            return self.succeed(username: local, authzid: nil, additionalData: nil)
        }
    }

    /// A short, fixed `<text/>` per condition: the detailed reason stays in the server log.
    private static func gssapiFailureText(_ condition: SASLFailure) -> String? {
        switch condition {
        case .notAuthorized: nil
        case .accountDisabled: "the account is suspended"
        case .invalidAuthzid: "authzid must be your own bare JID"
        case .credentialsExpired: "the Kerberos ticket has expired"
        case .temporaryAuthFailure: "Kerberos is temporarily unavailable"
        default: "GSSAPI exchange failed"
        }
    }

    /// The driver fetched the SCRAM credentials asked for by ``Action/lookUpCredentials(username:hash:)``;
    /// `nil` for an unknown account, which still runs the full exchange and fails at the end (RFC 5802 §5.1).
    public mutating func credentialsFound(_ credentials: SCRAMCredentials?, accountDisabled: Bool = false) -> Action {
        guard case .authenticating(.scram(var server, let hash, _)) = self.state else { return .none }
        let action = server.credentialsFound(credentials)
        self.state = .authenticating(.scram(server, hash, accountDisabled: accountDisabled))
        return self.map(action, accountDisabled: accountDisabled)
    }

    /// The driver validated the client certificate for EXTERNAL: the bare JID it authenticates, or the failure
    /// (XEP-0178 §3, §4: `not-authorized` for an invalid, revoked or foreign certificate, `invalid-authzid` when
    /// the requested identity is not in the certificate).
    public mutating func certificateChecked(_ result: Result<JID, SASLFailure>) -> Action {
        guard case .authenticating(.external) = self.state else { return .none }
        switch result {
        case .failure(let failure):
            return self.authenticationFailed(
                failure, text: failure == .notAuthorized ? "certificate not accepted" : nil)
        case .success(let jid):
            guard let local = jid.localpart, jid.domainpart == self.configuration.domain else {
                return self.authenticationFailed(.notAuthorized, text: "certificate not accepted")
            }
            return self.succeed(username: local, authzid: nil, additionalData: nil)
        }
    }

    /// The driver checked the PLAIN password asked for by ``Action/verifyPassword(username:password:)``.
    public mutating func passwordChecked(_ result: PasswordCheck) -> Action {
        guard case .authenticating(.plain(let username, let authzid)) = self.state else { return .none }
        switch result {
        case .invalid: return self.authenticationFailed(.notAuthorized, text: nil)
        case .accountDisabled: return self.authenticationFailed(.accountDisabled, text: "the account is suspended")
        case .valid: return self.succeed(username: username, authzid: authzid, additionalData: nil)
        }
    }

    private mutating func scramInitialResponse(_ server: SCRAMServer, _ hash: SCRAMHash, _ bytes: [UInt8]) -> Action {
        var server = server
        let action = server.receiveInitialResponse(bytes)
        self.state = .authenticating(.scram(server, hash, accountDisabled: false))
        return self.map(action, accountDisabled: false)
    }

    private mutating func map(_ action: SCRAMServer.Action, accountDisabled: Bool) -> Action {
        switch action {
        case .lookUpCredentials(let username):
            guard case .authenticating(.scram(_, let hash, _)) = self.state else { return .none }
            return .lookUpCredentials(username: username, hash: hash)
        case .challenge(let bytes):
            return .send(
                XMLElement(
                    name: "challenge", namespace: Namespace.sasl, children: [.text(Self.encode(bytes))]))
        case .failure(let condition, let reason):
            return self.authenticationFailed(condition, text: condition == .notAuthorized ? nil : reason)
        case .success(let additionalData, let username, let authzid):
            if accountDisabled {
                return self.authenticationFailed(.accountDisabled, text: "the account is suspended")
            }
            return self.succeed(username: username, authzid: authzid, additionalData: additionalData)
        }
    }

    mutating func succeed(username: String, authzid: String?, additionalData: [UInt8]?) -> Action {
        guard let jid = try? JID(localpart: username, domainpart: self.configuration.domain, resourcepart: nil) else {
            return self.authenticationFailed(.notAuthorized, text: nil)
        }
        if let authzid, !authzid.isEmpty, (try? JID(parsing: authzid)) != jid {
            return self.authenticationFailed(.invalidAuthzid, text: "authzid must be your own bare JID")
        }
        var success = XMLElement(name: "success", namespace: Namespace.sasl)
        if let additionalData { success.append(text: Self.encode(additionalData)) }
        self.state = .awaitingHeader(authenticated: jid)
        self.streamOpened = false
        return .authenticated(success: success, jid: jid)
    }

    /// Counts a failure; beyond the allowed attempts the stream ends with `policy-violation` (RFC 6120 §6.4.5).
    private mutating func authenticationFailed(_ condition: SASLFailure, text: String?) -> Action {
        self.failedAuthentications += 1
        if self.failedAuthentications >= self.configuration.maxAuthAttempts {
            return self.fail(StreamError(.policyViolation, text: "too many failed authentication attempts"))
        }
        self.state = .awaitingTLSOrAuthentication
        return .authenticationFailed(failure: Self.failure(condition, text: text), condition: condition)
    }

    /// `<failure><condition/><text/></failure>` (RFC 6120 §6.5).
    static func failure(_ condition: SASLFailure, text: String?) -> XMLElement {
        var failure = XMLElement(name: "failure", namespace: Namespace.sasl)
        failure.append(XMLElement(name: condition.rawValue, namespace: Namespace.sasl))
        if let text {
            failure.append(
                XMLElement(
                    name: "text", namespace: Namespace.sasl, attributes: ["xml:lang": "en"], children: [.text(text)]))
        }
        return failure
    }

    /// Decodes SASL data: empty text or `=` is an empty response (RFC 6120 §6.4.2); nil on bad base64;
    /// `.some(nil)` when no data was sent at all.
    static func decode(_ text: String) -> [UInt8]?? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .some(nil) }
        if trimmed == "=" { return .some([]) }
        guard let data = Data(base64Encoded: trimmed) else { return nil }
        return .some(Array(data))
    }

    static func encode(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? "=" : Data(bytes).base64EncodedString()
    }
}
