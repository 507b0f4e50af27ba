import XMPPCore

/// Correlates iq responses with the requests we sent, by `id` and by the responder's address (RFC 6120 §8.2.3,
/// §8.1.2.1, §10.1).
///
/// Pure bookkeeping: the driver stores one token (a promise) per outstanding request and gets it back when the
/// matching `result` or `error` arrives. A response is accepted only from the entity the request was addressed to;
/// a request without `to` goes to our own account, answered by the server with no `from`, our bare JID or the
/// domain (RFC 6120 §10.3.3). A spoofed response with a matching id is thereby ignored.
struct IQResponseTracker<Token> {
    private struct Pending {
        var responder: JID?
        var token: Token
    }

    private var pending: [String: Pending] = [:]
    private var counter = 0
    private let prefix: String

    /// Creates a tracker whose generated ids start with `prefix` (RFC 6120 §8.1.3: unique within the stream).
    init(idPrefix prefix: String) {
        self.prefix = prefix
    }

    /// How many requests await an answer.
    var count: Int { self.pending.count }

    /// A fresh id not used by any outstanding request (RFC 6120 §8.1.3).
    mutating func makeID() -> String {
        repeat {
            self.counter += 1
        } while self.pending["\(self.prefix)\(self.counter)"] != nil
        return "\(self.prefix)\(self.counter)"
    }

    /// Records a request `id` sent to `responder` (nil: our own account); false when `id` is already outstanding.
    mutating func register(id: String, responder: JID?, token: Token) -> Bool {
        guard self.pending[id] == nil else { return false }
        self.pending[id] = Pending(responder: responder, token: token)
        return true
    }

    /// The token of the request `response` answers, removed from the table; nil for anything else: not an iq
    /// result/error, an unknown id, or the wrong sender. `ownJID` is our bound full JID.
    mutating func resolve(_ response: Stanza, ownJID: JID) -> Token? {
        guard response.kind == .iq, response.type == "result" || response.type == "error", let id = response.id,
            let pending = self.pending[id]
        else { return nil }
        let accepted: Bool
        if let responder = pending.responder {
            accepted =
                response.from == responder
                || (response.from == nil && (responder == ownJID.bare || responder.description == ownJID.domainpart))
        } else {
            let from = response.from
            accepted = from == nil || from == ownJID.bare || from == ownJID || from?.description == ownJID.domainpart
        }
        guard accepted else { return nil }
        self.pending[id] = nil
        return pending.token
    }

    /// Removes a request without an answer, e.g. when it timed out.
    mutating func remove(id: String) -> Token? {
        self.pending.removeValue(forKey: id)?.token
    }

    /// Removes every outstanding request, e.g. when the stream closed.
    mutating func removeAll() -> [Token] {
        defer { self.pending = [:] }
        return self.pending.values.map(\.token)
    }
}
