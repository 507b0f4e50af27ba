import Testing
import XMPPCore

@testable import XMPPClient

/// iq correlation by id and sender (RFC 6120 §8.1.2.1, §8.2.3, §10.3.3).
@Suite struct IQResponseTrackerTests {
    let me = try! JID(parsing: "alpha@intercloud.localhost/harness")

    func response(_ xml: String) throws -> Stanza {
        try Stanza(try XML.element(xml))
    }

    @Test func aResultFromTheAddresseeResolvesTheRequest() throws {
        var tracker = IQResponseTracker<Int>(idPrefix: "ic")
        let id = tracker.makeID()
        #expect(id == "ic1")
        let registered = tracker.register(
            id: id, responder: try JID(parsing: "directory.intercloud.localhost"), token: 7)
        #expect(registered)
        let spoofed = tracker.resolve(
            try self.response("<iq type='result' id='ic1' from='mallory@x'/>"), ownJID: self.me)
        #expect(spoofed == nil)
        #expect(tracker.count == 1)
        let genuine = tracker.resolve(
            try self.response("<iq type='result' id='ic1' from='directory.intercloud.localhost'/>"), ownJID: self.me)
        #expect(genuine == 7)
        #expect(tracker.count == 0)
    }

    @Test func aRequestToOurAccountAcceptsTheServersWaysOfAnswering() throws {
        var tracker = IQResponseTracker<String>(idPrefix: "ic")
        for (index, from) in ["", " from='alpha@intercloud.localhost'", " from='intercloud.localhost'"].enumerated() {
            let registered = tracker.register(id: "p\(index)", responder: nil, token: "t\(index)")
            #expect(registered)
            let token = tracker.resolve(try self.response("<iq type='result' id='p\(index)'\(from)/>"), ownJID: self.me)
            #expect(token == "t\(index)")
        }
        _ = tracker.register(id: "q", responder: nil, token: "q")
        let foreign = tracker.resolve(
            try self.response("<iq type='error' id='q' from='beta@intercloud.localhost'/>"), ownJID: self.me)
        #expect(foreign == nil)
    }

    @Test func requestsAndUnknownIdsAreNotResponses() throws {
        var tracker = IQResponseTracker<Int>(idPrefix: "ic")
        let first = tracker.register(id: "a", responder: nil, token: 1)
        let duplicate = tracker.register(id: "a", responder: nil, token: 2)
        #expect(first && !duplicate)
        let request = tracker.resolve(
            try self.response("<iq type='get' id='a'><ping xmlns='urn:xmpp:ping'/></iq>"), ownJID: self.me)
        let unknown = tracker.resolve(try self.response("<iq type='result' id='b'/>"), ownJID: self.me)
        let removed = tracker.remove(id: "a")
        let late = tracker.resolve(try self.response("<iq type='result' id='a'/>"), ownJID: self.me)
        #expect(request == nil && unknown == nil && late == nil)
        #expect(removed == 1)
    }

    @Test func generatedIdsSkipOutstandingOnesAndRemoveAllEmptiesTheTable() {
        var tracker = IQResponseTracker<Int>(idPrefix: "x")
        _ = tracker.register(id: "x1", responder: nil, token: 1)
        let id = tracker.makeID()
        #expect(id == "x2")
        _ = tracker.register(id: "x2", responder: nil, token: 2)
        let all = tracker.removeAll()
        #expect(all.sorted() == [1, 2])
        #expect(tracker.count == 0)
    }
}
