import Synchronization
import XMPPCore

/// The agreement notifications one cloud received (docs/negotiation.md "Notification and retrieval"), with waiting
/// by proposal id: the reader task delivers, the negotiation step waits with a timeout. Thread-safe.
final class AgreementMailbox: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<SignedAgreement?, Never>
    }

    private struct State {
        var received: [String: SignedAgreement] = [:]
        var waiters: [String: [Waiter]] = [:]
        var nextWaiter: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())

    /// Records a notification and wakes whoever waits for its proposal id.
    func deliver(_ signed: SignedAgreement) {
        let woken = self.state.withLock { state -> [Waiter] in
            let id = signed.agreement.proposalID
            state.received[id] = signed
            return state.waiters.removeValue(forKey: id) ?? []
        }
        for waiter in woken { waiter.continuation.resume(returning: signed) }
    }

    /// The agreement of `proposalID` if it has arrived.
    func received(_ proposalID: String) -> SignedAgreement? {
        self.state.withLock { $0.received[proposalID] }
    }

    /// Waits at most `timeout` for the agreement of `proposalID`; nil when none arrived in time or the mailbox
    /// closed.
    func wait(for proposalID: String, timeout: Duration) async -> SignedAgreement? {
        await withCheckedContinuation { (continuation: CheckedContinuation<SignedAgreement?, Never>) in
            let registered = self.state.withLock { state -> UInt64? in
                if let signed = state.received[proposalID] {
                    continuation.resume(returning: signed)
                    return nil
                }
                if state.closed {
                    continuation.resume(returning: nil)
                    return nil
                }
                state.nextWaiter += 1
                state.waiters[proposalID, default: []].append(Waiter(id: state.nextWaiter, continuation: continuation))
                return state.nextWaiter
            }
            guard let registered else { return }
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(proposalID, waiter: registered)
            }
        }
    }

    /// Wakes every waiter with nil and refuses new waits (the connection is gone).
    func close() {
        let woken = self.state.withLock { state -> [Waiter] in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters.values.flatMap { $0 }
        }
        for waiter in woken { waiter.continuation.resume(returning: nil) }
    }

    private func expire(_ proposalID: String, waiter id: UInt64) {
        let expired = self.state.withLock { state -> Waiter? in
            guard var waiters = state.waiters[proposalID], let index = waiters.firstIndex(where: { $0.id == id })
            else { return nil }
            let waiter = waiters.remove(at: index)
            state.waiters[proposalID] = waiters.isEmpty ? nil : waiters
            return waiter
        }
        expired?.continuation.resume(returning: nil)
    }
}

/// The negotiation plans of the run by proposal id, filled before each proposal is sent, read by the responders'
/// reader tasks. Thread-safe.
final class NegotiationBook: Sendable {
    private let plans = Mutex<[String: NegotiationPlan]>([:])

    /// Adds a plan.
    func register(_ plan: NegotiationPlan) {
        self.plans.withLock { $0[plan.proposalID] = plan }
    }

    /// The plan of `proposalID`.
    func plan(_ proposalID: String) -> NegotiationPlan? {
        self.plans.withLock { $0[proposalID] }
    }
}
