import XMPPCore

/// A service at its own subdomain of the server, such as `directory.D` (XEP-0114 components, run in process).
///
/// The router hands it every stanza addressed to its domain (any localpart or resource); the component answers
/// through `sender.deliver(_:)`, at once or later, so work that takes time (a SPARQL query) never blocks the event
/// loop that received the stanza. It is listed in the server's disco#items (XEP-0030 §4.1).
public protocol ServerComponent: Sendable {
    /// The component's domain, e.g. `directory.intercloud.localhost`.
    var domain: String { get }
    /// Its human-readable name for disco#items.
    var name: String { get }
    /// Handles one stanza from a local session (`from` already stamped). A request must be answered exactly once
    /// (RFC 6120 §8.2.3); results and errors addressed to the component may be ignored.
    func handle(_ stanza: Stanza, from sender: Session)
}
