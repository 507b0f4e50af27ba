/// The acceptor side of one GSS-API security context, reduced to the three calls SASL GSSAPI needs
/// (RFC 4752 §3.1; GSS-API RFC 2743 §2.2.2 `GSS_Accept_sec_context`, §2.3.3 `GSS_Wrap`, §2.3.4 `GSS_Unwrap`).
///
/// Declared here so that ``GSSAPIServer`` stays a pure state machine: the real acceptor (MIT Kerberos, in the
/// `KerberosGSS` target) blocks on files and clocks, a test double replays recorded tokens. One acceptor serves one
/// exchange and is used by one thread at a time.
public protocol GSSAPIAcceptor: Sendable {
    /// Feeds one context token from the client (`GSS_Accept_sec_context`, RFC 2743 §2.2.2).
    mutating func accept(_ token: [UInt8]) throws(GSSAPIFailure) -> GSSAPIAcceptStep
    /// Protects `message` for integrity only, `conf_req_flag` FALSE (`GSS_Wrap`, RFC 2743 §2.3.3).
    mutating func wrap(_ message: [UInt8]) throws(GSSAPIFailure) -> [UInt8]
    /// Verifies and unwraps a message from the client (`GSS_Unwrap`, RFC 2743 §2.3.4).
    mutating func unwrap(_ token: [UInt8]) throws(GSSAPIFailure) -> [UInt8]
}

/// What one `GSS_Accept_sec_context` call produced (RFC 2743 §2.2.2).
public enum GSSAPIAcceptStep: Sendable, Equatable {
    /// `GSS_S_CONTINUE_NEEDED`: send this token and wait for the client's next one.
    case continueNeeded([UInt8])
    /// `GSS_S_COMPLETE`: the context is established; `output` (possibly empty) still goes to the client;
    /// `initiator` is the authenticated client principal as `gss_display_name` shows it (`alice@EXAMPLE.ORG`).
    case complete(output: [UInt8], initiator: String, flags: GSSAPIContextFlags)
}

/// The `ret_flags` of an established context, with the bit values of RFC 2744 §3.9 (`GSS_C_*_FLAG`).
public struct GSSAPIContextFlags: OptionSet, Sendable, Hashable {
    /// The raw `OM_uint32` bits.
    public let rawValue: UInt32
    /// Creates flags from `ret_flags`.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `GSS_C_DELEG_FLAG`: the client delegated credentials.
    public static let delegation = GSSAPIContextFlags(rawValue: 1)
    /// `GSS_C_MUTUAL_FLAG`: the server was authenticated to the client too.
    public static let mutual = GSSAPIContextFlags(rawValue: 2)
    /// `GSS_C_REPLAY_FLAG`: replayed per-message tokens are detected.
    public static let replayDetection = GSSAPIContextFlags(rawValue: 4)
    /// `GSS_C_SEQUENCE_FLAG`: out-of-sequence per-message tokens are detected.
    public static let sequenceDetection = GSSAPIContextFlags(rawValue: 8)
    /// `GSS_C_CONF_FLAG`: confidentiality is available.
    public static let confidentiality = GSSAPIContextFlags(rawValue: 16)
    /// `GSS_C_INTEG_FLAG`: integrity is available, which `GSS_Wrap` without confidentiality needs.
    public static let integrity = GSSAPIContextFlags(rawValue: 32)
    /// `GSS_C_ANON_FLAG`: the initiator is anonymous (RFC 6112), so no principal was authenticated.
    public static let anonymous = GSSAPIContextFlags(rawValue: 64)
}

/// Why a GSS-API call failed, classified so that the SASL layer can answer with the right condition (RFC 6120
/// §6.5); `reason` carries the mechanism's own words for the log (`gss_display_status`, RFC 2743 §2.4.1).
public struct GSSAPIFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable classification of GSS-API major and Kerberos minor status codes.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// The token is not a valid token of the mechanism (`GSS_S_DEFECTIVE_TOKEN`, `GSS_S_BAD_MECH`).
        case defectiveToken = "defective-token"
        /// The authenticator was seen before (`KRB5KRB_AP_ERR_REPEAT`, RFC 4120 §3.2.3).
        case replay
        /// The ticket is for another service principal than ours (`KRB5KRB_AP_ERR_NOT_US`, `KRB5KRB_AP_WRONG_PRINC`).
        case wrongServicePrincipal = "wrong-service-principal"
        /// The ticket cannot be decrypted with our keys: wrong key version or tampered (`KRB5KRB_AP_ERR_BAD_INTEGRITY`,
        /// `KRB5KRB_AP_ERR_BADKEYVER`, `KRB5KRB_AP_ERR_MODIFIED`).
        case badKey = "bad-key"
        /// The ticket or credentials expired (`GSS_S_CREDENTIALS_EXPIRED`, `KRB5KRB_AP_ERR_TKT_EXPIRED`).
        case expired
        /// The clocks of client and server differ too much (`KRB5KRB_AP_ERR_SKEW`, RFC 4120 §3.2.3).
        case clockSkew = "clock-skew"
        /// Our own credentials are unusable: no keytab, no key for the service, replay cache I/O errors.
        case serverCredentials = "server-credentials"
        /// A per-message token failed verification (`GSS_S_BAD_SIG`, `GSS_S_DUPLICATE_TOKEN`, …).
        case badMessage = "bad-message"
        /// Anything else (`GSS_S_FAILURE` with an unrecognised minor status).
        case failure
    }

    /// The classification.
    public var code: Code
    /// The mechanism's message, for logs only.
    public var reason: String

    /// Creates a failure.
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The SASL condition for this failure (RFC 6120 §6.5): a defective token is `malformed-request`, an expired
    /// ticket `credentials-expired`, our own broken keytab `temporary-auth-failure`; everything that means "this
    /// client did not prove who it is" — replays, tickets for other services, bad keys, clock skew — is
    /// `not-authorized`.
    public var condition: SASLFailure {
        switch self.code {
        case .defectiveToken: .malformedRequest
        case .expired: .credentialsExpired
        case .serverCredentials: .temporaryAuthFailure
        case .replay, .wrongServicePrincipal, .badKey, .clockSkew, .badMessage, .failure: .notAuthorized
        }
    }

    /// `code: reason`.
    public var description: String { "\(self.code.rawValue): \(self.reason)" }
}
