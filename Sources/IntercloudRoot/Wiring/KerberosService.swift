import Foundation
import KerberosGSS
import NIOPosix
import Registry
import XMPPCore
import XMPPServer

/// SASL GSSAPI for c2s (RFC 4752, docs/kerberos.md): the acceptor credential of `xmpp/HOST@REALM` from the
/// configured keytab, and the ``KerberosAuthorizer`` that turns an authenticated principal into a cloud's bare JID.
struct KerberosService: KerberosAuthenticator {
    /// The acceptor credential of the service principal.
    let credential: GSSAcceptorCredential
    /// Principal → cloud.
    let authorizer: KerberosAuthorizer

    /// Acquires the acceptor credential on the blocking thread pool (it reads the keytab); the replay cache lives
    /// in the data directory (RFC 4120 §3.2.3), so a token replayed after a restart is still refused.
    static func make(
        _ configuration: IntercloudConfiguration, registry: any RegistryStore
    ) async throws(CLIError) -> KerberosService? {
        guard let keytab = configuration.kerberosKeytab else { return nil }
        let mapping = try configuration.kerberosMapping()
        let principal = configuration.kerberosServicePrincipal
        let replayCache = "file2:" + configuration.dataURL.appendingPathComponent("krb5-xmpp.rcache2").path
        let result: Result<GSSAcceptorCredential, GSSAPIFailure>
        do {
            result = try await NIOThreadPool.singleton.runIfActive {
                Result { () throws(GSSAPIFailure) in
                    try GSSAcceptorCredential(principal: principal, keytab: keytab, replayCache: replayCache)
                }
            }
        } catch {
            throw .runtime("kerberos: the blocking thread pool is not running: \(error)")
        }
        switch result {
        case .success(let credential):
            return KerberosService(
                credential: credential,
                authorizer: KerberosAuthorizer(mapping: mapping, registry: registry, domain: configuration.domain))
        case .failure(let failure):
            throw .usage("kerberos: cannot use \(principal) from keytab \(keytab): \(failure.reason)")
        }
    }

    /// A fresh security context on the shared credential.
    func makeAcceptor() -> any GSSAPIAcceptor {
        self.credential.makeAcceptor()
    }

    /// See ``KerberosAuthorizer/authorize(principal:authzid:)``.
    func authorize(principal: String, authzid: String?) async -> Result<JID, KerberosRefusal> {
        await self.authorizer.authorize(principal: principal, authzid: authzid)
    }
}
