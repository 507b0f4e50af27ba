import Foundation
import Testing
import XMPPClient
import XMPPCore

/// Builds the elements a server would send, by parsing XML text with the real stream parser, so transcripts read
/// like the wire (STYLE: protocol regressions as conversation transcripts).
enum XML {
    static let domain = "intercloud.localhost"
    private static let prefix =
        "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"

    /// One first-level element, written as the server would inside its stream.
    static func element(_ xml: String) throws -> XMLElement {
        var parser = XMLStreamParser(maxStanzaSize: 1 << 20)
        let events = try parser.feed(Self.prefix + xml)
        guard events.count == 2, case .element(let element) = events[1] else {
            Issue.record("expected exactly one element in \(xml), got \(events)")
            throw FixtureError.notOneElement
        }
        return element
    }

    /// The server's stream header (RFC 6120 §4.7.1), with `attributes` replacing the defaults.
    static func header(_ attributes: String = "from='intercloud.localhost' id='s1' version='1.0'") throws
        -> XMLElement
    {
        var parser = XMLStreamParser()
        let events = try parser.feed(
            "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' \(attributes)>")
        guard case .streamOpen(let header)? = events.first else { throw FixtureError.notOneElement }
        return header
    }

    /// The header the client sends: `to` the domain, plus `from` once TLS is up and the identity is known.
    static func clientHeader(from: String? = nil) -> String {
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
            + " to='intercloud.localhost'" + (from.map { " from='\($0)'" } ?? "") + " version='1.0' xml:lang='en'>"
    }

    /// Base64 of UTF-8 text, as in SASL elements (RFC 6120 §6.4.2).
    static func base64(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
    }

    enum FixtureError: Error {
        case notOneElement
    }
}

extension C2SClientStateMachine {
    /// A machine for `intercloud.localhost` with a fixed SCRAM nonce (the RFC 7677 §3 example's).
    static func fixture(
        _ authentication: Authentication, resource: String? = "harness", requireTLS: Bool = true, secured: Bool = false
    ) -> C2SClientStateMachine {
        C2SClientStateMachine(
            configuration: .init(
                domain: XML.domain, authentication: authentication, resource: resource, requireTLS: requireTLS,
                nonceGenerator: { "rOprNGfwEbeRWgbNEkqO" }),
            secured: secured)
    }

    /// Runs the machine from the start to the point where it waits for SASL features on a TLS stream.
    mutating func advanceToSecuredFeatures() throws {
        _ = self.start()
        _ = self.streamOpened(try XML.header())
        _ = self.elementReceived(
            try XML.element(
                "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
                    + "</stream:features>"))
        _ = self.elementReceived(try XML.element("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"))
        _ = self.tlsStarted()
        _ = self.streamOpened(try XML.header())
    }

    /// Runs the machine through STARTTLS, PLAIN (which the server accepts) and binding, to an established stream.
    mutating func advanceToEstablished() throws {
        try self.advanceToSecuredFeatures()
        _ = self.elementReceived(try XML.element(Self.mechanisms("PLAIN")))
        _ = self.elementReceived(try XML.element("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"))
        _ = self.streamOpened(try XML.header())
        _ = self.elementReceived(
            try XML.element("<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>"))
        _ = self.elementReceived(
            try XML.element(
                "<iq type='result' id='bind-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                    + "<jid>alpha@intercloud.localhost/harness</jid></bind></iq>"))
    }

    /// `<stream:features><mechanisms>…</mechanisms></stream:features>` (RFC 6120 §6.3.3).
    static func mechanisms(_ names: String...) -> String {
        "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
            + names.map { "<mechanism>\($0)</mechanism>" }.joined() + "</mechanisms></stream:features>"
    }
}
