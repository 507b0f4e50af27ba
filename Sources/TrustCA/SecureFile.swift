#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// POSIX file helpers for key material in the data directory.
///
/// CONTRACT §2 requires CA keys to be stored with mode 0600. Keys are therefore created with `open(2)` and that
/// mode from the first byte (never write-then-chmod), written to a temporary sibling, `fsync`ed and renamed into
/// place, so a crash leaves either the old file or the complete new one.
enum SecureFile {
    /// Mode for private keys: owner read/write only.
    static let privateMode: mode_t = 0o600
    /// Mode for certificates, which are public.
    static let publicMode: mode_t = 0o644
    /// Mode for directories holding keys: owner only.
    static let directoryMode: mode_t = 0o700

    /// Joins path components with `/`.
    static func join(_ base: String, _ components: String...) -> String {
        var result = base.hasSuffix("/") && base.count > 1 ? String(base.dropLast()) : base
        for component in components {
            result += "/" + component
        }
        return result
    }

    /// Whether anything exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The permission bits of `path`.
    static func mode(of path: String) throws(TrustCAError) -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .ioFailure(reason: "cannot stat \(path): \(Self.lastError())")
        }
        return info.st_mode & 0o7777
    }

    /// Creates `path` (and missing parents) and restricts it to `mode`.
    static func ensureDirectory(_ path: String, mode: mode_t) throws(TrustCAError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .ioFailure(reason: "cannot create directory \(prefix): \(Self.lastError())")
            }
        }
        if chmod(path, mode) != 0 {
            let reason = "cannot set mode \(String(mode, radix: 8)) on \(path): \(Self.lastError())"
            throw errno == EPERM ? .permissionDenied(reason: reason) : .ioFailure(reason: reason)
        }
    }

    /// Reads `path` as UTF-8, or returns `nil` if it does not exist.
    static func readString(_ path: String) throws(TrustCAError) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .ioFailure(reason: "cannot open \(path): \(Self.lastError())")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .ioFailure(reason: "cannot read \(path): \(Self.lastError())")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a private key file, refusing it if group or others have any access (as OpenSSH does).
    static func readPrivateString(_ path: String) throws(TrustCAError) -> String? {
        guard Self.exists(path) else { return nil }
        let mode = try Self.mode(of: path)
        guard mode & 0o077 == 0 else {
            throw .permissionDenied(
                reason:
                    "\(path) has mode \(String(mode, radix: 8)); private keys must not be accessible by others (0600)"
            )
        }
        return try Self.readString(path)
    }

    /// Atomically replaces `path` with `contents`, the new file having `mode` from its creation.
    static func writeAtomically(_ contents: String, to path: String, mode: mode_t) throws(TrustCAError) {
        let temporary = "\(path).tmp-\(getpid())"
        _ = unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            let reason = "cannot create \(temporary): \(Self.lastError())"
            throw errno == EACCES ? .permissionDenied(reason: reason) : .ioFailure(reason: reason)
        }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        // The umask can only remove bits; make the mode exact regardless of it.
        guard fchmod(fd, mode) == 0 else {
            _ = unlink(temporary)
            throw .permissionDenied(reason: "cannot set mode on \(temporary): \(Self.lastError())")
        }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                _ = unlink(temporary)
                throw .ioFailure(reason: "cannot write \(temporary): \(Self.lastError())")
            }
            written += count
        }
        guard fsync(fd) == 0 else {
            _ = unlink(temporary)
            throw .ioFailure(reason: "cannot sync \(temporary): \(Self.lastError())")
        }
        closed = true
        close(fd)
        guard rename(temporary, path) == 0 else {
            _ = unlink(temporary)
            throw .ioFailure(reason: "cannot rename \(temporary) to \(path): \(Self.lastError())")
        }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
