/// Who may retrieve a node's items and receive its notifications (XEP-0060 §4.5; XEP-0163 §4).
///
/// The `authorize` model is not offered: it needs explicit subscriptions, which PEP replaces with presence
/// (XEP-0163 §4). A node whose configured model is unknown should be treated as ``whitelist`` (fail closed).
public enum AccessModel: String, Sendable, CaseIterable {
    /// Anyone may retrieve items (XEP-0060 §4.5 "open").
    case open
    /// Contacts subscribed to the owner's presence may retrieve items; PEP's default (XEP-0060 §4.5; XEP-0163 §4).
    case presence
    /// Contacts in the allowed roster groups may retrieve items (XEP-0060 §4.5 "roster").
    ///
    /// Roster groups are not configurable here, so this behaves like ``presence``: any contact subscribed to the
    /// owner's presence is admitted, which is the case of "all groups allowed".
    case roster
    /// Only entities on the whitelist may retrieve items; the whitelist holds only the owner here
    /// (XEP-0060 §4.5 "whitelist").
    case whitelist

    /// The outcome of an access check, policy style: met, or failed with the error to return (XEP-0060 §6.5.9).
    public enum Decision: Sendable, Equatable {
        /// The requester may access the node (XEP-0060 §4.5).
        case meetsPolicy
        /// The requester may not; reply with this error (XEP-0060 §6.5.9).
        case failsToMeetPolicy(PubSubError)
    }

    /// The model as configured, failing closed: an unknown or missing value is ``whitelist`` (XEP-0060 §4.5).
    public init(configured value: String?) {
        self = value.flatMap(AccessModel.init(rawValue:)) ?? .whitelist
    }

    /// Whether `requester` may retrieve items from a node owned by `owner` under `model` (XEP-0060 §4.5).
    ///
    /// Addresses are compared bare. `requesterSubscription` is the state of the *owner's* roster item for the
    /// requester (`nil` when there is none): `from`/`both` mean the requester receives the owner's presence
    /// (``SubscriptionState/sendsPresenceTo``, RFC 6121 §4.2.2), as the `presence` model requires. The owner is
    /// always admitted (XEP-0060 §4.1 owner affiliation).
    public static func mayAccess(
        model: AccessModel, owner: JID, requester: JID, requesterSubscription: SubscriptionState?
    ) -> Bool {
        if owner.bare == requester.bare { return true }
        switch model {
        case .open: return true
        case .presence, .roster: return requesterSubscription?.sendsPresenceTo ?? false
        case .whitelist: return false
        }
    }

    /// The error for a requester this model refuses (XEP-0060 §6.5.9).
    ///
    /// `presence` → `not-authorized` + `<presence-subscription-required/>`; `roster` → `not-authorized` +
    /// `<not-in-roster-group/>`; `whitelist` → `not-allowed` + `<closed-node/>`. `open` refuses nobody; should a
    /// caller ask anyway it gets plain `forbidden` (XEP-0060 §6.5.9 "blocked").
    public static func denialError(model: AccessModel) -> PubSubError {
        switch model {
        case .open: PubSubError(.forbidden)
        case .presence: .presenceSubscriptionRequired
        case .roster: .notInRosterGroup
        case .whitelist: .closedNode
        }
    }

    /// ``mayAccess(model:owner:requester:requesterSubscription:)`` and ``denialError(model:)`` in one decision
    /// (XEP-0060 §4.5, §6.5.9).
    public static func decide(
        model: AccessModel, owner: JID, requester: JID, requesterSubscription: SubscriptionState?
    ) -> Decision {
        let allowed = Self.mayAccess(
            model: model, owner: owner, requester: requester, requesterSubscription: requesterSubscription)
        return allowed ? .meetsPolicy : .failsToMeetPolicy(Self.denialError(model: model))
    }
}
