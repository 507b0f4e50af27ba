import Foundation
import XMPPCore

extension SCRAMCredentials {
    /// The `icScramCredential` value: `MECHANISM$iterations$salt$storedKey$serverKey`, the binary parts in base64
    /// (RFC 4648 §4).
    ///
    /// The layout follows RFC 5803 (`SCRAM-SHA-1$<iter>:<salt>$<StoredKey>:<ServerKey>` in `authPassword`) in
    /// spirit but keeps the mechanism name first and one separator, so one multi-valued attribute holds one value
    /// per mechanism and an administrator can see at a glance which mechanisms a cloud has. Only what RFC 5802 §3
    /// lets a server store appears here — never the password or the salted password.
    var ldapValue: String {
        [
            self.hash.rawValue, "\(self.iterations)", Data(self.salt).base64EncodedString(),
            Data(self.storedKey).base64EncodedString(), Data(self.serverKey).base64EncodedString(),
        ].joined(separator: "$")
    }

    /// Parses an `icScramCredential` value; `nil` for a malformed value or a mechanism this build does not know.
    init?(ldapValue: String) {
        let parts = ldapValue.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, let hash = SCRAMHash(rawValue: String(parts[0])),
            let iterations = Int(parts[1]), iterations > 0,
            let salt = Data(base64Encoded: String(parts[2])),
            let storedKey = Data(base64Encoded: String(parts[3])),
            let serverKey = Data(base64Encoded: String(parts[4]))
        else { return nil }
        self.init(
            hash: hash, salt: Array(salt), iterations: iterations, storedKey: Array(storedKey),
            serverKey: Array(serverKey))
    }
}
