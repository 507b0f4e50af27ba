import Foundation

extension S2SReceivingStateMachine {
    /// A complete first-level element arrived.
    public mutating func elementReceived(_ element: XMLElement) -> Action {
        switch self.state {
        case .awaitingHeader:
            return self.fail(StreamError(.invalidXML, text: "the stream has not been opened"))
        case .validatingCertificate:
            return self.fail(StreamError(.policyViolation, text: "wait for the stream features"))
        case .tlsHandshake:
            return self.fail(StreamError(.policyViolation, text: "data received during the TLS handshake"))
        case .closed:
            return .none
        case .negotiating:
            break
        }
        if element.name == "starttls" && element.namespace == Namespace.tls {
            guard !self.isSecured else {
                return self.fail(StreamError(.unsupportedFeature, text: "TLS is already in place"))
            }
            self.state = .tlsHandshake
            return .startTLS(proceed: XMLElement(name: "proceed", namespace: Namespace.tls))
        }
        // RFC 6120 §5.3.1: TLS is mandatory-to-negotiate here, before anything else.
        guard self.isSecured else {
            return self.fail(StreamError(.policyViolation, text: "STARTTLS is required first"))
        }
        switch element.namespace {
        case Namespace.sasl?:
            return self.authenticate(element)
        case Namespace.dialback?:
            guard let dialback = DialbackElement(element) else {
                return self.fail(StreamError(.badFormat, text: "malformed dialback element"))
            }
            return self.dialback(dialback)
        case Namespace.server? where ["message", "presence", "iq"].contains(element.name):
            return self.stanza(element)
        default:
            return self.fail(StreamError(.unsupportedStanzaType, text: "<\(element.name)/> is not expected here"))
        }
    }

    /// SASL EXTERNAL on the peer's certificate (RFC 6120 §6.4, XEP-0178 §4): the authorization identity, if any,
    /// must be the domain of the stream header, for which the certificate was validated.
    mutating func authenticate(_ element: XMLElement) -> Action {
        guard element.name == "auth", !self.saslCompleted else {
            return self.fail(StreamError(.policyViolation, text: "unexpected <\(element.name)/>"))
        }
        guard element[attribute: "mechanism"] == "EXTERNAL" else {
            return self.saslFailure(.invalidMechanism)
        }
        guard let peer = self.peerDomain, self.certificateDomain == peer else {
            return self.saslFailure(.notAuthorized)
        }
        let text = element.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty && text != "=" {
            guard let data = Data(base64Encoded: text), let authzid = String(data: data, encoding: .utf8) else {
                return self.saslFailure(.incorrectEncoding)
            }
            guard S2SStreamOpening.domain(authzid) == peer else { return self.saslFailure(.invalidAuthzid) }
        }
        self.saslCompleted = true
        self.authenticatedDomains.insert(peer)
        self.headerSent = false
        self.state = .awaitingHeader
        return .authenticated(success: XMLElement(name: "success", namespace: Namespace.sasl), domain: peer)
    }

    /// `<failure/>` with a condition (RFC 6120 §6.5); after three the stream ends (§6.4.5).
    private mutating func saslFailure(_ condition: SASLFailure) -> Action {
        self.saslFailures += 1
        if self.saslFailures >= 3 {
            return self.fail(StreamError(.policyViolation, text: "too many failed authentication attempts"))
        }
        var failure = XMLElement(name: "failure", namespace: Namespace.sasl)
        failure.append(XMLElement(name: condition.rawValue, namespace: Namespace.sasl))
        return .send(failure)
    }

    /// `<db:result/>` and `<db:verify/>` requests (XEP-0220 §2.1.2, §2.3.2).
    mutating func dialback(_ element: DialbackElement) -> Action {
        guard element.type == nil, let key = element.key else {
            return self.fail(StreamError(.unsupportedStanzaType, text: "unexpected dialback answer"))
        }
        guard let local = S2SStreamOpening.domain(element.to), self.configuration.localDomains.contains(local) else {
            return .send(
                element.answer(.error, error: StanzaError(.itemNotFound, text: "not served here")).makeElement())
        }
        if element.kind == .verify {
            // XEP-0220 §2.3.2: we are the authoritative server for `to`; `from` is the receiving server.
            let valid = self.configuration.keys.isValid(
                key, receiving: element.from, originating: local, streamID: element.id ?? "")
            return .send(element.answer(valid ? .valid : .invalid).makeElement())
        }
        guard self.configuration.dialback else {
            return .send(
                element.answer(.error, error: StanzaError(.policyViolation, text: "dialback is disabled")).makeElement()
            )
        }
        guard let originating = S2SStreamOpening.domain(element.from),
            !self.configuration.localDomains.contains(originating)
        else {
            return self.fail(StreamError(.invalidFrom, text: "'from' must be a remote domain"))
        }
        // XEP-0220 §2.1.2 and XEP-0344 §2.3: a certificate already valid for the domain settles it.
        if self.authenticatedDomains.contains(originating) || self.certificateDomain == originating {
            self.authenticatedDomains.insert(originating)
            return .send(element.answer(.valid).makeElement())
        }
        guard let streamID = self.streamID else { return .none }
        return .verifyDialback(
            DialbackVerification(originating: originating, receiving: local, streamID: streamID, key: key))
    }

    /// The authoritative server answered (or could not be reached, `.error`): tell the peer (XEP-0220 §2.2.1,
    /// §2.4); a valid key authenticates the domain on this stream.
    public mutating func dialbackVerified(_ verification: DialbackVerification, outcome: DialbackElement.Outcome)
        -> Action
    {
        guard case .negotiating = self.state else { return .none }
        var answer = DialbackElement(
            .result, from: verification.receiving, to: verification.originating, type: outcome)
        switch outcome {
        case .valid:
            self.authenticatedDomains.insert(verification.originating)
        case .invalid:
            break
        case .error:
            answer.error = StanzaError(
                .remoteServerNotFound, text: "the authoritative server of \(verification.originating) did not answer")
        }
        return .send(answer.makeElement())
    }

    /// A stanza from the peer (RFC 6120 §8.1.1.2, §8.1.2.2, §4.9.3.9, §4.9.3.6, §4.9.3.7).
    mutating func stanza(_ element: XMLElement) -> Action {
        guard !self.authenticatedDomains.isEmpty else {
            return self.fail(StreamError(.notAuthorized, text: "authenticate before sending stanzas"))
        }
        guard let fromText = element[attribute: "from"], let toText = element[attribute: "to"] else {
            return self.fail(StreamError(.improperAddressing, text: "stanzas between servers need 'from' and 'to'"))
        }
        guard let from = try? JID(parsing: fromText), self.authenticatedDomains.contains(from.domainpart) else {
            return self.fail(StreamError(.invalidFrom, text: "'from' is not an authenticated domain of this stream"))
        }
        guard let to = try? JID(parsing: toText) else {
            return self.fail(StreamError(.improperAddressing, text: "'to' is not a JID"))
        }
        guard self.configuration.localDomains.contains(to.domainpart) else {
            return self.fail(StreamError(.hostUnknown, text: "\(to.domainpart) is not served here"))
        }
        let rebound = element.rebindingContentNamespace(from: Namespace.server, to: Namespace.client)
        do {
            return .deliver(try Stanza(rebound))
        } catch {
            guard rebound[attribute: "type"] != "error", rebound[attribute: "type"] != "result" else { return .none }
            var response = rebound
            response[attribute: "type"] = "error"
            response[attribute: "from"] = toText
            response[attribute: "to"] = fromText
            response.append(error.makeElement())
            return .bounce(response)
        }
    }
}
