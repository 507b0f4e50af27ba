import Foundation

/// Server side of SCRAM (RFC 5802 §5, RFC 7677) as a pure state machine: struct + private enum State,
/// one mutating func per event returning an Action.
///
/// The machine never performs I/O: it asks its driver to look up credentials, hands back challenge and
/// success payloads to send, and reports failures as ``SASLFailure`` conditions (RFC 6120 §6.4). Unknown users run
/// the full exchange against fake credentials and fail only at the end, so they cannot be told apart from wrong
/// passwords (RFC 5802 §9). Channel binding is not supported yet: `n` and `y` GS2 flags are accepted, `p=` is
/// refused (RFC 5802 §6).
public struct SCRAMServer: Sendable {
    /// What the driver must do next (RFC 6120 §6.4).
    public enum Action: Sendable, Equatable {
        /// Fetch the ``SCRAMCredentials`` for this (already SASLprep'd) username and call
        /// ``SCRAMServer/credentialsFound(_:)`` (RFC 5802 §5.1).
        case lookUpCredentials(username: String)
        /// Send this server-first-message as `<challenge/>` (RFC 5802 §5.1, RFC 6120 §6.4.3).
        case challenge([UInt8])
        /// Authentication succeeded; send the server-final-message `v=…` as additional data in `<success/>`
        /// (RFC 5802 §5.1, RFC 6120 §6.3.10).
        case success(additionalData: [UInt8], username: String, authzid: String?)
        /// Authentication failed with this condition (RFC 6120 §6.5); `reason` is for logs and `<text/>`.
        case failure(SASLFailure, reason: String)
    }

    /// The parts of the client-first-message the rest of the exchange needs (RFC 5802 §5.1).
    private struct ClientFirst: Sendable {
        /// `gs2-header`, echoed base64-encoded in the `c=` attribute (RFC 5802 §7).
        var gs2Header: String
        /// `client-first-message-bare`, the start of `AuthMessage` (RFC 5802 §3).
        var bare: String
        /// The decoded, normalised username (RFC 5802 §5.1 `n=`).
        var username: String
        /// The decoded authorization identity, if any (RFC 5802 §5.1 `a=`).
        var authzid: String?
        /// `c-nonce` (RFC 5802 §5.1 `r=`).
        var clientNonce: String
    }

    private enum State: Sendable {
        case awaitingInitialResponse
        case awaitingCredentials(ClientFirst)
        case awaitingResponse(
            ClientFirst, serverFirst: String, nonce: String, credentials: SCRAMCredentials, known: Bool)
        case finished
    }

    private let hash: SCRAMHash
    private let nonceGenerator: @Sendable () -> String
    private var state: State = .awaitingInitialResponse

    /// Starts an exchange for `hash`; `nonceGenerator` produces the server nonce part, injected for tests
    /// (RFC 5802 §5.1 `s-nonce`).
    public init(hash: SCRAMHash, nonceGenerator: @escaping @Sendable () -> String) {
        self.hash = hash
        self.nonceGenerator = nonceGenerator
    }

    /// The client-first-message arrived (RFC 5802 §5.1, §7).
    ///
    /// Accepts GS2 flags `n` and `y`; refuses `p=` (channel binding) and the reserved `m=` extension with
    /// ``SASLFailure/malformedRequest``.
    public mutating func receiveInitialResponse(_ bytes: [UInt8]) -> Action {
        guard case .awaitingInitialResponse = self.state else {
            return self.fail(.malformedRequest, "unexpected client-first-message")
        }
        let first: ClientFirst
        do {
            first = try Self.parseClientFirst(bytes)
        } catch {
            return self.fail(error, "malformed client-first-message")
        }
        self.state = .awaitingCredentials(first)
        return .lookUpCredentials(username: first.username)
    }

    /// The driver looked up the user's credentials; `nil` means unknown user (RFC 5802 §5.1, §9).
    ///
    /// An unknown user, or credentials for another mechanism, still gets a challenge with a salt and
    /// iteration count derived deterministically from the username; the exchange then fails with
    /// ``SASLFailure/notAuthorized`` after the client's proof.
    public mutating func credentialsFound(_ credentials: SCRAMCredentials?) -> Action {
        guard case .awaitingCredentials(let first) = self.state else {
            return self.fail(.malformedRequest, "unexpected credentials")
        }
        let effective: SCRAMCredentials
        let known: Bool
        if let credentials, credentials.hash == self.hash, credentials.iterations > 0 {
            effective = credentials
            known = true
        } else {
            effective = SCRAMCredentials.fake(username: first.username, hash: self.hash)
            known = false
        }
        let nonce = first.clientNonce + self.nonceGenerator()
        let serverFirst = "r=\(nonce),s=\(SCRAMMessage.base64(effective.salt)),i=\(effective.iterations)"
        self.state = .awaitingResponse(
            first, serverFirst: serverFirst, nonce: nonce, credentials: effective, known: known)
        return .challenge(Array(serverFirst.utf8))
    }

    /// The client-final-message arrived: checks the channel-binding echo, the nonce and the proof
    /// (RFC 5802 §5.1, §7).
    public mutating func receiveResponse(_ bytes: [UInt8]) -> Action {
        guard case .awaitingResponse(let first, let serverFirst, let nonce, let credentials, let known) = self.state
        else {
            return self.fail(.malformedRequest, "unexpected client-final-message")
        }
        let text: String
        let attributes: [SCRAMMessage.Attribute]
        let channelBinding: [UInt8]
        let proof: [UInt8]
        let withoutProof: Substring
        do {
            text = try SCRAMMessage.text(bytes)
            attributes = try SCRAMMessage.attributes(text[...])
            guard attributes.count >= 3, attributes[0].name == "c", attributes[1].name == "r",
                let last = attributes.last, last.name == "p"
            else { return self.fail(.malformedRequest, "client-final-message needs c=, r= and p=") }
            channelBinding = try SCRAMMessage.base64(attributes[0].value)
            proof = try SCRAMMessage.base64(last.value)
            withoutProof = text[..<text.utf8.index(last.value.startIndex, offsetBy: -3)]  // drops ",p="
        } catch {
            return self.fail(error, "malformed client-final-message")
        }
        guard channelBinding == Array(first.gs2Header.utf8) else {
            return self.fail(.notAuthorized, "channel binding does not echo the GS2 header")
        }
        guard attributes[1].value == nonce else {
            return self.fail(.notAuthorized, "nonce mismatch")
        }
        guard proof.count == self.hash.outputByteCount else {
            return self.fail(.malformedRequest, "client proof has the wrong length")
        }
        let authMessage = Array("\(first.bare),\(serverFirst),\(withoutProof)".utf8)
        let clientSignature = self.hash.hmac(key: credentials.storedKey, authMessage)
        let clientKey = SCRAMMessage.xor(proof, clientSignature)
        let matches = SCRAMMessage.constantTimeEquals(self.hash.hash(clientKey), credentials.storedKey)
        guard matches && known else {
            return self.fail(.notAuthorized, "authentication failed")
        }
        let serverSignature = self.hash.hmac(key: credentials.serverKey, authMessage)
        self.state = .finished
        return .success(
            additionalData: Array("v=\(SCRAMMessage.base64(serverSignature))".utf8), username: first.username,
            authzid: first.authzid)
    }

    /// The client sent `<abort/>` (RFC 6120 §6.4.4).
    public mutating func abort() -> Action {
        self.fail(.aborted, "the client aborted the exchange")
    }

    private mutating func fail(_ condition: SASLFailure, _ reason: String) -> Action {
        self.state = .finished
        return .failure(condition, reason: reason)
    }

    /// Parses `gs2-header client-first-message-bare` (RFC 5802 §7).
    private static func parseClientFirst(_ bytes: [UInt8]) throws(SASLFailure) -> ClientFirst {
        let text = try SCRAMMessage.text(bytes)
        let parts = text.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformedRequest }
        switch parts[0] {
        case "n", "y": break
        default: throw .malformedRequest  // "p=…" asks for channel binding, which is not offered (RFC 5802 §6)
        }
        var authzid: String?
        if !parts[1].isEmpty {
            guard parts[1].hasPrefix("a=") else { throw .malformedRequest }
            authzid = try SCRAMMessage.decodeName(parts[1].dropFirst(2))
        }
        let bare = parts[2]
        let attributes = try SCRAMMessage.attributes(bare)
        guard attributes.count >= 2, attributes[0].name == "n", attributes[1].name == "r",
            SCRAMMessage.isValidNonce(attributes[1].value)
        else { throw .malformedRequest }  // also rejects the reserved "m=" extension in first place
        let username = try SCRAMMessage.decodeName(attributes[0].value).precomposedStringWithCompatibilityMapping
        return ClientFirst(
            gs2Header: String(text[..<bare.startIndex]), bare: String(bare), username: username, authzid: authzid,
            clientNonce: String(attributes[1].value))
    }
}
