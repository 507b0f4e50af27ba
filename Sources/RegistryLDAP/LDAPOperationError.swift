@preconcurrency import CLDAP
import Registry

/// A failed libldap call: the LDAP result code (RFC 4511 §4.1.9), or one of libldap's negative API codes, and what
/// was being attempted.
///
/// Stays inside the module: ``LDAPClient`` inspects ``isConnectionLost`` to decide whether to reconnect, and the
/// store converts every failure to a ``RegistryError`` at its edge with ``registryError``.
struct LDAPOperationError: Error, Sendable, CustomStringConvertible {
    /// The result code (RFC 4511 §4.1.9, Appendix A) or libldap API error (negative, `ldap.h`).
    var resultCode: Int32
    /// What was attempted, e.g. `search` or `bind`.
    var operation: String
    /// The entry the operation targeted, if any.
    var dn: String?
    /// The server's `diagnosticMessage` (RFC 4511 §4.1.9) or libldap's detail, if any.
    var diagnostic: String?

    /// Whether the session is unusable and must be re-initialised and re-bound: libldap reports a dropped or
    /// unreachable server as `LDAP_SERVER_DOWN` or `LDAP_CONNECT_ERROR`.
    var isConnectionLost: Bool {
        self.resultCode == LDAP_SERVER_DOWN || self.resultCode == LDAP_CONNECT_ERROR
    }

    /// libldap's text for the result code, e.g. `No such object`.
    var resultText: String {
        guard let text = ldap_err2string(self.resultCode) else { return "LDAP error" }
        return String(cString: text)
    }

    /// `operation dn: text (code): diagnostic`, for logs and ``RegistryError/reason``.
    var description: String {
        var text = "LDAP \(self.operation)"
        if let dn = self.dn { text += " of '\(dn)'" }
        text += " failed: \(self.resultText) (\(self.resultCode))"
        if let diagnostic = self.diagnostic, !diagnostic.isEmpty { text += ": \(diagnostic)" }
        return text
    }

    /// The registry's view of the failure.
    ///
    /// `entryAlreadyExists` (68) becomes ``RegistryError/Code/alreadyExists`` and `noSuchObject` (32)
    /// ``RegistryError/Code/notFound`` (RFC 4511 Appendix A.2); everything else — an unreachable server, refused
    /// credentials, a schema violation — is a ``RegistryError/Code/storageFailure`` carrying ``description``.
    var registryError: RegistryError {
        switch self.resultCode {
        case LDAP_ALREADY_EXISTS: .alreadyExists(reason: self.description)
        case LDAP_NO_SUCH_OBJECT: .notFound(reason: self.description)
        case LDAP_INVALID_CREDENTIALS where self.operation.hasPrefix("SASL"):
            .storageFailure(
                reason: "\(self.description) (check the keytab, the principal and the directory's ldap/HOST key)")
        case LDAP_INVALID_CREDENTIALS:
            .storageFailure(reason: "\(self.description) (check the LDAP bind DN and password)")
        case LDAP_SERVER_DOWN, LDAP_CONNECT_ERROR:
            .storageFailure(reason: "\(self.description) (is the directory server running and the URL right?)")
        case LDAP_OBJECT_CLASS_VIOLATION, LDAP_UNDEFINED_TYPE, LDAP_NO_SUCH_ATTRIBUTE:
            .storageFailure(reason: "\(self.description) (is schemas/intercloud.schema loaded? see docs/ldap.md)")
        default: .storageFailure(reason: self.description)
        }
    }
}
