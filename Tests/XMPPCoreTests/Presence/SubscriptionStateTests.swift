import Testing

@testable import XMPPCore

/// One row of an RFC 6121 Appendix A table, typed from the RFC: existing state, ROUTE?/DELIVER?, new state.
struct SubscriptionRow: Sendable, CustomTestStringConvertible {
    var state: SubscriptionState
    var route: Bool
    var newState: SubscriptionState
    var push: Bool
    var autoReply: SubscriptionType? = nil
    var approved: Bool? = nil
    var presence: PresenceSignal? = nil

    var testDescription: String { "\(self.state.rfcName) → \(self.newState.rfcName)" }

    var expected: SubscriptionTransition {
        SubscriptionTransition(
            newState: self.newState, stateChanged: self.state != self.newState, route: self.route,
            rosterPush: self.push, autoReply: self.autoReply, approved: self.approved, presence: self.presence)
    }
}

@Suite struct SubscriptionStateTests {
    // RFC 6121 Appendix A.2.1: outbound "subscribe" is routed in every state.
    static let outboundSubscribeTable: [SubscriptionRow] = [
        .init(state: .none, route: true, newState: .noneOut, push: true),
        .init(state: .noneOut, route: true, newState: .noneOut, push: false),
        .init(state: .noneIn, route: true, newState: .noneOutIn, push: true),
        .init(state: .noneOutIn, route: true, newState: .noneOutIn, push: false),
        .init(state: .to, route: true, newState: .to, push: false),
        .init(state: .toIn, route: true, newState: .toIn, push: false),
        .init(state: .from, route: true, newState: .fromOut, push: true),
        .init(state: .fromOut, route: true, newState: .fromOut, push: false),
        .init(state: .both, route: true, newState: .both, push: false),
    ]

    // RFC 6121 Appendix A.2.2: outbound "unsubscribe" is routed in every state.
    static let outboundUnsubscribeTable: [SubscriptionRow] = [
        .init(state: .none, route: true, newState: .none, push: false),
        .init(state: .noneOut, route: true, newState: .none, push: true),
        .init(state: .noneIn, route: true, newState: .noneIn, push: false),
        .init(state: .noneOutIn, route: true, newState: .noneIn, push: true),
        .init(state: .to, route: true, newState: .none, push: true),
        .init(state: .toIn, route: true, newState: .noneIn, push: true),
        .init(state: .from, route: true, newState: .from, push: false),
        .init(state: .fromOut, route: true, newState: .from, push: true),
        .init(state: .both, route: true, newState: .from, push: true),
    ]

    // RFC 6121 Appendix A.2.3 with §3.1.5 (approval sends presence) and §3.4.2 (pre-approval, not routed).
    static let outboundSubscribedTable: [SubscriptionRow] = [
        .init(state: .none, route: false, newState: .none, push: false, approved: true),
        .init(state: .noneOut, route: false, newState: .noneOut, push: false, approved: true),
        .init(state: .noneIn, route: true, newState: .from, push: true, presence: .available),
        .init(state: .noneOutIn, route: true, newState: .fromOut, push: true, presence: .available),
        .init(state: .to, route: false, newState: .to, push: false, approved: true),
        .init(state: .toIn, route: true, newState: .both, push: true, presence: .available),
        .init(state: .from, route: false, newState: .from, push: false),
        .init(state: .fromOut, route: false, newState: .fromOut, push: false),
        .init(state: .both, route: false, newState: .both, push: false),
    ]

    // RFC 6121 Appendix A.2.4 with §3.2.2 (cancel sends unavailable) and §3.4.2 (withdraws a pre-approval).
    static let outboundUnsubscribedTable: [SubscriptionRow] = [
        .init(state: .none, route: false, newState: .none, push: false, approved: false),
        .init(state: .noneOut, route: false, newState: .noneOut, push: false, approved: false),
        .init(state: .noneIn, route: true, newState: .none, push: false),
        .init(state: .noneOutIn, route: true, newState: .noneOut, push: false),
        .init(state: .to, route: false, newState: .to, push: false, approved: false),
        .init(state: .toIn, route: true, newState: .to, push: false),
        .init(state: .from, route: true, newState: .none, push: true, presence: .unavailable),
        .init(state: .fromOut, route: true, newState: .noneOut, push: true, presence: .unavailable),
        .init(state: .both, route: true, newState: .to, push: true, presence: .unavailable),
    ]

    // RFC 6121 Appendix A.3.1 and §3.1.3: "no *" rows auto-reply "subscribed".
    static let inboundSubscribeTable: [SubscriptionRow] = [
        .init(state: .none, route: true, newState: .noneIn, push: false),
        .init(state: .noneOut, route: true, newState: .noneOutIn, push: false),
        .init(state: .noneIn, route: false, newState: .noneIn, push: false),
        .init(state: .noneOutIn, route: false, newState: .noneOutIn, push: false),
        .init(state: .to, route: true, newState: .toIn, push: false),
        .init(state: .toIn, route: false, newState: .toIn, push: false),
        .init(state: .from, route: false, newState: .from, push: false, autoReply: .subscribed),
        .init(state: .fromOut, route: false, newState: .fromOut, push: false, autoReply: .subscribed),
        .init(state: .both, route: false, newState: .both, push: false, autoReply: .subscribed),
    ]

    // RFC 6121 Appendix A.3.2 and §3.1.6: only an answer to a pending-out request is delivered.
    static let inboundSubscribedTable: [SubscriptionRow] = [
        .init(state: .none, route: false, newState: .none, push: false),
        .init(state: .noneOut, route: true, newState: .to, push: true),
        .init(state: .noneIn, route: false, newState: .noneIn, push: false),
        .init(state: .noneOutIn, route: true, newState: .toIn, push: true),
        .init(state: .to, route: false, newState: .to, push: false),
        .init(state: .toIn, route: false, newState: .toIn, push: false),
        .init(state: .from, route: false, newState: .from, push: false),
        .init(state: .fromOut, route: true, newState: .both, push: true),
        .init(state: .both, route: false, newState: .both, push: false),
    ]

    // RFC 6121 Appendix A.3.3 and §3.3.3: losing "From" sends unavailable to the contact.
    static let inboundUnsubscribeTable: [SubscriptionRow] = [
        .init(state: .none, route: false, newState: .none, push: false),
        .init(state: .noneOut, route: false, newState: .noneOut, push: false),
        .init(state: .noneIn, route: true, newState: .none, push: false),
        .init(state: .noneOutIn, route: true, newState: .noneOut, push: false),
        .init(state: .to, route: false, newState: .to, push: false),
        .init(state: .toIn, route: true, newState: .to, push: false),
        .init(state: .from, route: true, newState: .none, push: true, presence: .unavailable),
        .init(state: .fromOut, route: true, newState: .noneOut, push: true, presence: .unavailable),
        .init(state: .both, route: true, newState: .to, push: true, presence: .unavailable),
    ]

    // RFC 6121 Appendix A.3.4 and §3.2.3.
    static let inboundUnsubscribedTable: [SubscriptionRow] = [
        .init(state: .none, route: false, newState: .none, push: false),
        .init(state: .noneOut, route: true, newState: .none, push: true),
        .init(state: .noneIn, route: false, newState: .noneIn, push: false),
        .init(state: .noneOutIn, route: true, newState: .noneIn, push: true),
        .init(state: .to, route: true, newState: .none, push: true),
        .init(state: .toIn, route: true, newState: .noneIn, push: true),
        .init(state: .from, route: false, newState: .from, push: false),
        .init(state: .fromOut, route: true, newState: .from, push: true),
        .init(state: .both, route: true, newState: .from, push: true),
    ]

    @Test(arguments: Self.outboundSubscribeTable) func outboundSubscribe(_ row: SubscriptionRow) {
        #expect(row.state.outbound(.subscribe) == row.expected)
    }

    @Test(arguments: Self.outboundUnsubscribeTable) func outboundUnsubscribe(_ row: SubscriptionRow) {
        #expect(row.state.outbound(.unsubscribe) == row.expected)
    }

    @Test(arguments: Self.outboundSubscribedTable) func outboundSubscribed(_ row: SubscriptionRow) {
        #expect(row.state.outbound(.subscribed) == row.expected)
    }

    @Test(arguments: Self.outboundUnsubscribedTable) func outboundUnsubscribed(_ row: SubscriptionRow) {
        #expect(row.state.outbound(.unsubscribed) == row.expected)
    }

    @Test(arguments: Self.inboundSubscribeTable) func inboundSubscribe(_ row: SubscriptionRow) {
        #expect(row.state.inbound(.subscribe) == row.expected)
    }

    @Test(arguments: Self.inboundSubscribedTable) func inboundSubscribed(_ row: SubscriptionRow) {
        #expect(row.state.inbound(.subscribed) == row.expected)
    }

    @Test(arguments: Self.inboundUnsubscribeTable) func inboundUnsubscribe(_ row: SubscriptionRow) {
        #expect(row.state.inbound(.unsubscribe) == row.expected)
    }

    @Test(arguments: Self.inboundUnsubscribedTable) func inboundUnsubscribed(_ row: SubscriptionRow) {
        #expect(row.state.inbound(.unsubscribed) == row.expected)
    }

    @Test func tablesCoverEveryState() {
        let tables = [
            Self.outboundSubscribeTable, Self.outboundUnsubscribeTable, Self.outboundSubscribedTable,
            Self.outboundUnsubscribedTable,
            Self.inboundSubscribeTable, Self.inboundSubscribedTable, Self.inboundUnsubscribeTable,
            Self.inboundUnsubscribedTable,
        ]
        for table in tables {
            #expect(table.map(\.state) == SubscriptionState.allCases)
        }
    }

    /// RFC 6121 §3.4 / §3.1.3: a pre-approved request is answered by the server, not delivered.
    @Test(arguments: [
        SubscriptionRow(
            state: .none, route: false, newState: .from, push: true, autoReply: .subscribed, approved: false,
            presence: .available),
        SubscriptionRow(
            state: .noneOut, route: false, newState: .fromOut, push: true, autoReply: .subscribed, approved: false,
            presence: .available),
        SubscriptionRow(
            state: .to, route: false, newState: .both, push: true, autoReply: .subscribed, approved: false,
            presence: .available),
    ])
    func inboundSubscribePreApproved(_ row: SubscriptionRow) {
        #expect(row.state.inbound(.subscribe, preApproved: true) == row.expected)
    }

    /// RFC 6121 Appendix A.1: the roster attributes and the derived presence directions.
    @Test func rosterAttributes() {
        for state in SubscriptionState.allCases {
            #expect(SubscriptionState(rawValue: state.rawValue) == state)
            #expect(state.sendsPresenceTo == (state.rosterSubscription == "from" || state.rosterSubscription == "both"))
            #expect(
                state.receivesPresenceFrom == (state.rosterSubscription == "to" || state.rosterSubscription == "both"))
            if !state.pendingIn {
                #expect(
                    SubscriptionState(rosterSubscription: state.rosterSubscription, askSubscribe: state.askSubscribe)
                        == state)
            }
        }
        #expect(SubscriptionState.noneOutIn.askSubscribe && SubscriptionState.noneOutIn.pendingIn)
        #expect(SubscriptionState.fromOut.rosterSubscription == "from" && SubscriptionState.fromOut.askSubscribe)
        #expect(SubscriptionState(rosterSubscription: "both", askSubscribe: true) == nil)
        #expect(SubscriptionState(rosterSubscription: "remove", askSubscribe: false) == nil)
        #expect(SubscriptionState(to: true, from: true, pendingOut: false, pendingIn: true) == nil)
    }
}
