import XMPPCore

/// Carries stanzas to other servers; the router and the presence engine depend on this, not on the s2s code.
public protocol FederationRouting: Sendable {
    /// Sends a stanza (in `jabber:client`, `from` in one of our domains, `to` in a remote one) over a
    /// server-to-server stream, queueing it while the stream is set up. Failures come back to the local sender as
    /// error stanzas: `remote-server-not-found`, `remote-server-timeout` (RFC 6120 §8.3.3.15, §8.3.3.16), or
    /// `resource-constraint` when the queue is full (§8.3.3.18).
    func send(_ element: XMLElement)
}

/// Decides whether a peer server's certificate authenticates a domain, declared here so that the XMPP layer does
/// not import the certificate authority; the executable answers with the federation trust anchors.
public protocol PeerCertificateVerifier: Sendable {
    /// Whether `chain` (leaf first, DER) leads to a federation trust anchor and names `domain` as a DNS-ID,
    /// SRV-ID or xmppAddr (RFC 6120 §13.7.1.2, §13.7.2.1; RFC 6125 §6).
    func verify(chain: [[UInt8]], domain: String) async -> Bool
}
