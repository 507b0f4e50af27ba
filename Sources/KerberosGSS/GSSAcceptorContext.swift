@preconcurrency import CGSSAPI
import XMPPCore

/// One acceptor security context (`gss_ctx_id_t`) on a ``GSSAcceptorCredential``: the real ``GSSAPIAcceptor``
/// behind SASL GSSAPI (RFC 4752 §3.1; RFC 2744 §5.1 `gss_accept_sec_context`, §5.33 `gss_wrap`, §5.31 `gss_unwrap`).
///
/// The calls may block on the keytab and the replay cache, so the owner runs them on a thread pool, one at a time;
/// that exclusive, sequential use is what makes the `@unchecked Sendable` sound. The context is deleted on deinit.
public final class GSSAcceptorContext: GSSAPIAcceptor, @unchecked Sendable {
    private let credential: GSSAcceptorCredential
    private var context: gss_ctx_id_t?

    /// A context on `credential`; the library allocates it on the first accept.
    init(credential: GSSAcceptorCredential) {
        self.credential = credential
    }

    deinit {
        guard self.context != nil else { return }
        var minor: OM_uint32 = 0
        gss_delete_sec_context(&minor, &self.context, nil)
    }

    /// `gss_accept_sec_context`: only Kerberos V5 contexts complete; delegated credentials are not requested.
    public func accept(_ token: [UInt8]) throws(GSSAPIFailure) -> GSSAPIAcceptStep {
        var minor: OM_uint32 = 0
        var source: gss_name_t?
        var mechanism: gss_OID?
        var output = gss_buffer_desc(length: 0, value: nil)
        var flags: OM_uint32 = 0
        let major = GSSBuffer.with(token) { input in
            gss_accept_sec_context(
                &minor, &self.context, self.credential.handle, &input, nil, &source, &mechanism, &output, &flags,
                nil, nil)
        }
        defer {
            var ignored: OM_uint32 = 0
            gss_release_buffer(&ignored, &output)
            if source != nil { gss_release_name(&ignored, &source) }
        }
        guard !GSSStatus.isError(major) else {
            throw GSSStatus.failure("accept the security context", major: major, minor: minor)
        }
        let bytes = GSSBuffer.bytes(output)
        if major & GSSStatus.continueNeeded != 0 { return .continueNeeded(bytes) }
        guard intercloud_gss_oid_equal(mechanism, intercloud_gss_mech_krb5()) != 0 else {
            throw GSSAPIFailure(.defectiveToken, reason: "the security context is not a Kerberos V5 context")
        }
        guard let source, let initiator = GSSName.display(source) else {
            throw GSSAPIFailure(.failure, reason: "the security context names no initiator")
        }
        return .complete(output: bytes, initiator: initiator, flags: GSSAPIContextFlags(rawValue: flags))
    }

    /// `gss_wrap` with `conf_req_flag` FALSE and the default QOP (RFC 4752 §3.1).
    public func wrap(_ message: [UInt8]) throws(GSSAPIFailure) -> [UInt8] {
        var minor: OM_uint32 = 0
        var output = gss_buffer_desc(length: 0, value: nil)
        let major = GSSBuffer.with(message) { input in
            gss_wrap(&minor, self.context, 0, 0, &input, nil, &output)
        }
        defer { gss_release_buffer(&minor, &output) }
        guard !GSSStatus.isError(major) else { throw GSSStatus.failure("wrap", major: major, minor: minor) }
        return GSSBuffer.bytes(output)
    }

    /// `gss_unwrap`; replayed or out-of-sequence tokens (supplementary bits) are refused too.
    public func unwrap(_ token: [UInt8]) throws(GSSAPIFailure) -> [UInt8] {
        var minor: OM_uint32 = 0
        var output = gss_buffer_desc(length: 0, value: nil)
        let major = GSSBuffer.with(token) { input in gss_unwrap(&minor, self.context, &input, &output, nil, nil) }
        defer { gss_release_buffer(&minor, &output) }
        guard !GSSStatus.isError(major) else { throw GSSStatus.failure("unwrap", major: major, minor: minor) }
        guard major == 0 else {
            throw GSSAPIFailure(.badMessage, reason: "unwrap: out-of-sequence or replayed token (status \(major))")
        }
        return GSSBuffer.bytes(output)
    }
}
