import Crypto
import Foundation
import _CryptoExtras

/// A SCRAM mechanism family member, named as it is offered in `<mechanisms/>` (RFC 5802 §4, RFC 7677 §3).
///
/// The raw value is the IANA-registered SASL mechanism name, so it can be compared directly with the
/// `mechanism` attribute of `<auth/>` (RFC 6120 §6.4.2).
public enum SCRAMHash: String, Sendable, CaseIterable, Codable {
    /// `SCRAM-SHA-1` (RFC 5802 §4), mandatory to implement for XMPP (RFC 6120 §13.8.3).
    case sha1 = "SCRAM-SHA-1"
    /// `SCRAM-SHA-256` (RFC 7677 §3), preferred when both sides support it.
    case sha256 = "SCRAM-SHA-256"

    /// The output length of the hash function `H()` in bytes (RFC 5802 §2.2).
    public var outputByteCount: Int {
        switch self {
        case .sha1: Insecure.SHA1.byteCount
        case .sha256: SHA256.byteCount
        }
    }

    /// `H(str)`: the hash function of the mechanism (RFC 5802 §2.2).
    func hash(_ bytes: [UInt8]) -> [UInt8] {
        switch self {
        case .sha1: Array(Insecure.SHA1.hash(data: bytes))
        case .sha256: Array(SHA256.hash(data: bytes))
        }
    }

    /// `HMAC(key, str)` keyed with the mechanism's hash function (RFC 5802 §2.2, RFC 2104).
    func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: key)
        switch self {
        case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        }
    }

    /// `Hi(str, salt, i)`: PBKDF2 with HMAC as the PRF and one hash-length block (RFC 5802 §2.2).
    func saltedPassword(_ password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let function: KDF.Insecure.PBKDF2.HashFunction =
            switch self {
            case .sha1: .insecureSHA1
            case .sha256: .sha256
            }
        do {
            let key = try KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: salt, using: function, outputByteCount: self.outputByteCount,
                unsafeUncheckedRounds: max(iterations, 1))
            return key.withUnsafeBytes { Array($0) }
        } catch {
            // BoringSSL's PBKDF2 only fails on allocation failure; there is nothing sensible to recover.
            preconditionFailure("PBKDF2 failed: \(error)")
        }
    }
}

/// Stored credentials per RFC 5802 §3 — never the password.
///
/// The server keeps `StoredKey` and `ServerKey` (plus the salt and iteration count it announces in the
/// server-first-message), which let it verify a client proof and prove its own identity without being able to
/// impersonate the client to other servers (RFC 5802 §9).
public struct SCRAMCredentials: Sendable, Hashable, Codable {
    /// The mechanism these keys belong to (RFC 5802 §4).
    public var hash: SCRAMHash
    /// The salt announced as `s=` (RFC 5802 §5.1).
    public var salt: [UInt8]
    /// The iteration count announced as `i=` (RFC 5802 §5.1).
    public var iterations: Int
    /// `StoredKey := H(ClientKey)` (RFC 5802 §3).
    public var storedKey: [UInt8]
    /// `ServerKey := HMAC(SaltedPassword, "Server Key")` (RFC 5802 §3).
    public var serverKey: [UInt8]

    /// Wraps already-derived keys, e.g. when loading them from storage (RFC 5802 §3).
    public init(hash: SCRAMHash, salt: [UInt8], iterations: Int, storedKey: [UInt8], serverKey: [UInt8]) {
        self.hash = hash
        self.salt = salt
        self.iterations = iterations
        self.storedKey = storedKey
        self.serverKey = serverKey
    }

    /// Derives `StoredKey` and `ServerKey` from a password (RFC 5802 §3).
    ///
    /// The password is prepared minimally: NFKC normalisation, the mapping step of SASLprep
    /// (RFC 4013 §2.2) that makes differently-composed inputs agree.
    public static func derive(password: String, salt: [UInt8], iterations: Int, hash: SCRAMHash) -> SCRAMCredentials {
        let keys = SCRAMKeys(password: password, salt: salt, iterations: iterations, hash: hash)
        return SCRAMCredentials(
            hash: hash, salt: salt, iterations: iterations, storedKey: keys.storedKey, serverKey: keys.serverKey)
    }

    /// Plausible credentials for an account that does not exist, derived deterministically from the username so
    /// that repeated attempts see the same salt and an attacker cannot tell unknown users apart (RFC 5802 §9).
    static func fake(username: String, hash: SCRAMHash, iterations: Int = 4096) -> SCRAMCredentials {
        let seed = Array("intercloud-root/scram/unknown-user/\(username)".utf8)
        let digest = Array(SHA256.hash(data: seed))
        let filler = Array(SHA256.hash(data: digest + [1]))
        return SCRAMCredentials(
            hash: hash, salt: Array(digest.prefix(16)), iterations: iterations,
            storedKey: Array(filler.prefix(hash.outputByteCount)),
            serverKey: Array((filler + digest).suffix(hash.outputByteCount)))
    }
}

/// The intermediate keys of RFC 5802 §3, computed from a password; shared by the client and by ``SCRAMCredentials``.
struct SCRAMKeys: Sendable {
    /// `ClientKey := HMAC(SaltedPassword, "Client Key")`.
    var clientKey: [UInt8]
    /// `StoredKey := H(ClientKey)`.
    var storedKey: [UInt8]
    /// `ServerKey := HMAC(SaltedPassword, "Server Key")`.
    var serverKey: [UInt8]

    /// Normalises the password (NFKC, RFC 4013 §2.2) and runs `Hi()` (RFC 5802 §2.2, §3).
    init(password: String, salt: [UInt8], iterations: Int, hash: SCRAMHash) {
        let prepared = Array(password.precomposedStringWithCompatibilityMapping.utf8)
        let salted = hash.saltedPassword(prepared, salt: salt, iterations: iterations)
        self.clientKey = hash.hmac(key: salted, Array("Client Key".utf8))
        self.storedKey = hash.hash(self.clientKey)
        self.serverKey = hash.hmac(key: salted, Array("Server Key".utf8))
    }
}
