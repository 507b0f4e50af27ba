import Foundation
import Testing

@testable import XMPPCore

@Suite struct RosterItemTests {
    private func jid(_ string: String) -> JID { try! JID(parsing: string) }

    private func item(_ attributes: [String: String], groups: [String] = []) -> XMLElement {
        var item = XMLElement(name: "item", namespace: Namespace.roster, attributes: attributes)
        for group in groups {
            item.append(XMLElement(name: "group", namespace: Namespace.roster, children: [.text(group)]))
        }
        return item
    }

    private func rosterSet(_ items: [XMLElement]) throws -> Stanza {
        var query = XMLElement(name: "query", namespace: Namespace.roster)
        for item in items { query.append(item) }
        let iq = XMLElement(
            name: "iq", namespace: Namespace.client, attributes: ["type": "set", "id": "ph1g37s1"],
            children: [.element(query)])
        return try Stanza(iq)
    }

    private func setError(_ items: [XMLElement]) throws -> StanzaError? {
        do {
            _ = try RosterQuery.parseSet(try self.rosterSet(items))
            return nil
        } catch let error as StanzaError {
            return error
        }
    }

    /// RFC 6121 §2.1.2: the item carries subscription, ask and approved; groups are sorted and unique.
    @Test func makeElementSerialisesTheItem() throws {
        let item = RosterItem(
            jid: self.jid("juliet@example.net/balcony"), name: "Juliet", subscription: .fromOut,
            groups: ["Friends", "Capulets", "Friends"], approved: true)
        #expect(item.jid == self.jid("juliet@example.net"))
        #expect(item.groups == ["Capulets", "Friends"])
        #expect(
            item.makeElement().serialized(parentNamespace: Namespace.roster)
                == "<item approved='true' ask='subscribe' jid='juliet@example.net' name='Juliet' subscription='from'>"
                + "<group>Capulets</group><group>Friends</group></item>")
        let hidden = RosterItem(jid: self.jid("nurse@example.com"), subscription: .toIn)
        #expect(
            hidden.makeElement().serialized(parentNamespace: Namespace.roster)
                == "<item jid='nurse@example.com' subscription='to'/>")
        #expect(try RosterItem(item.makeElement()) == item)
    }

    /// RFC 6121 §2.3.2: a roster set adds or updates one item, ignoring subscription/ask/approved (§2.1.2).
    @Test func parseSetUpdate() throws {
        let request = try RosterQuery.parseSet(
            try self.rosterSet([
                self.item(
                    ["jid": "nurse@example.com", "name": "Nurse", "subscription": "both", "ask": "subscribe"],
                    groups: ["Servants", "Capulets"])
            ]))
        #expect(
            request == .update(jid: self.jid("nurse@example.com"), name: "Nurse", groups: ["Capulets", "Servants"]))
        let existing = RosterItem(jid: self.jid("nurse@example.com"), subscription: .to, approved: true)
        let updated = request.applied(to: existing)
        #expect(updated?.subscription == .to)
        #expect(updated?.approved == true)
        #expect(updated?.groups == ["Capulets", "Servants"])
        #expect(request.applied(to: nil)?.subscription == SubscriptionState.none)
    }

    /// RFC 6121 §2.5.2: subscription='remove' deletes the item.
    @Test func parseSetRemove() throws {
        let request = try RosterQuery.parseSet(
            try self.rosterSet([self.item(["jid": "nurse@example.com", "subscription": "remove"])]))
        #expect(request == .remove(jid: self.jid("nurse@example.com")))
        #expect(request.applied(to: nil) == nil)
    }

    /// RFC 6121 §2.3.3: the error cases of a roster set.
    @Test func parseSetErrors() throws {
        let tooLong = String(repeating: "x", count: RosterItem.maximumTextLength + 1)
        let nurse = ["jid": "nurse@example.com"]
        #expect(
            try self.setError([self.item(nurse), self.item(["jid": "juliet@example.net"])])?.condition == .badRequest)
        #expect(try self.setError([])?.condition == .badRequest)
        #expect(try self.setError([self.item(nurse, groups: ["A", "A"])])?.condition == .badRequest)
        #expect(try self.setError([self.item(nurse, groups: [""])])?.condition == .notAcceptable)
        #expect(try self.setError([self.item(nurse, groups: [tooLong])])?.condition == .notAcceptable)
        #expect(
            try self.setError([self.item(["jid": "nurse@example.com", "name": tooLong])])?.condition == .notAcceptable)
        #expect(try self.setError([self.item(["name": "Nurse"])])?.condition == .badRequest)
        #expect(try self.setError([self.item(["jid": "@example.com"])])?.condition == .jidMalformed)
        #expect(try self.setError([self.item(["jid": "nurse@example.com/chamber"])])?.condition == .badRequest)
        let atLimit = String(repeating: "é", count: RosterItem.maximumTextLength / 2)
        #expect(try self.setError([self.item(["jid": "nurse@example.com", "name": atLimit])]) == nil)
    }

    /// RFC 6121 §2.1.4, §2.1.6, §2.5.2: result, push and removal-push payloads.
    @Test func queryPayloads() {
        let romeo = RosterItem(jid: self.jid("romeo@example.net"), subscription: .both, groups: ["Friends"])
        let nurse = RosterItem(jid: self.jid("nurse@example.com"), name: "Nurse", subscription: .noneOut)
        #expect(
            RosterQuery.result(items: [romeo, nurse], version: "7").serialized()
                == "<query xmlns='jabber:iq:roster' ver='7'>"
                + "<item ask='subscribe' jid='nurse@example.com' name='Nurse' subscription='none'/>"
                + "<item jid='romeo@example.net' subscription='both'><group>Friends</group></item></query>")
        #expect(RosterQuery.result(items: [], version: nil).serialized() == "<query xmlns='jabber:iq:roster'/>")
        #expect(
            RosterQuery.push(item: romeo, version: "8").serialized()
                == "<query xmlns='jabber:iq:roster' ver='8'><item jid='romeo@example.net' subscription='both'>"
                + "<group>Friends</group></item></query>")
        #expect(
            RosterQuery.removalPush(jid: self.jid("nurse@example.com/x"), version: "9").serialized()
                == "<query xmlns='jabber:iq:roster' ver='9'><item jid='nurse@example.com' subscription='remove'/></query>"
        )
    }

    /// Codable round trip keeps the JID as a string and normalises groups.
    @Test func codableRoundTrip() throws {
        let item = RosterItem(
            jid: self.jid("juliet@example.net"), name: "J", subscription: .toIn, groups: ["b", "a"], approved: true)
        let data = try JSONEncoder().encode(item)
        #expect(try JSONDecoder().decode(RosterItem.self, from: data) == item)
        let bad = Data(#"{"jid":"@x","subscription":"none"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RosterItem.self, from: bad) }
    }
}

@Suite struct RosterVersionTests {
    /// RFC 6121 §2.6.1: a decimal, monotonic version string.
    @Test func parsesDecimalCounters() {
        #expect(RosterVersion("0")?.counter == 0)
        #expect(RosterVersion("305")?.string == "305")
        #expect(RosterVersion("18446744073709551615")?.counter == .max)
        for bogus in ["", "-1", "+1", "007", "1.0", "ver14", "18446744073709551616", " 1"] {
            #expect(RosterVersion(bogus) == nil, "\(bogus)")
        }
        #expect(RosterVersion.initial.next().next() == RosterVersion(counter: 2))
        #expect(RosterVersion(counter: .max).next().counter == .max)
        #expect(RosterVersion(counter: 1) < RosterVersion(counter: 2))
    }

    /// RFC 6121 §2.6.3: only the current version avoids the full roster.
    @Test func needsFullRoster() {
        let current = RosterVersion(counter: 42)
        #expect(!RosterVersion.needsFullRoster(clientVersion: "42", current: current))
        #expect(RosterVersion.needsFullRoster(clientVersion: nil, current: current))
        #expect(RosterVersion.needsFullRoster(clientVersion: "", current: current))
        #expect(RosterVersion.needsFullRoster(clientVersion: "41", current: current))
        #expect(RosterVersion.needsFullRoster(clientVersion: "43", current: current))
        #expect(RosterVersion.needsFullRoster(clientVersion: "042", current: current))
    }

    /// RFC 6121 §2.6.2: the `ver` of a roster get, absent or present.
    @Test func requestedVersion() throws {
        let get = XMLElement(
            name: "iq", namespace: Namespace.client, attributes: ["type": "get", "id": "r1"],
            children: [.element(XMLElement(name: "query", namespace: Namespace.roster, attributes: ["ver": "5"]))])
        #expect(RosterQuery.requestedVersion(try Stanza(get)) == "5")
        var plain = get
        plain.children = [.element(XMLElement(name: "query", namespace: Namespace.roster))]
        #expect(RosterQuery.requestedVersion(try Stanza(plain)) == nil)
    }
}
