import XMPPCore

/// Something that sees every stanza a local session sends before routing and may take it over — the negotiation
/// ledger, which validates and records `urn:intercloud:negotiation:0` exchanges it routes (docs/negotiation.md).
public protocol StanzaInterceptor: Sendable {
    /// Returns true when the interceptor has taken the stanza (answered, replaced or dropped it); false lets the
    /// router route it as usual. Must not block: slow work continues asynchronously.
    func intercept(_ stanza: Stanza, from sender: Session) -> Bool
}
