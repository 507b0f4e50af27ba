/// An error thrown by the `TrustCA` module.
///
/// Modelled on swift-certificates' `CertificateError`: a stable ``code`` to branch on, plus a human-readable
/// reason and the source location for diagnostics. Equality and hashing consider only the ``code``, so tests can
/// compare against a freshly made error such as `TrustCAError.ioFailure(reason: "")`.
public struct TrustCAError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure; stable across releases and safe to map to exit codes or HTTP statuses.
    public var code: Code

    /// A detailed, human-readable explanation of the failure.
    public var reason: String

    /// The file in which the error was raised (`#fileID`).
    public var file: String

    /// The line on which the error was raised.
    public var line: UInt

    /// `TrustCAError.CODE: reason file:line`.
    public var description: String {
        "TrustCAError.\(self.code): \(self.reason) \(self.file):\(self.line)"
    }

    private init(code: Code, reason: String, file: String, line: UInt) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// Only the ``code`` takes part in equality.
    public static func == (lhs: TrustCAError, rhs: TrustCAError) -> Bool {
        lhs.code == rhs.code
    }

    /// Only the ``code`` takes part in hashing.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }

    /// Reading, writing or creating a file or directory in the data directory failed.
    @inline(never)
    public static func ioFailure(reason: String, file: String = #fileID, line: UInt = #line) -> TrustCAError {
        TrustCAError(code: .ioFailure, reason: reason, file: file, line: line)
    }

    /// A stored private key could not be parsed or does not match its certificate.
    @inline(never)
    public static func invalidKey(reason: String, file: String = #fileID, line: UInt = #line) -> TrustCAError {
        TrustCAError(code: .invalidKey, reason: reason, file: file, line: line)
    }

    /// A stored certificate could not be parsed, or does not belong to this CA or domain (RFC 5280 §4.1).
    @inline(never)
    public static func invalidCertificate(reason: String, file: String = #fileID, line: UInt = #line) -> TrustCAError {
        TrustCAError(code: .invalidCertificate, reason: reason, file: file, line: line)
    }

    /// Key material is readable by others, or permissions could not be restricted (CONTRACT §2: mode 0600).
    @inline(never)
    public static func permissionDenied(reason: String, file: String = #fileID, line: UInt = #line) -> TrustCAError {
        TrustCAError(code: .permissionDenied, reason: reason, file: file, line: line)
    }

    /// Building or signing a certificate failed (RFC 5280 §4.1.1.3).
    @inline(never)
    public static func issuanceFailed(reason: String, file: String = #fileID, line: UInt = #line) -> TrustCAError {
        TrustCAError(code: .issuanceFailed, reason: reason, file: file, line: line)
    }
}

extension TrustCAError {
    /// The stable kinds of ``TrustCAError``.
    ///
    /// A struct wrapping a private enum, as swift-certificates' `CertificateError.ErrorCode` does, so new codes can
    /// be added without breaking exhaustive `switch`es in callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: Hashable, Sendable {
            case ioFailure
            case invalidKey
            case invalidCertificate
            case permissionDenied
            case issuanceFailed
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// File-system failure.
        public static let ioFailure = Code(.ioFailure)
        /// Unusable or mismatched private key.
        public static let invalidKey = Code(.invalidKey)
        /// Unusable or foreign certificate.
        public static let invalidCertificate = Code(.invalidCertificate)
        /// Permissions on key material are wrong or cannot be set.
        public static let permissionDenied = Code(.permissionDenied)
        /// Certificate construction or signing failed.
        public static let issuanceFailed = Code(.issuanceFailed)

        /// The code's stable name, e.g. `ioFailure`.
        public var description: String {
            String(describing: self.backing)
        }
    }
}
