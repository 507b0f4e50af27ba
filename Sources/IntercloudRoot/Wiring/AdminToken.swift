import Foundation

/// The admin bearer token at `DATA/admin.token`, mode 0600 (CONTRACT §2, §4).
enum AdminToken {
    /// Reads the token, or writes a fresh random one on first start.
    static func loadOrCreate(in directory: URL) throws(CLIError) -> String {
        let url = directory.appendingPathComponent("admin.token")
        if let existing = try? String(contentsOf: url, encoding: .utf8) {
            let token = existing.trimmingCharacters(in: .whitespacesAndNewlines)
            if !token.isEmpty { return token }
        }
        let token = RandomTokens.hex(bytes: 32)
        guard
            FileManager.default.createFile(
                atPath: url.path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw .runtime("cannot write \(url.path)")
        }
        return token
    }
}
