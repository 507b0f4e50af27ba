/// XML namespaces used on XMPP streams.
///
/// Collected in one place so that every feature and test spells them the same way (RFC 6120 §4.8, §5, §6, §7;
/// XEP-0030; XEP-0092; XEP-0199).
public enum Namespace {
    /// The stream namespace (RFC 6120 §4.8.1).
    public static let stream = "http://etherx.jabber.org/streams"
    /// The content namespace of client-to-server streams (RFC 6120 §4.8.2).
    public static let client = "jabber:client"
    /// The content namespace of server-to-server streams (RFC 6120 §4.8.2).
    public static let server = "jabber:server"
    /// Stream error conditions (RFC 6120 §4.9.3).
    public static let streamErrors = "urn:ietf:params:xml:ns:xmpp-streams"
    /// Stanza error conditions (RFC 6120 §8.3.3).
    public static let stanzaErrors = "urn:ietf:params:xml:ns:xmpp-stanzas"
    /// STARTTLS negotiation (RFC 6120 §5.4).
    public static let tls = "urn:ietf:params:xml:ns:xmpp-tls"
    /// SASL negotiation (RFC 6120 §6.4).
    public static let sasl = "urn:ietf:params:xml:ns:xmpp-sasl"
    /// Resource binding (RFC 6120 §7).
    public static let bind = "urn:ietf:params:xml:ns:xmpp-bind"
    /// Legacy session establishment, kept optional for old clients (RFC 3921 §3, draft-cridland-xmpp-session-01).
    public static let session = "urn:ietf:params:xml:ns:xmpp-session"
    /// Service discovery, information (XEP-0030 §3).
    public static let discoInfo = "http://jabber.org/protocol/disco#info"
    /// Service discovery, items (XEP-0030 §4).
    public static let discoItems = "http://jabber.org/protocol/disco#items"
    /// XMPP ping (XEP-0199 §3).
    public static let ping = "urn:xmpp:ping"
    /// Software version (XEP-0092 §2).
    public static let version = "jabber:iq:version"
}
