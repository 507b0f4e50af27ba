@preconcurrency import CLDAP
import Logging
import NIOPosix

/// A small pool of ``LDAPConnection``s whose blocking libldap calls all run on a `NIOThreadPool`.
///
/// The actor only does bookkeeping (which connection is idle, who waits for one); each call is handed to the
/// thread pool with `runIfActive`, so neither event loops nor the cooperative pool ever block on the network.
/// Connections are created lazily, up to ``maximumConnections``; a caller that finds them all busy waits for one
/// to be checked in. When a call fails because the session is gone (`LDAP_SERVER_DOWN`, `LDAP_CONNECT_ERROR`,
/// e.g. after a slapd restart), the connection is replaced — re-initialised and re-bound (RFC 4511 §4.2) — and
/// the call retried once, so a directory restart costs callers nothing.
actor LDAPClient {
    /// Metadata keys this module logs with.
    enum MetadataKey {
        static let url = "ldap.url"
        static let dn = "ldap.dn"
        static let error = "ldap.error"
    }

    /// Where and as whom connections bind.
    let configuration: LDAPConnection.Configuration
    /// The most connections open at once.
    let maximumConnections: Int
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private var idle: [LDAPConnection] = []
    private var openConnections = 0
    private var waiters: [CheckedContinuation<LDAPConnection?, Never>] = []

    /// A pool that connects on first use; no network traffic happens here.
    init(
        configuration: LDAPConnection.Configuration, maximumConnections: Int = 2, threadPool: NIOThreadPool,
        logger: Logger
    ) {
        self.configuration = configuration
        self.maximumConnections = max(1, maximumConnections)
        self.threadPool = threadPool
        var logger = logger
        logger[metadataKey: MetadataKey.url] = "\(configuration.url)"
        self.logger = logger
    }

    /// Runs `body` with a connection on the thread pool, reconnecting and retrying once if the session was lost.
    func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (LDAPConnection) throws(LDAPOperationError) -> Result
    ) async throws(LDAPOperationError) -> Result {
        let connection = try await self.checkOut()
        do {
            return try await self.attempt(body, on: connection, isRetry: false)
        } catch  where error.isConnectionLost {
            self.logger.info("LDAP connection lost, reconnecting", metadata: [MetadataKey.error: "\(error)"])
            // The slot stays reserved: the dead connection is dropped and a fresh one takes its place.
            let replacement: LDAPConnection
            do {
                replacement = try await self.connect()
            } catch {
                self.release()
                throw error
            }
            return try await self.attempt(body, on: replacement, isRetry: true)
        }
    }

    /// One try of `body`: a healthy connection goes back to the pool; a lost one is dropped, and on the retry its
    /// slot is freed too.
    private func attempt<Result: Sendable>(
        _ body: @escaping @Sendable (LDAPConnection) throws(LDAPOperationError) -> Result,
        on connection: LDAPConnection, isRetry: Bool
    ) async throws(LDAPOperationError) -> Result {
        do {
            let result = try await self.run { () throws(LDAPOperationError) in try body(connection) }
            self.checkIn(connection)
            return result
        } catch {
            if !error.isConnectionLost {
                self.checkIn(connection)
            } else if isRetry {
                self.release()
            }
            throw error
        }
    }

    // MARK: - Pool bookkeeping

    /// An idle connection, a new one if the pool has room, or the next one checked in.
    private func checkOut() async throws(LDAPOperationError) -> LDAPConnection {
        while true {
            if let connection = self.idle.popLast() { return connection }
            if self.openConnections < self.maximumConnections {
                self.openConnections += 1
                do {
                    return try await self.connect()
                } catch {
                    self.release()
                    throw error
                }
            }
            // Either a connection handed over directly, or nil: a slot was freed, try again.
            if let connection = await withCheckedContinuation({ self.waiters.append($0) }) { return connection }
        }
    }

    /// Returns a healthy connection to the pool, handing it straight to the longest waiter if there is one.
    private func checkIn(_ connection: LDAPConnection) {
        if self.waiters.isEmpty {
            self.idle.append(connection)
        } else {
            self.waiters.removeFirst().resume(returning: connection)
        }
    }

    /// Gives up a slot (its connection is dropped) and lets one waiter open a new connection.
    private func release() {
        self.openConnections -= 1
        if !self.waiters.isEmpty { self.waiters.removeFirst().resume(returning: nil) }
    }

    /// Opens and binds a new connection on the thread pool; the caller has reserved the slot.
    private func connect() async throws(LDAPOperationError) -> LDAPConnection {
        let configuration = self.configuration
        let connection = try await self.run { () throws(LDAPOperationError) in try LDAPConnection(configuration) }
        self.logger.debug("LDAP connection bound", metadata: [MetadataKey.dn: "\(configuration.identity)"])
        return connection
    }

    /// Runs a blocking call on the thread pool, keeping its typed error.
    private func run<Value: Sendable>(
        _ body: @escaping @Sendable () throws(LDAPOperationError) -> Value
    ) async throws(LDAPOperationError) -> Value {
        let outcome: Swift.Result<Value, LDAPOperationError>
        do {
            outcome = try await self.threadPool.runIfActive { Swift.Result(catching: body) }
        } catch {
            // LDAP_OTHER (80, RFC 4511 Appendix A.1): the failure is outside libldap.
            throw LDAPOperationError(
                resultCode: LDAP_OTHER, operation: "schedule on the thread pool", dn: nil,
                diagnostic: "\(error)")
        }
        return try outcome.get()
    }
}
