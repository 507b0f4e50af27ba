/// Every failure of an ``XMPPStore``, with a stable ``Code``, a reason and the source location.
///
/// Modelled on swift-certificates' `CertificateError` (STYLE §9): callers switch on ``code`` and map it at the edge
/// to a stanza error (RFC 6120 §8.3.3) — ``Code/quotaExceeded`` to `resource-constraint` (XEP-0160 §4),
/// ``Code/notFound`` to `item-not-found` (XEP-0060 §8.4.3.2), ``Code/storageFailure`` to
/// `internal-server-error`. ``reason`` is for humans and logs and may change between releases.
public struct XMPPStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable classification of the failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The backing store failed (I/O, corruption, SQLite error).
        case storageFailure
        /// A per-account bound was reached, e.g. the offline message limit (XEP-0160 §4).
        case quotaExceeded
        /// The addressed record does not exist, e.g. a PEP node being deleted (XEP-0060 §8.4.3.2).
        case notFound
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

    /// `XMPPStoreError.code: reason (file:line)`, for logs.
    public var description: String {
        "XMPPStoreError.\(self.code.rawValue): \(self.reason) (\(self.file):\(self.line))"
    }

    /// The backing store failed.
    public static func storageFailure(reason: String, file: String = #fileID, line: UInt = #line) -> XMPPStoreError {
        XMPPStoreError(code: .storageFailure, reason: reason, file: file, line: line)
    }

    /// A per-account bound was reached (XEP-0160 §4).
    public static func quotaExceeded(reason: String, file: String = #fileID, line: UInt = #line) -> XMPPStoreError {
        XMPPStoreError(code: .quotaExceeded, reason: reason, file: file, line: line)
    }

    /// The addressed record does not exist (XEP-0060 §8.4.3.2).
    public static func notFound(reason: String, file: String = #fileID, line: UInt = #line) -> XMPPStoreError {
        XMPPStoreError(code: .notFound, reason: reason, file: file, line: line)
    }
}
