import Foundation
import XMPPCore

extension CloudEntry {
    /// The byte length of each generated SCRAM salt (RFC 5802 §5.1 recommends a random salt per user).
    public static let saltByteCount = 16

    /// A new, active entry with SCRAM-SHA-1 and SCRAM-SHA-256 credentials derived from `password`, which is then
    /// forgotten (RFC 5802 §3, RFC 7677 §3).
    ///
    /// Time and randomness are injected: `now` becomes both timestamps and `saltGenerator` supplies one salt per
    /// mechanism (16 bytes are expected). A `nil` password creates a cloud without credentials, which cannot log in
    /// until one is set. Throws ``RegistryError`` for an invalid trust level or endpoint.
    public static func new(
        name: CloudName, password: String?, endpoints: [String], trustLevel: Int, contact: String?, now: Date,
        saltGenerator: () -> [UInt8], iterations: Int = 4096
    ) throws(RegistryError) -> CloudEntry {
        var entry = try CloudEntry(
            name: name, endpoints: endpoints, trustLevel: trustLevel, status: .active, contact: contact,
            createdAt: now, updatedAt: now)
        if let password {
            // SHA-256 first: it is the preferred mechanism (RFC 7677 §4).
            entry.setCredentials(
                [SCRAMHash.sha256, .sha1].map { hash in
                    SCRAMCredentials.derive(
                        password: password, salt: saltGenerator(), iterations: iterations, hash: hash)
                })
        }
        return entry
    }
}
