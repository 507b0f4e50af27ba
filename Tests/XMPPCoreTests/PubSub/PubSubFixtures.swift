import Testing

@testable import XMPPCore

/// Stanzas from the XEP-0060 and XEP-0163 examples, parsed as a `jabber:client` stream would deliver them.
enum PubSubFixtures {
    /// Parses one stanza from its XML text (RFC 6120 §4.8.3).
    static func stanza(_ xml: String) throws -> Stanza {
        var parser = XMLStreamParser()
        let events = try parser.feed(
            "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" + xml)
        guard events.count == 2, case .element(let element) = events[1] else {
            throw PubSubError.badRequest("fixture did not parse to one stanza")
        }
        return try Stanza(element)
    }

    /// Wraps `pubsub` in an iq of the given type from juliet (XEP-0163 §3).
    static func iq(_ type: String, _ pubsub: String) throws -> Stanza {
        try Self.stanza("<iq from='juliet@capulet.lit/balcony' type='\(type)' id='pub1'>\(pubsub)</iq>")
    }

    /// Parses a request, returning the thrown error instead (XEP-0060 §7.1.3).
    static func error(_ type: String, _ pubsub: String) throws -> PubSubError? {
        do {
            _ = try PubSubRequest(try Self.iq(type, pubsub))
            return nil
        } catch let error as PubSubError {
            return error
        }
    }

    /// XEP-0163 §3, Example 1: publishing a tune to the `http://jabber.org/protocol/tune` node.
    static let tunePublish = """
        <iq from='juliet@capulet.lit/balcony' type='set' id='pub1'>
          <pubsub xmlns='http://jabber.org/protocol/pubsub'>
            <publish node='http://jabber.org/protocol/tune'>
              <item id='current'>
                <tune xmlns='http://jabber.org/protocol/tune'>
                  <artist>Gerald Finzi</artist>
                  <length>255</length>
                  <source>Music for Shakespearean Productions</source>
                  <title>Brief Prelude</title>
                  <track>1</track>
                </tune>
              </item>
            </publish>
          </pubsub>
        </iq>
        """

    /// CONTRACT §5.1: a cloud's capability description published to its own PEP node.
    static let capabilitiesPublish = """
        <iq type='set' id='caps1' to='alpha@intercloud.test'>
          <pubsub xmlns='http://jabber.org/protocol/pubsub'>
            <publish node='urn:intercloud:capabilities:0'>
              <item id='current'>
                <capabilities xmlns='urn:intercloud:capabilities:0'>@prefix ic: &lt;https://w3id.org/intercloud/ns#&gt; .
        &lt;xmpp:alpha@intercloud.test&gt; a ic:Cloud .</capabilities>
              </item>
            </publish>
          </pubsub>
        </iq>
        """

    /// A publish-options form with the given extra fields (XEP-0060 §7.1.5, Example 130).
    static func publishOptions(_ fields: String, formType: String = Namespace.pubsubPublishOptions) -> String {
        """
        <publish-options><x xmlns='jabber:x:data' type='submit'>
          <field var='FORM_TYPE' type='hidden'><value>\(formType)</value></field>\(fields)
        </x></publish-options>
        """
    }

    /// A publish of one `<mood/>` item with optional publish-options (XEP-0163 §3; XEP-0060 §7.1.5).
    static func moodPublish(options: String = "") -> String {
        """
        <pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='http://jabber.org/protocol/mood'>
        <item id='current'><mood xmlns='http://jabber.org/protocol/mood'><happy/></mood></item></publish>\(options)
        </pubsub>
        """
    }

    /// The publisher of XEP-0163 §3.
    static let juliet = JID("juliet@capulet.lit/balcony")!
    /// A contact receiving notifications (XEP-0163 §4.3).
    static let romeo = JID("romeo@montague.lit/orchard")!
}
