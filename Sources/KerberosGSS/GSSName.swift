@preconcurrency import CGSSAPI
import XMPPCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An imported GSS-API name (`gss_name_t`, RFC 2743 §2.4.5 `GSS_Import_name`), released on deinit.
final class GSSName {
    /// The name handle.
    let handle: gss_name_t

    /// Imports `text` as a Kerberos principal (`service/host@REALM`, RFC 1964 §2.1.1) or, with `hostBased`, as a
    /// host-based service name (`service@host`, RFC 2743 §4.1).
    init(_ text: String, hostBased: Bool) throws(GSSAPIFailure) {
        var minor: OM_uint32 = 0
        var name: gss_name_t?
        let type = hostBased ? intercloud_gss_nt_hostbased_service() : intercloud_gss_nt_krb5_principal()
        let major = GSSBuffer.with(Array(text.utf8)) { buffer in gss_import_name(&minor, &buffer, type, &name) }
        guard !GSSStatus.isError(major), let name else {
            throw GSSStatus.failure("import name '\(text)'", major: major, minor: minor)
        }
        self.handle = name
    }

    deinit {
        var minor: OM_uint32 = 0
        var handle: gss_name_t? = self.handle
        gss_release_name(&minor, &handle)
    }

    /// `gss_display_name` of a name the library returned (RFC 2744 §5.10): `alice@EXAMPLE.ORG` for Kerberos.
    static func display(_ name: gss_name_t) -> String? {
        var minor: OM_uint32 = 0
        var buffer = gss_buffer_desc(length: 0, value: nil)
        guard !GSSStatus.isError(gss_display_name(&minor, name, &buffer, nil)) else { return nil }
        defer { gss_release_buffer(&minor, &buffer) }
        return GSSBuffer.string(buffer)
    }
}

/// A key/value credential store for `gss_acquire_cred_from` (MIT krb5 ≥ 1.11 "credential store extensions": keys
/// `keytab`, `client_keytab`, `ccache`, `rcache`).
enum GSSCredentialStore {
    /// Runs `body` with a `gss_key_value_set_desc` holding `entries`, whose strings live until `body` returns.
    static func with<Result>(
        _ entries: [(key: String, value: String)], _ body: (UnsafePointer<gss_key_value_set_desc>) -> Result
    ) -> Result {
        let strings = entries.map { (strdup($0.key), strdup($0.value)) }
        defer {
            for (key, value) in strings {
                free(key)
                free(value)
            }
        }
        var elements = strings.map { gss_key_value_element_desc(key: $0.0, value: $0.1) }
        return elements.withUnsafeMutableBufferPointer { buffer in
            var set = gss_key_value_set_desc(count: OM_uint32(buffer.count), elements: buffer.baseAddress)
            return withUnsafePointer(to: &set) { body($0) }
        }
    }

    /// Runs `body` with the OID set {Kerberos V5} (RFC 1964 §1), so that no other mechanism (SPNEGO, …) is used.
    static func withKerberosMechanism<Result>(_ body: (gss_OID_set) -> Result) -> Result {
        var set = gss_OID_set_desc(count: 1, elements: intercloud_gss_mech_krb5())
        return withUnsafeMutablePointer(to: &set) { body($0) }
    }
}
