/// The nine defined presence subscription states between a user and one contact, as the user's server records them
/// (RFC 6121 Appendix A.1).
///
/// The state is always seen from the user's side: "To" means the user receives the contact's presence, "From" means
/// the contact receives the user's. "Pending Out" is a subscription request the user sent that the contact has not
/// answered; "Pending In" is one the contact sent that the user has not answered. A contact absent from the roster is
/// in state ``none`` (RFC 6121 Appendix A.1, last paragraph).
public enum SubscriptionState: String, Sendable, CaseIterable, Codable {
    /// "None": neither is subscribed and nothing is pending (RFC 6121 Appendix A.1).
    case none
    /// "None + Pending Out": the user asked to subscribe; roster shows `subscription='none' ask='subscribe'`
    /// (RFC 6121 Appendix A.1).
    case noneOut
    /// "None + Pending In": the contact asked to subscribe; not visible in the roster (RFC 6121 Appendix A.1).
    case noneIn
    /// "None + Pending Out/In": both asked, neither answered (RFC 6121 Appendix A.1).
    case noneOutIn
    /// "To": the user is subscribed to the contact (RFC 6121 Appendix A.1).
    case to
    /// "To + Pending In": the user is subscribed to the contact, and the contact asked to subscribe to the user
    /// (RFC 6121 Appendix A.1).
    case toIn
    /// "From": the contact is subscribed to the user (RFC 6121 Appendix A.1).
    case from
    /// "From + Pending Out": the contact is subscribed to the user, and the user asked to subscribe to the contact
    /// (RFC 6121 Appendix A.1).
    case fromOut
    /// "Both": mutual subscription (RFC 6121 Appendix A.1).
    case both

    /// Builds the state from its three components (RFC 6121 Appendix A.1).
    ///
    /// Returns `nil` for combinations the RFC does not define (a pending request in a direction that is already
    /// subscribed, e.g. "Both + Pending In").
    public init?(to: Bool, from: Bool, pendingOut: Bool, pendingIn: Bool) {
        switch (to, from, pendingOut, pendingIn) {
        case (false, false, false, false): self = .none
        case (false, false, true, false): self = .noneOut
        case (false, false, false, true): self = .noneIn
        case (false, false, true, true): self = .noneOutIn
        case (true, false, false, false): self = .to
        case (true, false, false, true): self = .toIn
        case (false, true, false, false): self = .from
        case (false, true, true, false): self = .fromOut
        case (true, true, false, false): self = .both
        default: return nil
        }
    }

    /// The roster item's `subscription` attribute: "none", "to", "from" or "both" (RFC 6121 §2.1.2.5).
    public var rosterSubscription: String {
        switch self {
        case .none, .noneOut, .noneIn, .noneOutIn: "none"
        case .to, .toIn: "to"
        case .from, .fromOut: "from"
        case .both: "both"
        }
    }

    /// Whether the roster item carries `ask='subscribe'`: the user's request is pending out (RFC 6121 §2.1.2.2).
    public var askSubscribe: Bool {
        switch self {
        case .noneOut, .noneOutIn, .fromOut: true
        default: false
        }
    }

    /// Whether the contact's subscription request awaits the user's answer (RFC 6121 Appendix A.1, §3.1.3).
    ///
    /// This is server-side bookkeeping only; it never appears in a roster item.
    public var pendingIn: Bool {
        switch self {
        case .noneIn, .noneOutIn, .toIn: true
        default: false
        }
    }

    /// Whether the contact is subscribed to the user, so the user's presence is broadcast to the contact
    /// (`from`/`both`; RFC 6121 §4.2.2, §4.4.2).
    public var sendsPresenceTo: Bool {
        switch self {
        case .from, .fromOut, .both: true
        default: false
        }
    }

    /// Whether the user is subscribed to the contact, so the server probes the contact and accepts its presence
    /// (`to`/`both`; RFC 6121 §4.3.1).
    public var receivesPresenceFrom: Bool {
        switch self {
        case .to, .toIn, .both: true
        default: false
        }
    }

    /// The state as it appears in a roster item: `subscription` plus `ask` (RFC 6121 §2.1.2.2, §2.1.2.5).
    ///
    /// Inverse of ``rosterSubscription`` and ``askSubscribe``; pending-in cannot be recovered from a roster item and
    /// is taken as absent. Returns `nil` for an unknown `subscription` value or `ask` on "to"/"both".
    public init?(rosterSubscription: String, askSubscribe: Bool) {
        let directions: (to: Bool, from: Bool)
        switch rosterSubscription {
        case "none": directions = (false, false)
        case "to": directions = (true, false)
        case "from": directions = (false, true)
        case "both": directions = (true, true)
        default: return nil
        }
        self.init(to: directions.to, from: directions.from, pendingOut: askSubscribe, pendingIn: false)
    }

    /// The RFC's own name for the state, e.g. "None + Pending Out" (RFC 6121 Appendix A.1).
    public var rfcName: String {
        switch self {
        case .none: "None"
        case .noneOut: "None + Pending Out"
        case .noneIn: "None + Pending In"
        case .noneOutIn: "None + Pending Out/In"
        case .to: "To"
        case .toIn: "To + Pending In"
        case .from: "From"
        case .fromOut: "From + Pending Out"
        case .both: "Both"
        }
    }
}
