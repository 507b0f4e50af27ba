import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import XMPPCore

/// The outgoing server-to-server streams, one per (our domain, remote domain) pair (RFC 6120 §4.2; a stream
/// authenticates one `from` domain, so `directory.D` answers travel on their own stream).
///
/// While a stream is set up, stanzas wait in a bounded queue; when it is established they go out in order. A
/// queue that is full, a connection that fails and one that does not authenticate in time turn the waiting stanzas
/// into error stanzas for their local senders (RFC 6120 §8.3.3.15, §8.3.3.16, §8.3.3.18). Dialback questions for
/// a domain ride on the same stream (XEP-0220 §2.3). Thread-safe: callers come from every event loop.
final class S2SOutboundPool: FederationRouting, Sendable {
    /// One outgoing stream's pair of domains.
    struct Key: Hashable, Sendable, CustomStringConvertible {
        var local: String
        var remote: String
        var description: String { "\(self.local)->\(self.remote)" }
    }

    /// A dialback question and who waits for its answer.
    typealias Verification = (DialbackVerification, EventLoopPromise<DialbackElement.Outcome>)

    /// One outgoing stream: connecting (with its queue) or established (with its channel).
    struct Link {
        let serial: UInt64
        var channel: (any Channel)?
        var established = false
        var queue: [XMLElement] = []
        var verifications: [Verification] = []
    }

    /// Every link, and the serial that tells a link from its successor for the same key.
    struct State {
        var nextSerial: UInt64 = 1
        var links: [Key: Link] = [:]
    }

    /// What the handlers share.
    let shared: S2SShared
    private let state = NIOLockedValueBox(State())

    init(shared: S2SShared) {
        self.shared = shared
    }

    /// Sends a stanza to a remote domain (see ``FederationRouting/send(_:)``).
    func send(_ element: XMLElement) {
        guard let from = element[attribute: "from"].flatMap({ try? JID(parsing: $0) }),
            let to = element[attribute: "to"].flatMap({ try? JID(parsing: $0) }),
            self.shared.configuration.localDomains.contains(from.domainpart),
            !self.shared.configuration.localDomains.contains(to.domainpart)
        else {
            self.shared.logger.debug("not sent over s2s: bad addresses", metadata: ["stanza": "\(element)"])
            return
        }
        let key = Key(local: from.domainpart, remote: to.domainpart)
        enum Next { case write(any Channel), connect(UInt64), queued, overflow }
        let limit = self.shared.configuration.maxQueuedStanzas
        let next = self.state.withLockedValue { state -> Next in
            guard var link = state.links[key] else {
                state.links[key] = Link(serial: state.nextSerial, queue: [element])
                state.nextSerial += 1
                return .connect(state.nextSerial - 1)
            }
            if link.established, let channel = link.channel { return .write(channel) }
            guard link.queue.count < limit else { return .overflow }
            link.queue.append(element)
            state.links[key] = link
            return .queued
        }
        switch next {
        case .write(let channel):
            self.shared.stanzasOut.increment()
            S2SShared.write(S2SShared.wire(element), to: channel)
        case .connect(let serial):
            self.connect(key, serial: serial)
        case .queued:
            break
        case .overflow:
            self.bounce(
                [element], StanzaError(.resourceConstraint, text: "too many stanzas waiting for \(key.remote)"))
        }
    }

    /// Asks `verification.originating`'s server, as authoritative server, about a dialback key (XEP-0220 §2.3);
    /// `promise` gets `.error` when it cannot be reached in time.
    func verify(_ verification: DialbackVerification, promise: EventLoopPromise<DialbackElement.Outcome>) {
        let key = Key(local: verification.receiving, remote: verification.originating)
        enum Next { case deliver(any Channel), connect(UInt64), queued }
        let next = self.state.withLockedValue { state -> Next in
            guard var link = state.links[key] else {
                state.links[key] = Link(serial: state.nextSerial, verifications: [(verification, promise)])
                state.nextSerial += 1
                return .connect(state.nextSerial - 1)
            }
            if let channel = link.channel { return .deliver(channel) }
            link.verifications.append((verification, promise))
            state.links[key] = link
            return .queued
        }
        switch next {
        case .deliver(let channel):
            channel.eventLoop.execute {
                guard channel.isActive else { return promise.succeed(.error) }
                channel.pipeline.fireUserInboundEventTriggered(
                    S2SOutgoingHandler.VerifyRequest(verification: verification, promise: promise))
            }
        case .connect(let serial):
            self.connect(key, serial: serial)
        case .queued:
            break
        }
    }

    /// Opens the TCP connection for a new link and arms its set-up timeout.
    private func connect(_ key: Key, serial: UInt64) {
        let route = self.shared.configuration.route(for: key.remote)
        let timeout = TimeAmount.seconds(self.shared.configuration.connectTimeout)
        self.shared.logger.info(
            "opening s2s stream", metadata: ["s2s.link": "\(key)", "s2s.route": "\(route)"])
        self.shared.outgoingTotal.increment()
        let loop = self.shared.group.next()
        loop.scheduleTask(in: timeout) {
            self.fail(
                key, serial: serial, error: StanzaError(.remoteServerTimeout), reason: "set-up timed out",
                pendingOnly: true)
        }
        ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        S2SOutgoingHandler(pool: self, key: key, serial: serial))
                }
            }
            .connect(host: route.host, port: route.port)
            .whenFailure { error in
                self.fail(
                    key, serial: serial, error: StanzaError(.remoteServerNotFound),
                    reason: "cannot connect to \(route): \(error)")
            }
    }

    /// The link's connection is up: remember the channel and hand over the dialback questions waiting so far.
    func attach(_ key: Key, serial: UInt64, channel: any Channel) -> [Verification] {
        self.state.withLockedValue { state in
            guard var link = state.links[key], link.serial == serial else { return [] }
            link.channel = channel
            let waiting = link.verifications
            link.verifications = []
            state.links[key] = link
            return waiting
        }
    }

    /// The stream is authenticated: returns the queued stanzas, which the caller writes before anything else
    /// can be (it runs on the channel's event loop; later senders write through the channel).
    func established(_ key: Key, serial: UInt64) -> [XMLElement] {
        self.state.withLockedValue { state in
            guard var link = state.links[key], link.serial == serial else { return [] }
            link.established = true
            let queue = link.queue
            link.queue = []
            state.links[key] = link
            return queue
        }
    }

    /// Ends a link (with `pendingOnly`, only one not yet established): its queued stanzas bounce with `error` and
    /// its dialback questions fail.
    func fail(_ key: Key, serial: UInt64, error: StanzaError, reason: String, pendingOnly: Bool = false) {
        let link: Link? = self.state.withLockedValue { state in
            guard let link = state.links[key], link.serial == serial, !(pendingOnly && link.established) else {
                return nil
            }
            state.links[key] = nil
            return link
        }
        guard let link else { return }
        if !link.established {
            self.shared.logger.info(
                "s2s stream failed",
                metadata: ["s2s.link": "\(key)", "reason": "\(reason)", "queued": "\(link.queue.count)"])
            link.channel?.close(promise: nil)
        }
        for (_, promise) in link.verifications { promise.succeed(.error) }
        self.bounce(link.queue, StanzaError(error.condition, text: "\(key.remote): \(reason)"))
    }

    /// Returns error stanzas to the local senders (RFC 6120 §8.3.1); errors and results are never answered.
    func bounce(_ elements: [XMLElement], _ error: StanzaError) {
        guard let router = self.shared.router else { return }
        for element in elements {
            guard let stanza = try? Stanza(element), !stanza.isResponseOrError,
                let response = try? Stanza(stanza.makeError(error))
            else { continue }
            self.shared.bounced.increment()
            router.routeFromRemote(response)
        }
    }

    /// The channels of every link, for shutdown.
    var channels: [any Channel] {
        self.state.withLockedValue { state in state.links.values.compactMap(\.channel) }
    }
}
