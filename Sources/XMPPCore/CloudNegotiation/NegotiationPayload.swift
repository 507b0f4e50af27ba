import Foundation

/// The negotiation payloads carried in iq stanzas routed between two clouds' full JIDs
/// (CONTRACT §5.4; docs/negotiation.md "Payloads"; XSD `schemas/negotiation.xsd`).
///
/// ```xml
/// <propose xmlns='urn:intercloud:negotiation:0' id='p1' round='1' expires='2026-03-01T12:05:00Z'>
///   <x xmlns='jabber:x:data' type='submit'>…terms…</x>
/// </propose>
/// <accept id='p1' round='1'/>
/// <reject id='p1' round='1' reason='price'>too expensive</reject>
/// <counter id='p1' round='2' expires='…'><x xmlns='jabber:x:data' type='submit'>…</x></counter>
/// ```
public enum NegotiationPayload: Sendable, Hashable {
    /// The first offer of a conversation, round 1, in an iq `set` from the requester.
    case propose(Offer)
    /// Acceptance of the open offer of `round` by the other side.
    case accept(proposalID: String, round: Int)
    /// Rejection of the open offer of `round`, ending the conversation.
    case reject(proposalID: String, round: Int, reason: RejectReason, text: String?)
    /// A counter-offer of round `offer.round`, one more than the offer it answers.
    case counter(Offer)

    /// The longest proposal id accepted.
    public static let maximumIDLength = 128
    /// The highest round number accepted on the wire; the root's limit is usually lower.
    public static let maximumRound = 1_000

    /// The conversation's proposal id.
    public var proposalID: String {
        switch self {
        case .propose(let offer), .counter(let offer): offer.proposalID
        case .accept(let id, _), .reject(let id, _, _, _): id
        }
    }

    /// The round the payload makes (propose, counter) or answers (accept, reject).
    public var round: Int {
        switch self {
        case .propose(let offer), .counter(let offer): offer.round
        case .accept(_, let round), .reject(_, let round, _, _): round
        }
    }

    /// The offer a propose or counter carries.
    public var offer: Offer? {
        switch self {
        case .propose(let offer), .counter(let offer): offer
        case .accept, .reject: nil
        }
    }

    /// Whether `element` is one of the four payload elements, by name and namespace, valid or not.
    public static func isPayload(_ element: XMLElement) -> Bool {
        element.namespace == Namespace.negotiation && ["propose", "accept", "reject", "counter"].contains(element.name)
    }

    /// Parses a payload element (docs/negotiation.md "Payloads").
    ///
    /// Throws ``NegotiationError/Code/malformed`` for an unknown element, an `id` that is empty, longer than
    /// ``maximumIDLength`` or contains whitespace or control characters, a `round` that is not an integer in
    /// 1…``maximumRound`` (a proposal's is 1; a counter's at least 2), a missing or invalid `expires`, an unknown
    /// `reason`, or an offer without exactly one `jabber:x:data` form; ``NegotiationError/Code/invalidTerms`` for an
    /// invalid form. Expiry against the clock is not checked here: that is the receiver's job.
    public init(_ element: XMLElement) throws(NegotiationError) {
        guard Self.isPayload(element) else {
            throw NegotiationError(
                .malformed, "expected <propose/>, <accept/>, <reject/> or <counter/> in \(Namespace.negotiation)")
        }
        let id = try Self.proposalID(element)
        let round = try Self.round(element)
        switch element.name {
        case "propose":
            guard round == 1 else { throw NegotiationError(.malformed, "a proposal is round 1, not \(round)") }
            self = .propose(try Self.offer(element, id: id, round: round))
        case "counter":
            guard round >= 2 else { throw NegotiationError(.malformed, "a counter-offer is round 2 or later") }
            self = .counter(try Self.offer(element, id: id, round: round))
        case "accept":
            self = .accept(proposalID: id, round: round)
        default:
            guard let text = element[attribute: "reason"], let reason = RejectReason(rawValue: text) else {
                let shown = element[attribute: "reason"] ?? "(none)"
                throw NegotiationError(
                    .malformed, "reject reason must be price, capacity, region, policy or other: \(shown)")
            }
            let message = element.text
            self = .reject(proposalID: id, round: round, reason: reason, text: message.isEmpty ? nil : message)
        }
    }

    /// The element, `xmlns='urn:intercloud:negotiation:0'`, `round` always written (docs/negotiation.md).
    public func makeElement() -> XMLElement {
        switch self {
        case .propose(let offer): Self.offerElement("propose", offer)
        case .counter(let offer): Self.offerElement("counter", offer)
        case .accept(let id, let round):
            XMLElement(
                name: "accept", namespace: Namespace.negotiation, attributes: ["id": id, "round": String(round)])
        case .reject(let id, let round, let reason, let text):
            XMLElement(
                name: "reject", namespace: Namespace.negotiation,
                attributes: ["id": id, "round": String(round), "reason": reason.rawValue],
                children: text.map { [.text($0)] } ?? [])
        }
    }

    private static func offerElement(_ name: String, _ offer: Offer) -> XMLElement {
        var element = XMLElement(
            name: name, namespace: Namespace.negotiation,
            attributes: [
                "id": offer.proposalID, "round": String(offer.round), "expires": XSDDateTime.format(offer.expires),
            ])
        element.append(offer.terms.makeForm().makeElement())
        return element
    }

    private static func proposalID(_ element: XMLElement) throws(NegotiationError) -> String {
        guard let id = element[attribute: "id"], !id.isEmpty else {
            throw NegotiationError(.malformed, "<\(element.name)/> needs an id")
        }
        guard id.count <= Self.maximumIDLength,
            !id.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F })
        else {
            throw NegotiationError(.malformed, "a proposal id is 1–\(Self.maximumIDLength) characters without spaces")
        }
        return id
    }

    /// The `round` attribute; omitted means 1 (the issue's `<accept id='…'/>` answering a proposal).
    private static func round(_ element: XMLElement) throws(NegotiationError) -> Int {
        guard let text = element[attribute: "round"] else { return 1 }
        guard text.utf8.allSatisfy({ (48...57).contains($0) }), text.utf8.count <= 4, let round = Int(text),
            (1...Self.maximumRound).contains(round)
        else {
            throw NegotiationError(.malformed, "round must be an integer from 1 to \(Self.maximumRound): '\(text)'")
        }
        return round
    }

    private static func offer(_ element: XMLElement, id: String, round: Int) throws(NegotiationError) -> Offer {
        guard let expiresText = element[attribute: "expires"] else {
            throw NegotiationError(.malformed, "<\(element.name)/> needs an expires xsd:dateTime")
        }
        guard let expires = XSDDateTime.parse(expiresText) else {
            throw NegotiationError(.malformed, "expires is not an xsd:dateTime with a time zone: '\(expiresText)'")
        }
        let forms = element.children(named: "x", namespace: Namespace.dataForms)
        guard forms.count == 1 else {
            throw NegotiationError(.malformed, "<\(element.name)/> must carry exactly one jabber:x:data form")
        }
        let form: DataForm
        do {
            form = try DataForm(forms[0])
        } catch {
            throw NegotiationError(terms: error)
        }
        return Offer(proposalID: id, round: round, expires: expires, terms: try NegotiationTerms(form: form))
    }
}
