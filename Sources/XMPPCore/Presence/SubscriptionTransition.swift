/// The four presence types that manage subscriptions (RFC 6121 §3; RFC 6120 §8.2.2 `type` values).
public enum SubscriptionType: String, Sendable, Hashable, CaseIterable {
    /// Request a subscription to the recipient's presence (RFC 6121 §3.1).
    case subscribe
    /// Approve the recipient's subscription request, or pre-approve one (RFC 6121 §3.1.5, §3.4).
    case subscribed
    /// Cancel the sender's subscription to the recipient's presence (RFC 6121 §3.3).
    case unsubscribe
    /// Deny a request, or cancel the recipient's subscription to the sender (RFC 6121 §3.2).
    case unsubscribed
}

/// What the user's server sends from the user's available resources to the contact as a side effect of a
/// subscription change (RFC 6121 §3.1.5, §3.2.2, §3.3.3).
public enum PresenceSignal: String, Sendable, Hashable {
    /// Send the latest available presence of each available resource: the contact just gained a subscription
    /// (RFC 6121 §3.1.5).
    case available
    /// Send `unavailable` from each available resource: the contact just lost its subscription
    /// (RFC 6121 §3.2.2, §3.3.3).
    case unavailable
}

/// The outcome of one row of the subscription tables in RFC 6121 Appendix A.2 (outbound) and A.3 (inbound).
///
/// A pure description; the session layer executes it: stores ``newState``, routes or delivers the stanza,
/// pushes the roster item, sends ``autoReply`` and ``presence``.
public struct SubscriptionTransition: Sendable, Equatable {
    /// The state after the stanza (equal to the old state on "no state change" rows).
    public var newState: SubscriptionState
    /// Whether the row changes the state (RFC 6121 Appendix A: anything but "no state change").
    public var stateChanged: Bool
    /// Outbound: route the stanza to the contact (Appendix A.2 "ROUTE?"). Inbound: deliver it to the user's
    /// available resources (Appendix A.3 "DELIVER?").
    public var route: Bool
    /// Whether to push the item to the user's interested resources: true when its visible `subscription` or `ask`
    /// changes (RFC 6121 §2.1.6, §3.1.2, §3.1.5, §3.1.6, §3.2.2, §3.2.3, §3.3.2, §3.3.3).
    ///
    /// When ``approved`` is non-nil the driver also pushes if the stored flag actually changes (RFC 6121 §3.4.2).
    public var rosterPush: Bool
    /// A stanza the user's server sends to the contact on the user's behalf instead of delivering: `subscribed`
    /// when the contact is already subscribed or pre-approved (RFC 6121 §3.1.3, §3.4).
    public var autoReply: SubscriptionType?
    /// The new value of the roster item's pre-approval flag, or `nil` to leave it (RFC 6121 §2.1.2.1, §3.4.2).
    public var approved: Bool?
    /// Presence to send from the user's resources to the contact (RFC 6121 §3.1.5, §3.2.2, §3.3.3).
    public var presence: PresenceSignal?

    /// Creates a transition (RFC 6121 Appendix A).
    public init(
        newState: SubscriptionState, stateChanged: Bool, route: Bool, rosterPush: Bool,
        autoReply: SubscriptionType? = nil, approved: Bool? = nil, presence: PresenceSignal? = nil
    ) {
        self.newState = newState
        self.stateChanged = stateChanged
        self.route = route
        self.rosterPush = rosterPush
        self.autoReply = autoReply
        self.approved = approved
        self.presence = presence
    }

    /// A row moving `old` to `new`; the push follows from the visible attributes (RFC 6121 §2.1.2.2, §2.1.2.5).
    init(
        from old: SubscriptionState, to new: SubscriptionState, route: Bool, autoReply: SubscriptionType? = nil,
        approved: Bool? = nil, presence: PresenceSignal? = nil
    ) {
        self.init(
            newState: new, stateChanged: old != new, route: route,
            rosterPush: old.rosterSubscription != new.rosterSubscription || old.askSubscribe != new.askSubscribe,
            autoReply: autoReply, approved: approved, presence: presence)
    }
}

extension SubscriptionState {
    /// The user sends `type` to the contact: RFC 6121 Appendix A.2 (§3.1.2, §3.1.5, §3.2.2, §3.3.2, §3.4.2).
    ///
    /// - A.2.1 `subscribe`: routed in every state; None→None + Pending Out, None + Pending In→None + Pending Out/In,
    ///   From→From + Pending Out.
    /// - A.2.2 `unsubscribe`: routed in every state; the To half and Pending Out are dropped.
    /// - A.2.3 `subscribed`: routed only with a pending-in request, which it approves (§3.1.5); in "None",
    ///   "None + Pending Out" and "To" it is a pre-approval, noted and not routed (§3.4.2); otherwise ignored.
    /// - A.2.4 `unsubscribed`: routed only when it denies a pending-in request or cancels the From half (§3.2.2);
    ///   in "None", "None + Pending Out" and "To" it only withdraws a pre-approval (§3.4.2).
    public func outbound(_ type: SubscriptionType) -> SubscriptionTransition {
        switch type {
        case .subscribe:
            let next: SubscriptionState =
                switch self {
                case .none: .noneOut
                case .noneIn: .noneOutIn
                case .from: .fromOut
                default: self
                }
            return SubscriptionTransition(from: self, to: next, route: true)
        case .unsubscribe:
            let next: SubscriptionState =
                switch self {
                case .noneOut, .to: .none
                case .noneOutIn, .toIn: .noneIn
                case .fromOut, .both: .from
                default: self
                }
            return SubscriptionTransition(from: self, to: next, route: true)
        case .subscribed:
            switch self {
            case .noneIn: return SubscriptionTransition(from: self, to: .from, route: true, presence: .available)
            case .noneOutIn: return SubscriptionTransition(from: self, to: .fromOut, route: true, presence: .available)
            case .toIn: return SubscriptionTransition(from: self, to: .both, route: true, presence: .available)
            case .none, .noneOut, .to: return SubscriptionTransition(from: self, to: self, route: false, approved: true)
            case .from, .fromOut, .both: return SubscriptionTransition(from: self, to: self, route: false)
            }
        case .unsubscribed:
            switch self {
            case .noneIn: return SubscriptionTransition(from: self, to: .none, route: true)
            case .noneOutIn: return SubscriptionTransition(from: self, to: .noneOut, route: true)
            case .toIn: return SubscriptionTransition(from: self, to: .to, route: true)
            case .from: return SubscriptionTransition(from: self, to: .none, route: true, presence: .unavailable)
            case .fromOut: return SubscriptionTransition(from: self, to: .noneOut, route: true, presence: .unavailable)
            case .both: return SubscriptionTransition(from: self, to: .to, route: true, presence: .unavailable)
            case .none, .noneOut, .to:
                return SubscriptionTransition(from: self, to: self, route: false, approved: false)
            }
        }
    }

    /// The contact's `type` arrives for the user: RFC 6121 Appendix A.3 (§3.1.3, §3.1.6, §3.2.3, §3.3.3).
    ///
    /// - A.3.1 `subscribe`: delivered when it creates Pending In; a duplicate is not delivered again; when the
    ///   contact is already subscribed ("From", "From + Pending Out", "Both") the server auto-replies `subscribed`
    ///   (§3.1.3). With `preApproved` in "None", "None + Pending Out" or "To" the server approves on the user's
    ///   behalf: not delivered, auto-reply `subscribed`, state gains From, flag cleared (§3.4, §3.1.3).
    /// - A.3.2 `subscribed`: delivered only when it answers a pending-out request; otherwise ignored (§3.1.6).
    /// - A.3.3 `unsubscribe`: delivered when it removes Pending In or the From half (§3.3.3); losing From sends
    ///   `unavailable` to the contact.
    /// - A.3.4 `unsubscribed`: delivered when it removes Pending Out or the To half (§3.2.3).
    public func inbound(_ type: SubscriptionType, preApproved: Bool = false) -> SubscriptionTransition {
        switch type {
        case .subscribe:
            switch self {
            case .none, .noneOut, .to:
                guard !preApproved else {
                    let next: SubscriptionState = self == .to ? .both : (self == .noneOut ? .fromOut : .from)
                    return SubscriptionTransition(
                        from: self, to: next, route: false, autoReply: .subscribed, approved: false,
                        presence: .available)
                }
                let next: SubscriptionState = self == .to ? .toIn : (self == .noneOut ? .noneOutIn : .noneIn)
                return SubscriptionTransition(from: self, to: next, route: true)
            case .noneIn, .noneOutIn, .toIn:
                return SubscriptionTransition(from: self, to: self, route: false)
            case .from, .fromOut, .both:
                return SubscriptionTransition(from: self, to: self, route: false, autoReply: .subscribed)
            }
        case .subscribed:
            let next: SubscriptionState =
                switch self {
                case .noneOut: .to
                case .noneOutIn: .toIn
                case .fromOut: .both
                default: self
                }
            return SubscriptionTransition(from: self, to: next, route: next != self)
        case .unsubscribe:
            switch self {
            case .noneIn: return SubscriptionTransition(from: self, to: .none, route: true)
            case .noneOutIn: return SubscriptionTransition(from: self, to: .noneOut, route: true)
            case .toIn: return SubscriptionTransition(from: self, to: .to, route: true)
            case .from: return SubscriptionTransition(from: self, to: .none, route: true, presence: .unavailable)
            case .fromOut: return SubscriptionTransition(from: self, to: .noneOut, route: true, presence: .unavailable)
            case .both: return SubscriptionTransition(from: self, to: .to, route: true, presence: .unavailable)
            case .none, .noneOut, .to: return SubscriptionTransition(from: self, to: self, route: false)
            }
        case .unsubscribed:
            let next: SubscriptionState =
                switch self {
                case .noneOut, .to: .none
                case .noneOutIn, .toIn: .noneIn
                case .fromOut, .both: .from
                default: self
                }
            return SubscriptionTransition(from: self, to: next, route: next != self)
        }
    }
}
