import Foundation

/// The root's signature over an agreement's canonical bytes (docs/negotiation.md "Signature").
///
/// The signing is done outside this module with the CA key; ``algorithm`` names how, e.g. `ecdsa-with-SHA256`
/// (RFC 5758 §3.2, DER-encoded ECDSA-Sig-Value) for a P-256 key, and ``keyID`` which key, e.g. the hex
/// subjectKeyIdentifier of the signing certificate (RFC 5280 §4.2.1.2).
public struct AgreementSignature: Sendable, Hashable {
    /// The signature algorithm name.
    public var algorithm: String
    /// Which key signed, if stated.
    public var keyID: String?
    /// The signature bytes.
    public var value: [UInt8]

    /// Creates a signature.
    public init(algorithm: String, keyID: String? = nil, value: [UInt8]) {
        self.algorithm = algorithm
        self.keyID = keyID
        self.value = value
    }
}

/// An agreement with the root's signature: what parties retrieve (docs/negotiation.md "Agreements").
public struct SignedAgreement: Sendable, Hashable {
    /// The agreement.
    public var agreement: Agreement
    /// The root's signature over ``Agreement/canonicalBytes()``.
    public var signature: AgreementSignature

    /// Pairs an agreement with its signature.
    public init(agreement: Agreement, signature: AgreementSignature) {
        self.agreement = agreement
        self.signature = signature
    }

    /// `<agreement xmlns='urn:intercloud:negotiation:0' …>` with the terms as a `result` form and the
    /// `<signature/>` (docs/negotiation.md "Agreements"; `schemas/negotiation.xsd`).
    public func makeElement() -> XMLElement {
        var element = self.agreement.makeElement()
        var signature = XMLElement(
            name: "signature", namespace: Namespace.negotiation, attributes: ["algorithm": self.signature.algorithm])
        signature[attribute: "key-id"] = self.signature.keyID
        signature.append(text: Data(self.signature.value).base64EncodedString())
        element.append(signature)
        return element
    }

    /// Parses `<agreement/>` with its `<signature/>`; see ``Agreement/init(_:)`` for the checks.
    public init(_ element: XMLElement) throws(NegotiationError) {
        let agreement = try Agreement(element)
        guard let signature = element.child(named: "signature", namespace: Namespace.negotiation),
            let algorithm = signature[attribute: "algorithm"], !algorithm.isEmpty
        else { throw NegotiationError(.malformed, "the agreement has no <signature algorithm='…'/>") }
        let text = signature.text.filter { !$0.isWhitespace }
        guard let value = Data(base64Encoded: text) else {
            throw NegotiationError(.malformed, "the signature is not base64")
        }
        self.init(
            agreement: agreement,
            signature: AgreementSignature(
                algorithm: algorithm, keyID: signature[attribute: "key-id"], value: [UInt8](value)))
    }

    /// The JSON document for `GET /v1/agreements`: the canonical agreement object as signed, plus the signature,
    /// `{"agreement":{…},"signature":{"algorithm":"…","keyId":"…","value":"base64"}}`, members sorted.
    public var json: String {
        var signature: [String: CanonicalJSON] = [
            "algorithm": .string(self.signature.algorithm),
            "value": .string(Data(self.signature.value).base64EncodedString()),
        ]
        if let keyID = self.signature.keyID { signature["keyId"] = .string(keyID) }
        let document = CanonicalJSON.object([
            "agreement": Agreement.canonicalObject(self.agreement, id: self.agreement.id),
            "signature": .object(signature),
        ])
        return document.text
    }

    /// The notification the root sends each party when it records the agreement: a headline `<message/>` from the
    /// root's domain carrying the signed agreement (RFC 6121 §5.2.2 `headline`; docs/negotiation.md).
    public func makeNotification(from domain: JID, to party: JID) -> XMLElement {
        var message = XMLElement(
            name: "message", namespace: Namespace.client,
            attributes: ["type": "headline", "from": domain.description, "to": party.description])
        message.append(self.makeElement())
        return message
    }
}
