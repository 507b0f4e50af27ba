/// Every failure of the registry module, with a stable ``Code``, a reason and the source location.
///
/// Modelled on swift-certificates' `CertificateError`: callers switch on ``code`` and map it at the edges — the CLI
/// to exit codes (CONTRACT §3: validation and lookup failures are usage errors, storage failures runtime errors),
/// the admin API to HTTP status codes. ``reason`` is for humans and logs and may change between releases.
public struct RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable classification of the failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A cloud name is not 1–63 of `a-z 0-9 -` or starts or ends with `-` (CONTRACT §3).
        case invalidName
        /// A trust level is outside `0...5`.
        case invalidTrustLevel
        /// A cloud with this name is already registered.
        case alreadyExists
        /// No cloud with this name is registered.
        case notFound
        /// The backing store failed (I/O, corruption, SQLite error).
        case storageFailure
        /// An endpoint is not an absolute URL with a scheme and a host (RFC 3986 §4.3).
        case invalidEndpoint
        /// Bytes given as a certificate are not a DER X.509 certificate with a usable serial (RFC 5280 §4.1).
        case invalidCertificate
    }

    /// The classification, stable across releases.
    public var code: Code
    /// A human-readable explanation.
    public var reason: String
    /// The file that raised the error (`#fileID`).
    public var file: String
    /// The line that raised the error.
    public var line: UInt

    /// Creates an error; prefer the static factories, which record the call site.
    public init(code: Code, reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// `code: reason (file:line)`, for logs.
    public var description: String {
        "RegistryError.\(self.code.rawValue): \(self.reason) (\(self.file):\(self.line))"
    }

    /// A cloud name failed validation (CONTRACT §3).
    public static func invalidName(reason: String, file: String = #fileID, line: UInt = #line) -> RegistryError {
        RegistryError(code: .invalidName, reason: reason, file: file, line: line)
    }

    /// A trust level is outside `0...5`.
    public static func invalidTrustLevel(reason: String, file: String = #fileID, line: UInt = #line) -> RegistryError {
        RegistryError(code: .invalidTrustLevel, reason: reason, file: file, line: line)
    }

    /// A cloud with this name already exists.
    public static func alreadyExists(reason: String, file: String = #fileID, line: UInt = #line) -> RegistryError {
        RegistryError(code: .alreadyExists, reason: reason, file: file, line: line)
    }

    /// No cloud with this name exists.
    public static func notFound(reason: String, file: String = #fileID, line: UInt = #line) -> RegistryError {
        RegistryError(code: .notFound, reason: reason, file: file, line: line)
    }

    /// The backing store failed.
    public static func storageFailure(reason: String, file: String = #fileID, line: UInt = #line) -> RegistryError {
        RegistryError(code: .storageFailure, reason: reason, file: file, line: line)
    }

    /// An endpoint is not an absolute URL (RFC 3986 §4.3).
    public static func invalidEndpoint(reason: String, file: String = #fileID, line: UInt = #line) -> RegistryError {
        RegistryError(code: .invalidEndpoint, reason: reason, file: file, line: line)
    }

    /// Bytes are not a DER X.509 certificate (RFC 5280 §4.1).
    public static func invalidCertificate(reason: String, file: String = #fileID, line: UInt = #line) -> RegistryError {
        RegistryError(code: .invalidCertificate, reason: reason, file: file, line: line)
    }
}
