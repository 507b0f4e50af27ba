/// A party's request for its agreements: `<iq type='get' to='D'><agreements xmlns='urn:intercloud:negotiation:0'
/// [proposal='…'] [with='bare JID']/></iq>` (docs/negotiation.md "Retrieval").
///
/// The root answers with ``makeResult(_:)`` holding every signed agreement the caller is a party to that matches
/// the optional filters: `proposal` (a proposal id) and `with` (the other party's bare JID).
public struct AgreementsQuery: Sendable, Hashable {
    /// Only the agreement of this proposal id.
    public var proposalID: String?
    /// Only agreements with this other party.
    public var with: JID?

    /// Creates a query.
    public init(proposalID: String? = nil, with: JID? = nil) {
        self.proposalID = proposalID
        self.with = with?.bare
    }

    /// Reads the query from an iq `get` (docs/negotiation.md "Retrieval"); throws `malformed` for another iq type
    /// or payload, an empty `proposal`, or a `with` that is not a JID.
    public init(_ iq: Stanza) throws(NegotiationError) {
        guard iq.kind == .iq, iq.type == "get", let payload = iq.payload, payload.name == "agreements",
            payload.namespace == Namespace.negotiation
        else {
            throw NegotiationError(.malformed, "expected an iq get with <agreements xmlns='\(Namespace.negotiation)'/>")
        }
        var query = AgreementsQuery()
        if let proposal = payload[attribute: "proposal"] {
            guard !proposal.isEmpty else { throw NegotiationError(.malformed, "'proposal' is empty") }
            query.proposalID = proposal
        }
        if let text = payload[attribute: "with"] {
            guard let jid = JID(text) else { throw NegotiationError(.malformed, "'with' is not a JID: \(text)") }
            query.with = jid.bare
        }
        self = query
    }

    /// The `<agreements/>` request payload.
    public func makeElement() -> XMLElement {
        var element = XMLElement(name: "agreements", namespace: Namespace.negotiation)
        element[attribute: "proposal"] = self.proposalID
        element[attribute: "with"] = self.with?.description
        return element
    }

    /// Whether the caller may see this agreement and it matches the filters.
    public func matches(_ agreement: Agreement, caller: JID) -> Bool {
        guard agreement.involves(caller) else { return false }
        if let proposalID = self.proposalID, agreement.proposalID != proposalID { return false }
        if let with = self.with {
            let other = agreement.requester == caller.bare ? agreement.responder : agreement.requester
            guard other == with else { return false }
        }
        return true
    }

    /// The result payload: `<agreements xmlns='urn:intercloud:negotiation:0'>` with one `<agreement/>` each,
    /// oldest first.
    public static func makeResult(_ agreements: [SignedAgreement]) -> XMLElement {
        let sorted = agreements.sorted {
            ($0.agreement.agreedAt, $0.agreement.id) < ($1.agreement.agreedAt, $1.agreement.id)
        }
        return XMLElement(
            name: "agreements", namespace: Namespace.negotiation, children: sorted.map { .element($0.makeElement()) })
    }
}
