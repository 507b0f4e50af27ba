import Foundation
import Logging
import NIOSSL
import TrustCA
import XMPPServer

/// Builds the server-to-server service from the configuration (docs/federation.md): TLS contexts with the server
/// certificate, the federation trust anchors, the dialback secret and the static routes.
enum FederationWiring {
    static func makeS2S(
        _ configuration: IntercloudConfiguration, ca: CertificateAuthority, credentials: ServerCredentials,
        componentDomains: Set<String>, logger: Logger, onBound: @escaping @Sendable ([String: Int]) -> Void
    ) throws(CLIError) -> S2SServer {
        var anchors = [ca.root]
        if let path = configuration.s2sTrustAnchors {
            do {
                anchors += try FederationTrust.loadAnchors(pemFile: path)
            } catch {
                throw .usage("--s2s-trust-anchors: \(error.reason)")
            }
        }
        let secret = try DialbackSecret.loadOrCreate(in: configuration.dataURL)
        var routes: [String: S2SRoute] = [:]
        for (domain, target) in configuration.s2sRoutes {
            routes[domain] = S2SRoute(parsing: target)
        }
        let s2sConfiguration = S2SConfiguration(
            domain: configuration.domain, componentDomains: componentDomains, host: configuration.bindAddress,
            port: configuration.s2sPort, routes: routes, maxQueuedStanzas: configuration.s2sMaxQueue,
            connectTimeout: Int64(configuration.s2sConnectTimeout), dialback: configuration.s2sDialback,
            maxStanzaSizeBeforeAuth: configuration.maxStanzaSizeBeforeAuth, maxStanzaSize: configuration.maxStanzaSize)
        return S2SServer(
            configuration: s2sConfiguration, serverTLS: try Self.tlsContext(credentials, server: true),
            clientTLS: try Self.tlsContext(credentials, server: false),
            verifier: FederationVerifier(trust: FederationTrust(anchors: anchors), logger: logger),
            dialbackSecret: secret, logger: logger, randomToken: RandomTokens.token, onBound: onBound)
    }

    /// TLS 1.2+ with the server's chain. As server it asks for, but does not require, a client certificate; as
    /// client it presents the same certificate (RFC 6120 §13.7.1.2: usable for both, EKU serverAuth + clientAuth).
    /// Peer chains are accepted at the TLS layer and judged by ``FederationVerifier``.
    static func tlsContext(_ credentials: ServerCredentials, server: Bool) throws(CLIError) -> NIOSSLContext {
        do {
            let chain = try credentials.certificateChain.map { certificate in
                NIOSSLCertificateSource.certificate(
                    try NIOSSLCertificate(bytes: try certificate.derBytes(), format: .der))
            }
            let key = try NIOSSLPrivateKey(bytes: Array(credentials.privateKeyPEM.utf8), format: .pem)
            var tls =
                server
                ? TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
                : TLSConfiguration.makeClientConfiguration()
            if !server {
                tls.certificateChain = chain
                tls.privateKey = .privateKey(key)
            }
            tls.minimumTLSVersion = .tlsv12
            tls.certificateVerification = server ? .optionalVerification : .noHostnameVerification
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw .runtime("s2s TLS set-up failed: \(error)")
        }
    }
}

/// Answers the XMPP layer's certificate questions for peer servers with the federation trust anchors.
struct FederationVerifier: PeerCertificateVerifier {
    let trust: FederationTrust
    let logger: Logger

    func verify(chain: [[UInt8]], domain: String) async -> Bool {
        switch await self.trust.validate(derChain: chain, domain: domain, now: Date()) {
        case .valid:
            return true
        case .invalid(let reason):
            self.logger.info(
                "peer certificate not accepted", metadata: ["s2s.peer": "\(domain)", "reason": "\(reason)"])
            return false
        }
    }
}

/// The dialback secret at `DATA/s2s/dialback.secret` (mode 0600, directory 0700): 32 random bytes as hex, made on
/// first start and kept, so keys stay verifiable across restarts (XEP-0185 §3).
enum DialbackSecret {
    static func loadOrCreate(in directory: URL) throws(CLIError) -> [UInt8] {
        let folder = directory.appendingPathComponent("s2s")
        let url = folder.appendingPathComponent("dialback.secret")
        if let existing = try? String(contentsOf: url, encoding: .utf8) {
            let secret = existing.trimmingCharacters(in: .whitespacesAndNewlines)
            if secret.count >= 32 { return Array(secret.utf8) }
        }
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .runtime("cannot create \(folder.path): \(error)")
        }
        let secret = RandomTokens.hex(bytes: 32)
        guard
            FileManager.default.createFile(
                atPath: url.path, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw .runtime("cannot write \(url.path)")
        }
        return Array(secret.utf8)
    }
}
