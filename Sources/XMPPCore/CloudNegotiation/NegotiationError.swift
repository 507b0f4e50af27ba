extension Namespace {
    /// The Intercloud negotiation protocol: payloads, agreements and application error conditions
    /// (CONTRACT §5.4; docs/negotiation.md).
    public static let negotiation = "urn:intercloud:negotiation:0"
    /// The `FORM_TYPE` of the terms form carried by proposals, counters and agreements (XEP-0068 §3;
    /// docs/negotiation.md "Terms").
    public static let negotiationTerms = "urn:intercloud:negotiation:0#terms"
}

/// A negotiation failure: a stable code, mapped to an RFC 6120 stanza error plus an application-specific
/// condition in `urn:intercloud:negotiation:0` (RFC 6120 §8.3.2, §8.3.3; docs/negotiation.md "Errors").
///
/// Thrown by the payload parsers and returned in the actions of ``NegotiationStateMachine`` and
/// ``AgreementLedger``; the server answers with ``Stanza/makeError(_:)-(NegotiationError)``, which carries both the
/// defined condition and e.g. `<expired xmlns='urn:intercloud:negotiation:0'/>`.
public struct NegotiationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable codes; the raw value is the local name of the application condition element.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The payload is not well-formed: unknown element, missing or invalid `id`, `round`, `expires`,
        /// `reason`, or no form (`bad-request`, RFC 6120 §8.3.3.1).
        case malformed
        /// The terms form is invalid: wrong `FORM_TYPE`, a required field missing, a value of the wrong type
        /// (`bad-request`, RFC 6120 §8.3.3.1).
        case invalidTerms = "invalid-terms"
        /// The offer's `expires` has passed, or the offer being answered expired (`not-acceptable`,
        /// RFC 6120 §8.3.3.9).
        case expired
        /// The offer's `expires` is further away than the lifetime the root allows (`not-acceptable`).
        case expiryTooFar = "expiry-too-far"
        /// The sender already used this proposal id (`conflict`, RFC 6120 §8.3.3.2).
        case duplicateID = "duplicate-id"
        /// No conversation with this proposal id (`item-not-found`, RFC 6120 §8.3.3.7).
        case unknownProposal = "unknown-proposal"
        /// The sender or addressee is not the conversation's counterpart (`forbidden`, RFC 6120 §8.3.3.6).
        case notParty = "not-party"
        /// A party is not a registered cloud account of the root's domain (`forbidden`).
        case notACloud = "not-a-cloud"
        /// Proposals go to a full JID and come from one (`bad-request`).
        case fullJIDRequired = "full-jid-required"
        /// A cloud proposed to itself (`not-allowed`, RFC 6120 §8.3.3.10).
        case selfNegotiation = "self-negotiation"
        /// The message is not the one expected in the conversation's state (`unexpected-request`,
        /// RFC 6120 §8.3.3.22).
        case outOfOrder = "out-of-order"
        /// The `round` does not answer the open offer (`unexpected-request`).
        case wrongRound = "wrong-round"
        /// The sender has too many open proposals (`resource-constraint`, RFC 6120 §8.3.3.18).
        case tooManyPending = "too-many-pending"
        /// A counter would exceed the maximum number of rounds (`policy-violation`, RFC 6120 §8.3.3.12).
        case tooManyRounds = "too-many-rounds"
    }

    /// The stable code.
    public var code: Code
    /// A human-readable explanation, sent as the error's `<text/>` (RFC 6120 §8.3.2).
    public var reason: String
    /// The error type, by default the one of the condition's RFC 6120 §8.3.3 example (see ``Code``).
    public var type: StanzaError.ErrorType

    /// Creates an error; `type` defaults to ``defaultType(for:)``.
    public init(_ code: Code, _ reason: String, type: StanzaError.ErrorType? = nil) {
        self.code = code
        self.reason = reason
        self.type = type ?? Self.defaultType(for: code)
    }

    /// The defined condition for each code (RFC 6120 §8.3.3; docs/negotiation.md "Errors").
    public static func condition(for code: Code) -> StanzaError.Condition {
        switch code {
        case .malformed, .invalidTerms, .fullJIDRequired: .badRequest
        case .expired, .expiryTooFar: .notAcceptable
        case .duplicateID: .conflict
        case .unknownProposal: .itemNotFound
        case .notParty, .notACloud: .forbidden
        case .selfNegotiation: .notAllowed
        case .outOfOrder, .wrongRound: .unexpectedRequest
        case .tooManyPending: .resourceConstraint
        case .tooManyRounds: .policyViolation
        }
    }

    /// The default error type: the condition's, except `unexpected-request`, which is `cancel` here because
    /// waiting does not make an out-of-order message valid (RFC 6120 §8.3.2).
    public static func defaultType(for code: Code) -> StanzaError.ErrorType {
        switch code {
        case .outOfOrder, .wrongRound: .cancel
        default: Self.condition(for: code).defaultType
        }
    }

    /// The defined condition (RFC 6120 §8.3.3).
    public var condition: StanzaError.Condition { Self.condition(for: self.code) }

    /// The RFC 6120 part: condition, type and the reason as text (RFC 6120 §8.3.2).
    public var stanzaError: StanzaError { StanzaError(self.condition, type: self.type, text: self.reason) }

    /// The `<error/>` child: the defined condition, `<text/>`, then the application condition
    /// (RFC 6120 §8.3.2: application-specific conditions follow the defined one).
    public func makeErrorElement() -> XMLElement {
        var element = self.stanzaError.makeElement()
        element.append(XMLElement(name: self.code.rawValue, namespace: Namespace.negotiation))
        return element
    }

    /// Reads an `<error/>` element back; `nil` without a negotiation application condition (RFC 6120 §8.3.2).
    public init?(errorElement element: XMLElement) {
        guard let stanzaError = StanzaError(element),
            let code = element.elements.lazy.compactMap({ (child: XMLElement) -> Code? in
                child.namespace == Namespace.negotiation ? Code(rawValue: child.name) : nil
            }).first
        else { return nil }
        self.init(code, stanzaError.text ?? "", type: stanzaError.type)
    }

    /// Wraps a data-form error as ``Code/invalidTerms`` (XEP-0004 §3; RFC 6120 §8.3.3.1).
    init(terms error: DataFormError) {
        self.init(.invalidTerms, error.reason)
    }

    /// A description such as `not-acceptable (modify) + expired: proposal p1 expired at …`.
    public var description: String {
        "\(self.condition.rawValue) (\(self.type.rawValue)) + \(self.code.rawValue): \(self.reason)"
    }
}

extension Stanza {
    /// The error reply to this negotiation request, with the RFC 6120 and the application conditions
    /// (RFC 6120 §8.3.1, §8.3.2).
    public func makeError(_ error: NegotiationError) -> XMLElement {
        var response = self.makeError(error.stanzaError)
        response.children.removeAll { node in
            if case .element(let element) = node { element.name == "error" } else { false }
        }
        response.append(error.makeErrorElement())
        return response
    }
}
