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

    /// The request is not a parseable PKCS#10 CSR in PEM or DER (RFC 2986 §4).
    @inline(never)
    public static func invalidCSR(reason: String, file: String = #fileID, line: UInt = #line) -> TrustCAError {
        TrustCAError(code: .invalidCSR, reason: reason, file: file, line: line)
    }

    /// The CSR's signature does not verify with its own public key: no proof of possession (RFC 2986 §3).
    @inline(never)
    public static func badCSRSignature(reason: String, file: String = #fileID, line: UInt = #line) -> TrustCAError {
        TrustCAError(code: .badCSRSignature, reason: reason, file: file, line: line)
    }

    /// The CSR's public key is of a type or size this CA does not certify.
    @inline(never)
    public static func unsupportedKey(reason: String, file: String = #fileID, line: UInt = #line) -> TrustCAError {
        TrustCAError(code: .unsupportedKey, reason: reason, file: file, line: line)
    }

    /// The registry-supplied subject is unusable: a malformed JID or DNS name, or a name outside the issuing CA's
    /// permitted subtrees (RFC 5280 §4.2.1.10, RFC 6120 §13.7.1.4).
    @inline(never)
    public static func invalidSubject(reason: String, file: String = #fileID, line: UInt = #line) -> TrustCAError {
        TrustCAError(code: .invalidSubject, reason: reason, file: file, line: line)
    }

    /// The serial number was not issued by this CA (RFC 5280 §5.3: a CRL lists only the issuer's certificates).
    @inline(never)
    public static func unknownSerial(reason: String, file: String = #fileID, line: UInt = #line) -> TrustCAError {
        TrustCAError(code: .unknownSerial, reason: reason, file: file, line: line)
    }

    /// The revocation reason may not be used in a full CRL (RFC 5280 §5.3.1: removeFromCRL is for delta CRLs).
    @inline(never)
    public static func invalidRevocationReason(
        reason: String,
        file: String = #fileID,
        line: UInt = #line
    ) -> TrustCAError {
        TrustCAError(code: .invalidRevocationReason, reason: reason, file: file, line: line)
    }

    /// The operation needs the root key, which is kept offline (not in `DATA/ca/root.key`).
    @inline(never)
    public static func rootKeyOffline(reason: String, file: String = #fileID, line: UInt = #line) -> TrustCAError {
        TrustCAError(code: .rootKeyOffline, reason: reason, file: file, line: line)
    }

    /// `intercloud ca init` found an existing certificate authority and left it untouched.
    @inline(never)
    public static func alreadyInitialized(reason: String, file: String = #fileID, line: UInt = #line) -> TrustCAError {
        TrustCAError(code: .alreadyInitialized, reason: reason, file: file, line: line)
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
            case invalidCSR
            case badCSRSignature
            case unsupportedKey
            case invalidSubject
            case unknownSerial
            case invalidRevocationReason
            case rootKeyOffline
            case alreadyInitialized
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
        /// The CSR could not be parsed.
        public static let invalidCSR = Code(.invalidCSR)
        /// The CSR's self-signature is invalid.
        public static let badCSRSignature = Code(.badCSRSignature)
        /// The CSR's key type or size is not accepted.
        public static let unsupportedKey = Code(.unsupportedKey)
        /// The subject from the registry cannot be certified.
        public static let invalidSubject = Code(.invalidSubject)
        /// No certificate with this serial was issued here.
        public static let unknownSerial = Code(.unknownSerial)
        /// The revocation reason is not allowed in a CRL entry.
        public static let invalidRevocationReason = Code(.invalidRevocationReason)
        /// The root key is offline.
        public static let rootKeyOffline = Code(.rootKeyOffline)
        /// The certificate authority already exists.
        public static let alreadyInitialized = Code(.alreadyInitialized)

        /// The code's stable name, e.g. `ioFailure`.
        public var description: String {
            String(describing: self.backing)
        }
    }
}
