@preconcurrency import CGSSAPI
import XMPPCore

/// GSS-API status codes (RFC 2744 §3.9.1) and their classification into ``GSSAPIFailure``.
///
/// A major status holds a calling error (bits 24–31), a routine error (bits 16–23) and supplementary bits (0–15);
/// the minor status is the mechanism's own code, for Kerberos V5 an MIT `krb5_error_code` from the `krb5` error
/// table (RFC 4120 §7.5.9 codes plus `ERROR_TABLE_BASE_krb5`) or an `errno` value.
enum GSSStatus {
    /// `GSS_S_CONTINUE_NEEDED`, a supplementary bit (RFC 2744 §3.9.1).
    static let continueNeeded: OM_uint32 = 1

    /// Whether `major` is an error (`GSS_ERROR`): any calling or routine error bit.
    static func isError(_ major: OM_uint32) -> Bool { major & 0xffff_0000 != 0 }

    /// The routine error number (`GSS_ROUTINE_ERROR >> 16`).
    static func routineError(_ major: OM_uint32) -> OM_uint32 { (major >> 16) & 0xff }

    /// Routine errors of RFC 2744 §3.9.1.
    enum Routine {
        /// `GSS_S_BAD_MECH`: an unsupported mechanism was requested.
        static let badMech: OM_uint32 = 1
        /// `GSS_S_BAD_NAME`: an invalid name was supplied.
        static let badName: OM_uint32 = 2
        /// `GSS_S_BAD_SIG`: a token had an invalid MIC.
        static let badSignature: OM_uint32 = 6
        /// `GSS_S_NO_CRED`: no credentials were supplied, or they were unavailable.
        static let noCredentials: OM_uint32 = 7
        /// `GSS_S_DEFECTIVE_TOKEN`: a token was invalid.
        static let defectiveToken: OM_uint32 = 9
        /// `GSS_S_DEFECTIVE_CREDENTIAL`: a credential was invalid.
        static let defectiveCredential: OM_uint32 = 10
        /// `GSS_S_CREDENTIALS_EXPIRED`: the referenced credentials have expired.
        static let credentialsExpired: OM_uint32 = 11
        /// `GSS_S_CONTEXT_EXPIRED`: the context has expired.
        static let contextExpired: OM_uint32 = 12
    }

    /// MIT Kerberos minor codes (`krb5_err.et`, base -1765328384), named as in `krb5.h`.
    enum Kerberos {
        /// `ERROR_TABLE_BASE_krb5`.
        static let base: Int32 = -1_765_328_384
        /// `KRB5KRB_AP_ERR_BAD_INTEGRITY`: integrity check on decrypted field failed.
        static let badIntegrity = base + 31
        /// `KRB5KRB_AP_ERR_TKT_EXPIRED`: ticket expired.
        static let ticketExpired = base + 32
        /// `KRB5KRB_AP_ERR_TKT_NYV`: ticket not yet valid.
        static let ticketNotYetValid = base + 33
        /// `KRB5KRB_AP_ERR_REPEAT`: request is a replay.
        static let repeatRequest = base + 34
        /// `KRB5KRB_AP_ERR_NOT_US`: the ticket isn't for us.
        static let notUs = base + 35
        /// `KRB5KRB_AP_ERR_SKEW`: clock skew too great.
        static let skew = base + 37
        /// `KRB5KRB_AP_ERR_MODIFIED`: message stream modified.
        static let modified = base + 41
        /// `KRB5KRB_AP_ERR_BADKEYVER`: specified version of key is not available.
        static let badKeyVersion = base + 44
        /// `KRB5KRB_AP_ERR_NOKEY`: service key not available.
        static let noKey = base + 45
        /// `KRB5KRB_AP_WRONG_PRINC`: wrong principal in request.
        static let wrongPrincipal = base + 144
        /// `KRB5_RC_REPLAY`: the replay cache detected a replay.
        static let replayCacheReplay = base + 163
        /// `KRB5_RC_TYPE_EXISTS` … `KRB5_RC_IO_SPACE`: replay cache errors.
        static let replayCacheErrors = (base + 159)...(base + 172)
        /// `KRB5_KT_BADNAME` … `KRB5_KT_IOERR`: keytab errors.
        static let keytabErrors = (base + 179)...(base + 184)
        /// `KRB5_KT_KVNONOTFOUND`: the key version is not in the keytab.
        static let keyVersionNotFound = base + 230
    }

    /// Classifies a failed call; `operation` and the mechanism's messages become the reason.
    static func failure(_ operation: String, major: OM_uint32, minor: OM_uint32) -> GSSAPIFailure {
        let code = Int32(bitPattern: minor)
        let reason =
            "\(operation): \(Self.message(major: major, minor: minor)) (major 0x\(String(major, radix: 16)), minor \(code))"
        switch Self.routineError(major) {
        case Routine.badMech, Routine.defectiveToken, Routine.defectiveCredential, Routine.badName:
            return GSSAPIFailure(.defectiveToken, reason: reason)
        case Routine.credentialsExpired, Routine.contextExpired:
            return GSSAPIFailure(.expired, reason: reason)
        case Routine.noCredentials:
            return GSSAPIFailure(.serverCredentials, reason: reason)
        case Routine.badSignature:
            return GSSAPIFailure(.badMessage, reason: reason)
        default:
            break
        }
        switch code {
        case Kerberos.repeatRequest, Kerberos.replayCacheReplay: return GSSAPIFailure(.replay, reason: reason)
        case Kerberos.notUs, Kerberos.wrongPrincipal: return GSSAPIFailure(.wrongServicePrincipal, reason: reason)
        case Kerberos.badIntegrity, Kerberos.modified, Kerberos.badKeyVersion, Kerberos.noKey,
            Kerberos.keyVersionNotFound:
            return GSSAPIFailure(.badKey, reason: reason)
        case Kerberos.ticketExpired: return GSSAPIFailure(.expired, reason: reason)
        case Kerberos.skew, Kerberos.ticketNotYetValid: return GSSAPIFailure(.clockSkew, reason: reason)
        case Kerberos.replayCacheErrors, Kerberos.keytabErrors, 1..<4096:
            // 1..<4096: an errno from reading the keytab or the replay cache.
            return GSSAPIFailure(.serverCredentials, reason: reason)
        default:
            return GSSAPIFailure(.failure, reason: reason)
        }
    }

    /// The major and minor messages of `gss_display_status` (RFC 2744 §5.11), joined.
    static func message(major: OM_uint32, minor: OM_uint32) -> String {
        var parts = Self.strings(major, type: Int32(GSS_C_GSS_CODE))
        if minor != 0 { parts += Self.strings(minor, type: Int32(GSS_C_MECH_CODE)) }
        return parts.joined(separator: "; ")
    }

    private static func strings(_ status: OM_uint32, type: Int32) -> [String] {
        var result: [String] = []
        var context: OM_uint32 = 0
        repeat {
            var minor: OM_uint32 = 0
            var buffer = gss_buffer_desc(length: 0, value: nil)
            let major = gss_display_status(&minor, status, type, intercloud_gss_mech_krb5(), &context, &buffer)
            guard !Self.isError(major) else { break }
            result.append(GSSBuffer.string(buffer))
            gss_release_buffer(&minor, &buffer)
        } while context != 0 && result.count < 8
        return result.filter { !$0.isEmpty }
    }
}

/// Helpers for `gss_buffer_desc` (RFC 2744 §3.2).
enum GSSBuffer {
    /// The bytes of a buffer the library filled.
    static func bytes(_ buffer: gss_buffer_desc) -> [UInt8] {
        guard let value = buffer.value, buffer.length > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: value, count: buffer.length))
    }

    /// The text of a buffer the library filled (not NUL-terminated).
    static func string(_ buffer: gss_buffer_desc) -> String {
        String(decoding: Self.bytes(buffer), as: UTF8.self)
    }

    /// Runs `body` with a buffer pointing at a copy of `bytes`.
    static func with<Result>(_ bytes: [UInt8], _ body: (inout gss_buffer_desc) -> Result) -> Result {
        var copy = bytes
        return copy.withUnsafeMutableBytes { raw in
            var buffer = gss_buffer_desc(length: raw.count, value: raw.baseAddress)
            return body(&buffer)
        }
    }
}
