import Foundation
import SwiftASN1
import X509

/// The end-entity profile for federation clouds (RFC 5280 §4.2, RFC 6120 §13.7.1.4, XEP-0178).
extension CertificateProfile {
    /// id-on-xmppAddr (RFC 6120 §13.7.1.4).
    static let xmppAddrOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 8, 5]
    /// id-ce-cRLDistributionPoints (RFC 5280 §4.2.1.13).
    static let crlDistributionPointsOID: ASN1ObjectIdentifier = [2, 5, 29, 31]

    /// A cloud's certificate: subject `O=Intercloud Root, CN=<cloud>`; SAN the endpoint dNSNames plus
    /// otherName id-on-xmppAddr holding the bare JID as UTF8String (RFC 6120 §13.7.1.4); BasicConstraints
    /// CA:false and KeyUsage digitalSignature (+ keyEncipherment for RSA), both critical; EKU clientAuth +
    /// serverAuth; AKI/SKI; AIA caIssuers and CRL distribution point URLs at `baseURL` (RFC 5280 §4.2.2.1,
    /// §4.2.1.13).
    func makeCloud(
        publicKey: Certificate.PublicKey,
        keyKind: SubjectKeyKind,
        subject: IssuedSubject,
        issuer: Certificate,
        issuerKey: Certificate.PrivateKey,
        baseURL: String,
        now: Date,
        validity: TimeInterval
    ) throws(TrustCAError) -> Certificate {
        let name = try Self.name(commonName: subject.cloudName)
        return try Self.sign {
            var names = SubjectAlternativeNames(subject.dnsNames.map { GeneralName.dnsName($0) })
            names.append(
                .otherName(
                    GeneralName.OtherName(
                        typeID: Self.xmppAddrOID, value: try ASN1Any(erasing: ASN1UTF8String(subject.jid)))))
            let access = AuthorityInformationAccess([
                .init(method: .issuingCA, location: .uniformResourceIdentifier(baseURL + "/v1/ca/certificates"))
            ])
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: keyKind == .rsa))
                try ExtendedKeyUsage([.clientAuth, .serverAuth])
                try Self.authorityKeyIdentifier(of: issuer)
                SubjectKeyIdentifier(hash: publicKey)
                names
                access
                try Self.crlDistributionPoints(url: baseURL + "/v1/ca/crl")
            }
            return try Certificate(
                version: .v3,
                serialNumber: self.serials.next(),
                publicKey: publicKey,
                notValidBefore: now.addingTimeInterval(-Self.backdate),
                notValidAfter: min(now.addingTimeInterval(validity), issuer.notValidAfter),
                issuer: issuer.subject,
                subject: name,
                extensions: extensions,
                issuerPrivateKey: issuerKey
            )
        }
    }

    /// `CRLDistributionPoints ::= SEQUENCE OF DistributionPoint` with one point whose `fullName` is the URI
    /// (RFC 5280 §4.2.1.13), non-critical. `distributionPoint [0]` wraps a CHOICE, so it is explicit; `fullName [0]`
    /// is an implicitly tagged GeneralNames; the URI is `[6] IA5String`.
    static func crlDistributionPoints(url: String) throws -> Certificate.Extension {
        var coder = DER.Serializer()
        let tag0 = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.appendConstructedNode(identifier: tag0) { coder in
                    try coder.appendConstructedNode(identifier: tag0) { coder in
                        try coder.serialize(GeneralName.uniformResourceIdentifier(url))
                    }
                }
            }
        }
        return Certificate.Extension(
            oid: Self.crlDistributionPointsOID, critical: false, value: coder.serializedBytes[...])
    }

    /// The URL named by a CRL distribution points extension, or `nil` (used by tests and diagnostics).
    static func crlDistributionPointURL(_ ext: Certificate.Extension) -> String? {
        guard ext.oid == Self.crlDistributionPointsOID,
            let root = try? DER.parse(Array(ext.value)),
            case .constructed(let points) = root.content,
            let point = points.first(where: { _ in true }),
            case .constructed(let fields) = point.content,
            let distributionPoint = fields.first(where: { _ in true }),
            case .constructed(let choice) = distributionPoint.content,
            let fullName = choice.first(where: { _ in true }),
            case .constructed(let generalNames) = fullName.content,
            let uri = generalNames.first(where: { _ in true }),
            let name = try? GeneralName(derEncoded: uri),
            case .uniformResourceIdentifier(let url) = name
        else { return nil }
        return url
    }
}
