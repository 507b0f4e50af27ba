import Foundation

extension S2SInitiatingStateMachine {
    /// A complete first-level element arrived.
    public mutating func elementReceived(_ element: XMLElement) -> Action {
        if case .closed = self.state { return .none }
        if element.name == "error" && element.namespace == Namespace.stream {
            let condition = element.elements.first { $0.namespace == Namespace.streamErrors && $0.name != "text" }
            self.state = .closed
            return .fail(nil, reason: "the peer sent a stream error: \(condition?.name ?? "unknown")")
        }
        if let answer = DialbackElement(element), answer.kind == .verify, let outcome = answer.type {
            guard let index = self.outstanding.firstIndex(where: { $0.isAnswered(by: answer) }) else { return .none }
            return .verified(self.outstanding.remove(at: index), outcome)
        }
        switch self.state {
        case .awaitingFeatures(.plain):
            guard Self.isFeatures(element), element.child(named: "starttls", namespace: Namespace.tls) != nil else {
                return self.fail(
                    StreamError(.policyViolation, text: "TLS is required"), reason: "the peer does not offer STARTTLS")
            }
            self.state = .awaitingProceed
            return .send([XMLElement(name: "starttls", namespace: Namespace.tls)])
        case .awaitingProceed:
            guard element.name == "proceed", element.namespace == Namespace.tls else {
                return self.fail(nil, reason: "STARTTLS refused")
            }
            self.state = .tlsHandshake
            return .startTLS
        case .awaitingFeatures(.secured):
            guard Self.isFeatures(element) else { return self.unexpected(element) }
            return self.authenticate(features: element)
        case .awaitingSASL(let dialbackOffered):
            return self.saslOutcome(element, dialbackOffered: dialbackOffered)
        case .awaitingFeatures(.authenticated):
            guard Self.isFeatures(element) else { return self.unexpected(element) }
            self.state = .established
            return .established
        case .awaitingDialback:
            guard let answer = DialbackElement(element), answer.kind == .result, let outcome = answer.type,
                answer.from == self.configuration.remoteDomain, answer.to == self.configuration.localDomain
            else { return self.unexpected(element) }
            guard outcome == .valid else {
                let condition = answer.error?.condition.rawValue ?? outcome.rawValue
                return self.fail(nil, reason: "dialback refused: \(condition)")
            }
            self.state = .established
            return .established
        case .established:
            return .none  // a peer has no business sending stanzas on our outgoing stream; ignore them
        case .idle, .awaitingHeader, .tlsHandshake, .closed:
            return self.unexpected(element)
        }
    }

    /// The post-TLS features: flush dialback questions, then EXTERNAL if offered (XEP-0178 §4), else dialback
    /// if offered and allowed (XEP-0220 §2.1.1).
    private mutating func authenticate(features: XMLElement) -> Action {
        self.canSendDialback = true
        var out: [XMLElement] = self.pending.map { $0.verifyElement.makeElement() }
        self.outstanding += self.pending
        self.pending = []
        let mechanisms =
            features.child(named: "mechanisms", namespace: Namespace.sasl)?
            .children(named: "mechanism", namespace: Namespace.sasl).map(\.text) ?? []
        let dialbackOffered = features.child(named: "dialback", namespace: Namespace.dialbackFeature) != nil
        if mechanisms.contains("EXTERNAL") {
            let authzid = Data(self.configuration.localDomain.utf8).base64EncodedString()
            out.append(
                XMLElement(
                    name: "auth", namespace: Namespace.sasl, attributes: ["mechanism": "EXTERNAL"],
                    children: [.text(authzid)]))
            self.state = .awaitingSASL(dialbackOffered: dialbackOffered)
            return .send(out)
        }
        guard dialbackOffered && self.configuration.dialback, let result = self.dialbackResult() else {
            return self.fail(nil, reason: "no usable authentication: neither EXTERNAL nor dialback")
        }
        out.append(result)
        self.state = .awaitingDialback
        return .send(out)
    }

    /// `<success/>` or `<failure/>` for EXTERNAL (RFC 6120 §6.4.5, §6.4.6); on failure dialback is the fallback.
    private mutating func saslOutcome(_ element: XMLElement, dialbackOffered: Bool) -> Action {
        guard element.namespace == Namespace.sasl else { return self.unexpected(element) }
        if element.name == "success" {
            self.streamID = nil
            self.state = .awaitingHeader(.authenticated)
            return .restartStream(self.opening)
        }
        guard element.name == "failure" else { return self.unexpected(element) }
        let condition = element.elements.first?.name ?? "unknown"
        guard dialbackOffered && self.configuration.dialback, let result = self.dialbackResult() else {
            return self.fail(nil, reason: "SASL EXTERNAL refused: \(condition)")
        }
        self.state = .awaitingDialback
        return .send([result])
    }

    /// `<db:result from='local' to='remote'>key</db:result>` for the current stream id (XEP-0220 §2.1.1).
    private func dialbackResult() -> XMLElement? {
        guard let streamID = self.streamID else { return nil }
        let key = self.configuration.keys.key(
            receiving: self.configuration.remoteDomain, originating: self.configuration.localDomain,
            streamID: streamID)
        return DialbackElement(
            .result, from: self.configuration.localDomain, to: self.configuration.remoteDomain, key: key
        ).makeElement()
    }

    private mutating func unexpected(_ element: XMLElement) -> Action {
        self.fail(StreamError(.unsupportedStanzaType, text: "unexpected <\(element.name)/>"), reason: "protocol error")
    }

    private static func isFeatures(_ element: XMLElement) -> Bool {
        element.name == "features" && element.namespace == Namespace.stream
    }
}
