import Registry
import XMPPCore
import XMPPServer

/// Turns an authenticated Kerberos principal into the bare JID of a registered, active cloud (RFC 4752 §3.1: "the
/// server must verify that the src_name is authorized to authenticate as the authorization identity").
///
/// Nothing is cached between logins: every attempt maps the principal and reads the registry again, so a refusal
/// (unknown or suspended cloud) never outlives its cause, and a success never outlives a suspension.
struct KerberosAuthorizer: Sendable {
    /// The principal → cloud name rule.
    let mapping: KerberosPrincipalMapping
    /// Where clouds are registered.
    let registry: any RegistryStore
    /// The XMPP domain of the clouds' JIDs.
    let domain: String

    /// Principal → cloud name by the mapping rule, then the registry: unknown → `not-authorized`, an authzid other
    /// than the cloud's bare JID → `invalid-authzid`, suspended → `account-disabled`; a registry outage is
    /// `temporary-auth-failure` (RFC 6120 §6.5).
    func authorize(principal: String, authzid: String?) async -> Result<JID, KerberosRefusal> {
        guard let local = self.mapping.localpart(for: principal) else {
            return .failure(
                KerberosRefusal(
                    .notAuthorized,
                    reason: "principal \(principal) does not match the mapping rule '\(self.mapping.pattern)'"))
        }
        guard let name = try? CloudName(local),
            let jid = try? JID(localpart: local, domainpart: self.domain, resourcepart: nil)
        else {
            return .failure(
                KerberosRefusal(.notAuthorized, reason: "principal \(principal) maps to '\(local)', not a cloud name"))
        }
        let entry: CloudEntry?
        do {
            entry = try await self.registry.entry(named: name)
        } catch {
            return .failure(KerberosRefusal(.temporaryAuthFailure, reason: "registry unavailable: \(error.reason)"))
        }
        guard let entry else {
            return .failure(
                KerberosRefusal(.notAuthorized, reason: "principal \(principal) maps to cloud \(name), not registered"))
        }
        if let authzid, (try? JID(parsing: authzid)) != jid {
            return .failure(
                KerberosRefusal(
                    .invalidAuthzid, reason: "principal \(principal) asked to act as '\(authzid)', not as \(jid)"))
        }
        guard entry.status == .active else {
            return .failure(
                KerberosRefusal(.accountDisabled, reason: "principal \(principal) maps to cloud \(name), suspended"))
        }
        return .success(jid)
    }
}
