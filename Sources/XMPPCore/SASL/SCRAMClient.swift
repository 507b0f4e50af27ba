/// Client side of SCRAM, used by tests and benchmarks (RFC 5802 §3).
///
/// Sends `n,,` (no channel binding, RFC 5802 §6) and no authzid. The client nonce is injected so the RFC test
/// vectors can be replayed byte for byte.
public struct SCRAMClient: Sendable {
    private let hash: SCRAMHash
    private let username: String
    private let password: String
    private let nonce: String
    private var expectedServerSignature: [UInt8]?

    /// Prepares an exchange; `nonce` is the client nonce `c-nonce` (RFC 5802 §5.1).
    public init(hash: SCRAMHash, username: String, password: String, nonce: String) {
        self.hash = hash
        self.username = username
        self.password = password
        self.nonce = nonce
    }

    /// `gs2-header`: no channel binding, no authzid (RFC 5802 §7).
    private static let gs2Header = "n,,"

    /// `client-first-message-bare` (RFC 5802 §7).
    private var clientFirstBare: String {
        "n=\(SCRAMMessage.encodeName(self.username)),r=\(self.nonce)"
    }

    /// The client-first-message `n,,n=user,r=nonce` (RFC 5802 §5.1).
    public func clientFirstMessage() -> [UInt8] {
        Array((Self.gs2Header + self.clientFirstBare).utf8)
    }

    /// Answers the server-first-message with the client-final-message carrying the proof (RFC 5802 §3, §5.1).
    ///
    /// Throws ``SASLFailure/malformedRequest`` when the server-first-message is malformed or its nonce does not
    /// extend the client nonce.
    public mutating func clientFinalMessage(serverFirst: [UInt8]) throws(SASLFailure) -> [UInt8] {
        let text = try SCRAMMessage.text(serverFirst)
        let attributes = try SCRAMMessage.attributes(text[...])
        guard attributes.count >= 3, attributes[0].name == "r", attributes[1].name == "s", attributes[2].name == "i",
            attributes[0].value.hasPrefix(self.nonce), attributes[0].value.count > self.nonce.count,
            let iterations = Int(attributes[2].value), iterations > 0
        else { throw .malformedRequest }
        let salt = try SCRAMMessage.base64(attributes[1].value)
        let keys = SCRAMKeys(password: self.password, salt: salt, iterations: iterations, hash: self.hash)
        let withoutProof = "c=\(SCRAMMessage.base64(Array(Self.gs2Header.utf8))),r=\(attributes[0].value)"
        let authMessage = Array("\(self.clientFirstBare),\(text),\(withoutProof)".utf8)
        let clientSignature = self.hash.hmac(key: keys.storedKey, authMessage)
        let proof = SCRAMMessage.xor(keys.clientKey, clientSignature)
        self.expectedServerSignature = self.hash.hmac(key: keys.serverKey, authMessage)
        return Array("\(withoutProof),p=\(SCRAMMessage.base64(proof))".utf8)
    }

    /// Checks the server-final-message `v=…`, proving the server knows the credentials (RFC 5802 §3, §5.1).
    public func verifyServerFinal(_ bytes: [UInt8]) -> Bool {
        guard let expected = self.expectedServerSignature,
            let text = try? SCRAMMessage.text(bytes), text.hasPrefix("v="),
            let signature = try? SCRAMMessage.base64(text.dropFirst(2))
        else { return false }
        return SCRAMMessage.constantTimeEquals(signature, expected)
    }
}
