import Crypto
import Foundation

/// An agreement the root recorded: both parties accepted the same round's terms (docs/negotiation.md
/// "Agreements").
///
/// The root signs ``canonicalBytes()`` with its CA key and keeps a ``SignedAgreement``; parties fetch it over XMPP
/// (``AgreementsQuery``) or at `GET /v1/agreements`, and check the signature by rebuilding the same bytes from the
/// XML or JSON form. The ``id`` is derived from the content, so it cannot be chosen or changed independently.
public struct Agreement: Sendable, Hashable {
    /// Version of the canonical form, part of the signed bytes.
    public static let canonicalVersion = 0
    /// The context string in the signed bytes, so an agreement signature cannot be mistaken for any other
    /// signature made with the CA key.
    public static let canonicalContext = "urn:intercloud:negotiation:0#agreement"

    /// 32 lower-case hex digits: the first 16 bytes of SHA-256 over the canonical form without `id`.
    public private(set) var id: String
    /// The requester's bare JID.
    public let requester: JID
    /// The responder's bare JID.
    public let responder: JID
    /// The requester's proposal id.
    public let proposalID: String
    /// The round whose offer was accepted: odd when the responder accepted the requester's offer, even when the
    /// requester accepted the responder's counter-offer.
    public let round: Int
    /// The agreed terms.
    public let terms: NegotiationTerms
    /// When the root routed the proposal (millisecond precision).
    public let proposedAt: Date
    /// When the root recorded the agreement (millisecond precision).
    public let agreedAt: Date

    /// Creates an agreement and derives its ``id``; dates are truncated to milliseconds like the wire form.
    public init(
        requester: JID, responder: JID, proposalID: String, round: Int, terms: NegotiationTerms, proposedAt: Date,
        agreedAt: Date
    ) {
        self.requester = requester.bare
        self.responder = responder.bare
        self.proposalID = proposalID
        self.round = round
        self.terms = terms
        self.proposedAt = XSDDateTime.truncated(proposedAt)
        self.agreedAt = XSDDateTime.truncated(agreedAt)
        self.id = ""
        let digest = SHA256.hash(data: Self.canonicalObject(self, id: nil).bytes)
        self.id = digest.prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// The side whose offer was accepted.
    public var offeredBy: NegotiationRole { self.round % 2 == 1 ? .requester : .responder }

    /// Whether `jid` (any resource) is one of the two parties.
    public func involves(_ jid: JID) -> Bool {
        jid.bare == self.requester || jid.bare == self.responder
    }

    /// The bytes the root signs: RFC 8785 canonical JSON of the agreement (docs/negotiation.md "Canonical form"),
    /// e.g. `{"agreed":"…","context":"urn:intercloud:negotiation:0#agreement","id":"…","proposal":"p1",
    /// "proposed":"…","requester":"alpha@d","responder":"beta@d","round":1,"terms":{"currency":["EUR"],…},"v":0}`.
    public func canonicalBytes() -> [UInt8] {
        Self.canonicalObject(self, id: self.id).bytes
    }

    /// The canonical JSON text, the UTF-8 decoding of ``canonicalBytes()``.
    public var canonicalJSON: String { Self.canonicalObject(self, id: self.id).text }

    static func canonicalObject(_ agreement: Agreement, id: String?) -> CanonicalJSON {
        var terms: [String: CanonicalJSON] = [:]
        for (name, values) in agreement.terms.fieldValues {
            terms[name] = .array(values.map(CanonicalJSON.string))
        }
        var members: [String: CanonicalJSON] = [
            "agreed": .string(XSDDateTime.format(agreement.agreedAt)),
            "context": .string(Self.canonicalContext),
            "proposal": .string(agreement.proposalID),
            "proposed": .string(XSDDateTime.format(agreement.proposedAt)),
            "requester": .string(agreement.requester.description),
            "responder": .string(agreement.responder.description),
            "round": .integer(agreement.round),
            "terms": .object(terms),
            "v": .integer(Self.canonicalVersion),
        ]
        if let id { members["id"] = .string(id) }
        return .object(members)
    }
}
