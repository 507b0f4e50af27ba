import Testing
import XMPPClient
import XMPPCore

/// The Intercloud iqs the harness sends, and reading their answers (CONTRACT §5.1, §5.3).
@Suite struct IntercloudRequestsTests {
    @Test func publishIsAPEPPublishOfTheCurrentItem() throws {
        let iq = IntercloudRequests.publishCapabilities(turtle: "<xmpp:alpha@intercloud.localhost> a ic:Cloud .")
        #expect(
            iq.serialized(parentNamespace: Namespace.client)
                == "<iq type='set'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                + "<publish node='urn:intercloud:capabilities:0'><item id='current'>"
                + "<capabilities xmlns='urn:intercloud:capabilities:0'>"
                + "&lt;xmpp:alpha@intercloud.localhost&gt; a ic:Cloud .</capabilities></item></publish></pubsub></iq>")
        // The server's own parser reads it as a publish of that payload (XEP-0060 §7.1.1).
        var withID = iq
        withID[attribute: "id"] = "p1"
        let request = try PubSubRequest(try Stanza(withID))
        guard case .publish(let node, let itemID, let payload?, nil) = request else {
            Issue.record("not a publish: \(request)")
            return
        }
        #expect(node == IntercloudNamespace.capabilities)
        #expect(itemID == "current")
        #expect(payload.text == "<xmpp:alpha@intercloud.localhost> a ic:Cloud .")
    }

    @Test func matchAddressesTheDirectory() {
        let iq = IntercloudRequests.match(sparql: "SELECT ?c WHERE { ?c a ic:Cloud }", directory: "directory.d")
        #expect(
            iq.serialized(parentNamespace: Namespace.client)
                == "<iq to='directory.d' type='get'><match xmlns='urn:intercloud:match:0'>"
                + "<sparql>SELECT ?c WHERE { ?c a ic:Cloud }</sparql></match></iq>")
    }

    @Test func matchResultsAndRowsAreRead() throws {
        let result = try Stanza(
            try XML.element(
                "<iq type='result' id='m1' from='directory.intercloud.localhost'>"
                    + "<match xmlns='urn:intercloud:match:0'>"
                    + "<sparql xmlns='http://www.w3.org/2005/sparql-results#'><head><variable name='c'/>"
                    + "<variable name='p'/></head><results>"
                    + "<result><binding name='c'><uri>xmpp:alpha@intercloud.localhost</uri></binding>"
                    + "<binding name='p'><literal>available</literal></binding></result>"
                    + "<result><binding name='c'><uri>xmpp:beta@intercloud.localhost</uri></binding></result>"
                    + "</results></sparql></match></iq>"))
        let sparql = try IntercloudRequests.matchResults(result)
        #expect(sparql.name == "sparql")
        #expect(
            IntercloudRequests.rows(sparql) == [
                ["c": "xmpp:alpha@intercloud.localhost", "p": "available"], ["c": "xmpp:beta@intercloud.localhost"],
            ])
    }

    @Test func aMatchResultWithoutResultsIsAnInvalidResponse() throws {
        let empty = try Stanza(try XML.element("<iq type='result' id='m1'/>"))
        #expect(throws: XMPPClientError(.invalidResponse, "the match result holds no SPARQL results document")) {
            try IntercloudRequests.matchResults(empty)
        }
    }
}
