import Crypto
import Foundation

extension Namespace {
    /// Server dialback elements, `<db:result/>` and `<db:verify/>` (XEP-0220 §2).
    public static let dialback = "jabber:server:dialback"
    /// The dialback stream feature a receiving server advertises (XEP-0220 §2.1, §4).
    public static let dialbackFeature = "urn:xmpp:features:dialback"
}

/// Generates and checks dialback keys with the HMAC construction of XEP-0185 §3.
///
/// `key = HEX(HMAC-SHA256(HEX(SHA256(secret)), receiving + " " + originating + " " + streamID))`: the key binds the
/// two domains and the stream id, so only the holder of the secret (the authoritative server) can confirm it, and a
/// key seen on one stream is useless on another. The secret lives in the data directory; the generator never
/// touches files.
public struct DialbackKeyGenerator: Sendable {
    private let hmacKey: SymmetricKey

    /// Creates a generator for a secret (XEP-0185 §3: at least 128 bits of randomness are recommended).
    public init(secret: [UInt8]) {
        let digest = SHA256.hash(data: secret)
        self.hmacKey = SymmetricKey(data: Array(Self.hex(digest).utf8))
    }

    /// The key the originating server sends in `<db:result/>` (XEP-0185 §3, XEP-0220 §2.1.1).
    public func key(receiving: String, originating: String, streamID: String) -> String {
        let message = Array("\(receiving) \(originating) \(streamID)".utf8)
        return Self.hex(HMAC<SHA256>.authenticationCode(for: message, using: self.hmacKey))
    }

    /// Whether `key` is the one this server would have generated (XEP-0220 §2.3.2); compared in constant time.
    public func isValid(_ key: String, receiving: String, originating: String, streamID: String) -> Bool {
        let expected = Array(self.key(receiving: receiving, originating: originating, streamID: streamID).utf8)
        let given = Array(key.lowercased().utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, given) { difference |= a ^ b }
        return difference == 0
    }

    private static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A `<db:result/>` or `<db:verify/>` element (XEP-0220 §2), as sent or received.
///
/// A request carries the key as text and no `type`; an answer carries `type` valid, invalid or error (with a
/// stanza error, XEP-0220 §2.4) and no key.
public struct DialbackElement: Sendable, Hashable {
    /// Which element.
    public enum Kind: String, Sendable, Hashable {
        /// `<db:result/>`: the originating server asks to be accepted (XEP-0220 §2.1).
        case result
        /// `<db:verify/>`: the receiving server asks the authoritative server about a key (XEP-0220 §2.3).
        case verify
    }

    /// The `type` of an answer (XEP-0220 §2.2, §2.4).
    public enum Outcome: String, Sendable, Hashable {
        case valid, invalid, error
    }

    /// Which element this is.
    public var kind: Kind
    /// The sender's domain.
    public var from: String
    /// The addressee's domain.
    public var to: String
    /// The stream id the key belongs to; required on `<db:verify/>` (XEP-0220 §2.3.1).
    public var id: String?
    /// The answer's type; nil on a request.
    public var type: Outcome?
    /// The key, on a request.
    public var key: String?
    /// The error of a `type='error'` answer (XEP-0220 §2.4).
    public var error: StanzaError?

    /// Creates a request or an answer.
    public init(
        _ kind: Kind, from: String, to: String, id: String? = nil, type: Outcome? = nil, key: String? = nil,
        error: StanzaError? = nil
    ) {
        self.kind = kind
        self.from = from
        self.to = to
        self.id = id
        self.type = type
        self.key = key
        self.error = error
    }

    /// Reads a received element; nil when it is not a well-formed dialback element (XEP-0220 §2).
    public init?(_ element: XMLElement) {
        guard element.namespace == Namespace.dialback, let kind = Kind(rawValue: element.name),
            let from = element[attribute: "from"], let to = element[attribute: "to"]
        else { return nil }
        self.kind = kind
        self.from = from
        self.to = to
        self.id = element[attribute: "id"]
        if let type = element[attribute: "type"] {
            guard let outcome = Outcome(rawValue: type) else { return nil }
            self.type = outcome
            self.key = nil
        } else {
            self.type = nil
            let key = element.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty else { return nil }
            self.key = key
        }
        if kind == .verify && self.id == nil { return nil }
        self.error = element.elements.first { $0.name == "error" }.flatMap(StanzaError.init)
    }

    /// The element to send (XEP-0220 §2).
    public func makeElement() -> XMLElement {
        var element = XMLElement(
            name: self.kind.rawValue, namespace: Namespace.dialback, attributes: ["from": self.from, "to": self.to])
        element[attribute: "id"] = self.id
        element[attribute: "type"] = self.type?.rawValue
        if let key = self.key { element.append(text: key) }
        if let error = self.error {
            var child = error.makeElement()
            child.namespace = Namespace.server  // unprefixed inside <db:…>: the stream's default namespace
            element.append(child)
        }
        return element
    }

    /// The answer to this request with the given outcome (XEP-0220 §2.2.1, §2.3.2): addresses swapped, same id.
    public func answer(_ outcome: Outcome, error: StanzaError? = nil) -> DialbackElement {
        DialbackElement(self.kind, from: self.to, to: self.from, id: self.id, type: outcome, error: error)
    }
}

/// One dialback key to be confirmed by the originating domain's authoritative server (XEP-0220 §2.3).
///
/// The receiving server received `<db:result from='originating' to='receiving'>key</db:result>` on a stream whose id
/// is `streamID`; it asks the authoritative server with ``verifyElement``.
public struct DialbackVerification: Sendable, Hashable {
    /// The domain asking to be accepted.
    public var originating: String
    /// Our domain, which the originating server wants to send to.
    public var receiving: String
    /// The id of the stream the key was sent on.
    public var streamID: String
    /// The key to check.
    public var key: String

    /// Creates a verification request.
    public init(originating: String, receiving: String, streamID: String, key: String) {
        self.originating = originating
        self.receiving = receiving
        self.streamID = streamID
        self.key = key
    }

    /// `<db:verify from='receiving' to='originating' id='streamID'>key</db:verify>` (XEP-0220 §2.3.1).
    public var verifyElement: DialbackElement {
        DialbackElement(.verify, from: self.receiving, to: self.originating, id: self.streamID, key: self.key)
    }

    /// Whether `answer` is the authoritative server's reply to this request (XEP-0220 §2.3.2).
    public func isAnswered(by answer: DialbackElement) -> Bool {
        answer.kind == .verify && answer.type != nil && answer.id == self.streamID
            && answer.from == self.originating && answer.to == self.receiving
    }
}
