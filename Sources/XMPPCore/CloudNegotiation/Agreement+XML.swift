import Foundation

extension Agreement {
    /// `<agreement xmlns='urn:intercloud:negotiation:0' id proposal round requester responder proposed agreed>`
    /// holding the terms as a `result` form, without the signature (docs/negotiation.md "Agreements").
    public func makeElement() -> XMLElement {
        var element = XMLElement(
            name: "agreement", namespace: Namespace.negotiation,
            attributes: [
                "id": self.id, "proposal": self.proposalID, "round": String(self.round),
                "requester": self.requester.description, "responder": self.responder.description,
                "proposed": XSDDateTime.format(self.proposedAt), "agreed": XSDDateTime.format(self.agreedAt),
            ])
        element.append(self.terms.makeForm(type: .result).makeElement())
        return element
    }

    /// Parses `<agreement/>` (docs/negotiation.md "Agreements").
    ///
    /// Throws ``NegotiationError/Code/malformed`` for a missing or invalid attribute, or an `id` that does not match
    /// the content (so a changed field is detected before the signature is even checked), and
    /// ``NegotiationError/Code/invalidTerms`` for an invalid terms form.
    public init(_ element: XMLElement) throws(NegotiationError) {
        guard element.name == "agreement", element.namespace == Namespace.negotiation else {
            throw NegotiationError(.malformed, "expected <agreement xmlns='\(Namespace.negotiation)'/>")
        }
        func attribute(_ name: String) throws(NegotiationError) -> String {
            guard let value = element[attribute: name], !value.isEmpty else {
                throw NegotiationError(.malformed, "the agreement has no '\(name)'")
            }
            return value
        }
        func jid(_ name: String) throws(NegotiationError) -> JID {
            let text = try attribute(name)
            guard let jid = JID(text), jid.isBare else {
                throw NegotiationError(.malformed, "'\(name)' is not a bare JID: \(text)")
            }
            return jid
        }
        func date(_ name: String) throws(NegotiationError) -> Date {
            let text = try attribute(name)
            guard let date = XSDDateTime.parse(text) else {
                throw NegotiationError(.malformed, "'\(name)' is not an xsd:dateTime: \(text)")
            }
            return date
        }
        let roundText = try attribute("round")
        guard let round = Int(roundText), round >= 1 else {
            throw NegotiationError(.malformed, "'round' is not a positive integer: \(roundText)")
        }
        guard let formElement = element.child(named: "x", namespace: Namespace.dataForms) else {
            throw NegotiationError(.malformed, "the agreement carries no terms form")
        }
        let form: DataForm
        do {
            form = try DataForm(formElement)
        } catch {
            throw NegotiationError(terms: error)
        }
        self.init(
            requester: try jid("requester"), responder: try jid("responder"), proposalID: try attribute("proposal"),
            round: round, terms: try NegotiationTerms(form: form, expectedType: .result),
            proposedAt: try date("proposed"), agreedAt: try date("agreed"))
        let claimed = try attribute("id")
        guard claimed == self.id else {
            throw NegotiationError(.malformed, "the agreement id \(claimed) does not match its content (\(self.id))")
        }
    }
}
