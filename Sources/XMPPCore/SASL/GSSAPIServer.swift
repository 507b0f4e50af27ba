/// Server side of the SASL GSSAPI mechanism (RFC 4752 §3.1) as a pure state machine over a ``GSSAPIAcceptor``.
///
/// The exchange: context tokens go back and forth until `GSS_Accept_sec_context` completes; a last output token,
/// if any, is sent and answered by an empty response; then the server sends its wrapped security-layer offer —
/// only "no security layer" (bit 0x01) with a maximum message size of 0, because XMPP runs it inside TLS
/// (RFC 6120 §6.3.1) — and the client answers with its wrapped choice, size and optional authorization identity.
/// The machine performs no I/O: the acceptor does the GSS-API calls, and the driver runs ``receive(_:)`` where
/// blocking is allowed.
public struct GSSAPIServer: Sendable {
    /// What the driver must do next (RFC 6120 §6.4).
    public enum Action: Sendable, Equatable {
        /// Send these bytes as `<challenge/>` and pass the client's `<response/>` to ``receive(_:)``.
        case challenge([UInt8])
        /// The client authenticated as `principal` (`alice@EXAMPLE.ORG`) and asks to act as `authzid` (a JID, RFC
        /// 6120 §6.3.8), or as itself when nil; the driver maps and authorizes it.
        case success(principal: String, authzid: String?)
        /// The exchange failed with this condition (RFC 6120 §6.5); `reason` names the cause for the log.
        case failure(SASLFailure, reason: String)
    }

    /// The security-layer bit for "no security layer" (RFC 4752 §3.3).
    public static let noSecurityLayer: UInt8 = 0x01
    /// The first octet of every initial context token, `[APPLICATION 0]` constructed (RFC 2743 §3.1).
    public static let initialContextTokenTag: UInt8 = 0x60
    /// The most context tokens accepted before the exchange is considered a loop (Kerberos V5 needs one).
    public static let maximumContextRounds = 8

    private enum State: Sendable {
        case establishing(rounds: Int)
        case awaitingEmptyResponse(principal: String)
        case awaitingSecurityLayer(principal: String)
        case finished
    }

    private var acceptor: any GSSAPIAcceptor
    private var state = State.establishing(rounds: 0)

    /// Starts an exchange on a fresh acceptor.
    public init(acceptor: any GSSAPIAcceptor) {
        self.acceptor = acceptor
    }

    /// The client's initial response or next `<response/>` arrived (RFC 4752 §3.1).
    public mutating func receive(_ response: [UInt8]) -> Action {
        switch self.state {
        case .establishing(let rounds):
            guard rounds < Self.maximumContextRounds else {
                return self.fail(.malformedRequest, "too many context tokens")
            }
            guard !response.isEmpty else { return self.fail(.malformedRequest, "empty context token") }
            guard rounds > 0 || response[0] == Self.initialContextTokenTag else {
                return self.fail(.malformedRequest, "not a GSS-API initial context token")
            }
            self.state = .establishing(rounds: rounds + 1)
            let step: GSSAPIAcceptStep
            do {
                step = try self.acceptor.accept(response)
            } catch {
                return self.fail(error.condition, "context not accepted (\(error))")
            }
            switch step {
            case .continueNeeded(let token):
                return .challenge(token)
            case .complete(let output, let initiator, let flags):
                return self.established(output: output, initiator: initiator, flags: flags)
            }
        case .awaitingEmptyResponse(let principal):
            // RFC 4752 §3.1: the reply to the last context token carries no data.
            guard response.isEmpty else {
                return self.fail(.malformedRequest, "expected an empty response after the last context token")
            }
            return self.offerSecurityLayer(principal: principal)
        case .awaitingSecurityLayer(let principal):
            return self.securityLayerChosen(response, principal: principal)
        case .finished:
            return self.fail(.malformedRequest, "the exchange is over")
        }
    }

    /// `GSS_S_COMPLETE`: checks the context against our policy (RFC 4752 §3.1 "examines the context"): it must name
    /// a principal (not anonymous, RFC 6112 §5) and offer integrity, which the wrapped messages need.
    private mutating func established(output: [UInt8], initiator: String, flags: GSSAPIContextFlags) -> Action {
        guard !flags.contains(.anonymous) else {
            return self.fail(.notAuthorized, "anonymous Kerberos principals are not accepted")
        }
        guard flags.contains(.integrity) else {
            return self.fail(.mechanismTooWeak, "the security context offers no integrity protection")
        }
        guard !initiator.isEmpty else { return self.fail(.notAuthorized, "the context names no client principal") }
        if output.isEmpty {
            return self.offerSecurityLayer(principal: initiator)
        }
        self.state = .awaitingEmptyResponse(principal: initiator)
        return .challenge(output)
    }

    /// Wraps the 4-octet offer: bit mask 0x01 (no security layer), maximum message size 0 (RFC 4752 §3.1, §3.3).
    private mutating func offerSecurityLayer(principal: String) -> Action {
        do {
            let offer = try self.acceptor.wrap([Self.noSecurityLayer, 0, 0, 0])
            self.state = .awaitingSecurityLayer(principal: principal)
            return .challenge(offer)
        } catch {
            return self.fail(error.condition, "cannot wrap the security layer offer (\(error))")
        }
    }

    /// Unwraps the client's choice: one octet with exactly the offered layer, three octets of maximum size (ignored
    /// without a layer), then the authorization identity in UTF-8, empty for none (RFC 4752 §3.1).
    private mutating func securityLayerChosen(_ response: [UInt8], principal: String) -> Action {
        let message: [UInt8]
        do {
            message = try self.acceptor.unwrap(response)
        } catch {
            return self.fail(error.condition, "cannot unwrap the security layer choice (\(error))")
        }
        guard message.count >= 4 else { return self.fail(.malformedRequest, "the security layer choice is too short") }
        guard message[0] == Self.noSecurityLayer else {
            return self.fail(
                .malformedRequest, "the client chose security layer \(message[0]), only 1 (none) is offered")
        }
        let authzidBytes = message.dropFirst(4)
        guard let authzid = String(validating: authzidBytes, as: UTF8.self) else {
            return self.fail(.incorrectEncoding, "the authorization identity is not UTF-8")
        }
        self.state = .finished
        return .success(principal: principal, authzid: authzid.isEmpty ? nil : authzid)
    }

    private mutating func fail(_ condition: SASLFailure, _ reason: String) -> Action {
        self.state = .finished
        return .failure(condition, reason: reason)
    }
}
