import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import XMPPCore

/// Rosters, subscriptions, presence broadcast and offline messages for the local domain, as one `Service`.
///
/// Events arrive from every event loop and are handled one at a time in arrival order, so that a roster change,
/// the subscription stanza that caused it and the presence that follows are never reordered (RFC 6121 §3 relies on
/// that order). Storage goes through ``XMPPStore``; which accounts exist comes from ``AccountDirectory``.
public final class PresenceEngine: PresenceHandling, Service, Sendable {
    let domain: String
    let sessions: SessionManager
    let store: any XMPPStore
    let accounts: any AccountDirectory
    let offlineLimit: Int
    let logger: Logger
    let now: @Sendable () -> Date
    let idGenerator: @Sendable () -> String
    let caps = NIOLockedValueBox(CapsState())
    let observer: (any PresenceObserver)?
    /// Where presence for contacts on other servers goes (RFC 6121 §3, §4 across domains); nil without s2s.
    let federation: (any FederationRouting)?
    private let events: AsyncStream<PresenceEvent>
    private let continuation: AsyncStream<PresenceEvent>.Continuation

    /// Creates the engine; `offlineLimit` bounds the messages stored per recipient (XEP-0160 §3); `observer`
    /// follows publications and availability (the capability directory).
    public init(
        domain: String, sessions: SessionManager, store: any XMPPStore, accounts: any AccountDirectory,
        offlineLimit: Int = 100, logger: Logger, now: @escaping @Sendable () -> Date,
        idGenerator: @escaping @Sendable () -> String, observer: (any PresenceObserver)? = nil,
        federation: (any FederationRouting)? = nil
    ) {
        self.observer = observer
        self.federation = federation
        self.domain = domain
        self.sessions = sessions
        self.store = store
        self.accounts = accounts
        self.offlineLimit = offlineLimit
        self.logger = logger
        self.now = now
        self.idGenerator = idGenerator
        (self.events, self.continuation) = AsyncStream.makeStream(of: PresenceEvent.self)
    }

    /// Queues an event (thread-safe).
    public func submit(_ event: PresenceEvent) {
        self.continuation.yield(event)
    }

    /// Handles events until graceful shutdown, then drains what is queued.
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await event in self.events {
                await self.handle(event)
            }
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }

    /// Handles one event (also called directly by tests).
    func handle(_ event: PresenceEvent) async {
        do {
            switch event {
            case .presence(let stanza, let session): try await self.presence(stanza, from: session)
            case .roster(let iq, let session): try await self.roster(iq, from: session)
            case .offline(let message, let session): try await self.storeOffline(message, from: session)
            case .sessionEnded(let session): try await self.sessionEnded(session)
            case .iqResponse(let stanza, let session): try await self.iqResponse(stanza, from: session)
            case .pubsub(let iq, let session): try await self.pubsub(iq, from: session)
            }
        } catch {
            self.logger.error("presence engine failure", metadata: ["error": "\(error)"])
            if case .roster(let iq, let session) = event {
                session.deliver(iq.makeError(StanzaError(.internalServerError, text: "storage failure")))
            }
            if case .pubsub(let iq, let session) = event {
                session.deliver(iq.makeError(StanzaError(.internalServerError, text: "storage failure")))
            }
        }
    }

    /// Dispatches presence by type (RFC 6121 §3 subscriptions, §4 availability).
    private func presence(_ stanza: Stanza, from session: Session) async throws {
        if session.isRemote {
            try await self.remotePresence(stanza, from: session)
            return
        }
        switch stanza.type {
        case nil, "unavailable":
            try await self.availability(stanza, from: session)
        case "probe":
            if let to = stanza.to, self.isRemote(to) {
                self.sendRemote(stanza.element, to: to)
                return
            }
            try await self.answerProbe(stanza, from: session)
        case let type?:
            guard let subscription = SubscriptionType(rawValue: type), let to = stanza.to?.bare else { return }
            try await self.outboundSubscription(subscription, from: session.jid.bare, to: to)
        }
    }

    /// Delivers to every available session of `bareJID`.
    func deliverToAvailable(_ element: XMLElement, of bareJID: JID) {
        if self.isRemote(bareJID) {
            self.sendRemote(element, to: bareJID)
            return
        }
        for session in self.sessions.sessions(of: bareJID) where session.isAvailable {
            var copy = element
            copy[attribute: "to"] = session.jid.description
            session.deliver(copy)
        }
    }

    /// A presence stanza `from` → `to` of the given type.
    func presenceElement(from: JID, to: JID?, type: String?) -> XMLElement {
        var element = XMLElement(name: "presence", namespace: Namespace.client, attributes: ["from": from.description])
        element[attribute: "to"] = to?.description
        element[attribute: "type"] = type
        return element
    }
}
