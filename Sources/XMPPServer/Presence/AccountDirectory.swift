import XMPPCore

/// Which accounts exist, declared here so that the XMPP layer does not import the registry (the executable
/// answers from it). Needed where RFC 6121 treats unknown local users differently (§3.1.3, §8.5.1).
public protocol AccountDirectory: Sendable {
    /// Whether `bareJID` is a registered, active account of this server.
    func accountExists(_ bareJID: JID) async -> Bool
}
