import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import XMPPCore

/// Validates the certificate a client presented in the TLS handshake for SASL EXTERNAL (XEP-0178), declared here
/// so the XMPP layer does not import the certificate authority; the executable answers with the CA's verifier.
public protocol CertificateAuthenticator: Sendable {
    /// The bare JID the chain (leaf first, DER) authenticates, or why not: `not-authorized` for an invalid, expired,
    /// revoked or foreign certificate or an unknown or suspended cloud, `invalid-authzid` when `authzid` is not the
    /// certificate's xmppAddr (XEP-0178 §3, §4; RFC 6120 §13.7.1.4).
    func authenticate(chain: [[UInt8]], authzid: String?) async -> Result<JID, SASLFailure>
}

/// The chain a client presented during the TLS handshake, as DER, recorded by the TLS verification callback.
///
/// Presence of a certificate is not trust: the TLS layer accepts any chain (so clients without a certificate, or
/// with one from elsewhere, can still use SCRAM), and ``CertificateAuthenticator`` validates it against our CA when
/// the client chooses EXTERNAL.
final class PresentedCertificates: Sendable {
    private let chain = NIOLockedValueBox<[[UInt8]]>([])

    /// The presented chain, leaf first; empty when none.
    var der: [[UInt8]] { self.chain.withLockedValue { $0 } }

    /// A server TLS handler that asks for a client certificate (optional, per the context's
    /// `.optionalVerification`) and records whatever is presented.
    func makeTLSHandler(context: NIOSSLContext) -> NIOSSLServerHandler {
        NIOSSLServerHandler(context: context) { certificates, promise in
            let der = certificates.compactMap { try? $0.toDERBytes() }
            self.chain.withLockedValue { $0 = der }
            promise.succeed(.certificateVerified)
        }
    }
}
