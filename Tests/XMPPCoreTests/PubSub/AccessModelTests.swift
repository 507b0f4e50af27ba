import Testing

@testable import XMPPCore

/// The access-model decision table (XEP-0060 §4.5, §6.5.9; XEP-0163 §4).
@Suite struct AccessModelTests {
    static let owner = JID("juliet@capulet.lit")!
    static let ownerResource = JID("juliet@capulet.lit/balcony")!
    static let contact = JID("romeo@montague.lit/orchard")!

    @Test(arguments: AccessModel.allCases)
    func ownerAlwaysHasAccess(model: AccessModel) {
        #expect(
            AccessModel.mayAccess(
                model: model, owner: Self.owner, requester: Self.ownerResource, requesterSubscription: nil))
        #expect(
            AccessModel.decide(model: model, owner: Self.owner, requester: Self.owner, requesterSubscription: nil)
                == .meetsPolicy)
    }

    @Test(arguments: SubscriptionState.allCases)
    func table(state: SubscriptionState) {
        let subscribed = state == .from || state == .fromOut || state == .both
        func may(_ model: AccessModel) -> Bool {
            AccessModel.mayAccess(
                model: model, owner: Self.owner, requester: Self.contact, requesterSubscription: state)
        }
        #expect(may(.open))
        #expect(may(.presence) == subscribed)
        #expect(may(.roster) == subscribed)
        #expect(!may(.whitelist))
    }

    @Test func strangersWithoutRosterItem() {
        func may(_ model: AccessModel) -> Bool {
            AccessModel.mayAccess(model: model, owner: Self.owner, requester: Self.contact, requesterSubscription: nil)
        }
        #expect(AccessModel.allCases.filter(may) == [.open])
    }

    @Test func denialErrors() {
        #expect(
            AccessModel.denialError(model: .presence)
                == PubSubError(.notAuthorized, applicationCondition: "presence-subscription-required"))
        #expect(
            AccessModel.denialError(model: .roster)
                == PubSubError(.notAuthorized, applicationCondition: "not-in-roster-group"))
        #expect(
            AccessModel.denialError(model: .whitelist) == PubSubError(.notAllowed, applicationCondition: "closed-node"))
        #expect(AccessModel.denialError(model: .open).stanzaError.condition == .forbidden)
        #expect(
            AccessModel.decide(model: .presence, owner: Self.owner, requester: Self.contact, requesterSubscription: .to)
                == .failsToMeetPolicy(.presenceSubscriptionRequired))
    }

    @Test func configuredValuesFailClosed() {
        #expect(AccessModel(configured: "open") == .open)
        #expect(AccessModel(configured: "authorize") == .whitelist)
        #expect(AccessModel(configured: nil) == .whitelist)
    }
}
