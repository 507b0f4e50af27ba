import Foundation
import X509

/// Who a certificate is issued to, as recorded in the registry — never as claimed in the CSR.
///
/// RFC 6120 §13.7.1.4 binds an XMPP identity to a certificate through the id-on-xmppAddr otherName; letting the
/// requester choose it would let any registered cloud impersonate another, so the caller (the admin API) fills
/// this in from the cloud's registry entry and the CSR contributes only its public key.
public struct IssuedSubject: Sendable, Hashable {
    /// The cloud name (CONTRACT §3): the subject's commonName.
    public var cloudName: String
    /// The cloud's bare JID `NAME@D`, written as id-on-xmppAddr (RFC 6120 §13.7.1.4).
    public var jid: String
    /// The host names of the cloud's endpoints, written as dNSName SANs (RFC 5280 §4.2.1.6). Each must lie inside
    /// the issuing CA's permitted DNS subtree (the served domain, RFC 5280 §4.2.1.10).
    public var dnsNames: [String]

    /// Creates a subject from registry data.
    public init(cloudName: String, jid: String, dnsNames: [String] = []) {
        self.cloudName = cloudName
        self.jid = jid
        self.dnsNames = dnsNames
    }
}

/// A certificate issued from a CSR, with what the admin API returns (CONTRACT §4).
public struct IssuedCertificate: Sendable {
    /// The end-entity certificate.
    public let certificate: Certificate
    /// The serial number as lower-case hex without a leading `00` (the `{serial-hex}` of the revoke endpoint).
    public let serialHex: String
    /// The leaf then the issuing intermediate as PEM, the `201` body of `POST /v1/clouds/{name}/certificates`
    /// (RFC 8446 §4.4.2 order; the root is the client's trust anchor and is not repeated).
    public let chainPEM: String
    /// The leaf's DER, for LDAP `userCertificate;binary` (RFC 4523 §2.1).
    public let derEncoded: [UInt8]
    /// End of validity (RFC 5280 §4.1.2.5).
    public var notAfter: Date {
        self.certificate.notValidAfter
    }

    init(certificate: Certificate, intermediate: Certificate) throws(TrustCAError) {
        self.certificate = certificate
        self.serialHex = SerialHex.string(certificate.serialNumber)
        self.chainPEM = try CertificateAuthority.pem(of: [certificate, intermediate])
        self.derEncoded = try CertificateAuthority.der(of: certificate)
    }
}

/// The canonical text form of serial numbers used in URLs, logs and the revocation store.
package enum SerialHex {
    /// Lower-case hex of the serial's magnitude, leading zero octets removed (RFC 5280 §4.1.2.2).
    package static func string(_ serial: Certificate.SerialNumber) -> String {
        Self.string(Array(serial.bytes))
    }

    /// Lower-case hex of `bytes`, leading zero octets removed.
    package static func string(_ bytes: [UInt8]) -> String {
        let significant = bytes.drop { $0 == 0 }
        return significant.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// Normalises user input (any case, optional `:` separators, leading zeros) to the canonical form, or `nil`
    /// if it is not hex or longer than 20 octets.
    package static func normalise(_ text: String) -> String? {
        guard let bytes = Self.bytes(text) else { return nil }
        return Self.string(bytes)
    }

    /// The magnitude octets of `text`, or `nil` if it is not hex or longer than 20 octets.
    package static func bytes(_ text: String) -> [UInt8]? {
        var digits = text.lowercased().filter { $0 != ":" }
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst() }
        guard !digits.isEmpty, digits.allSatisfy(\.isHexDigit) else { return nil }
        if digits.count % 2 == 1 { digits = "0" + digits }
        var result: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            guard let byte = UInt8(digits[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        let significant = Array(result.drop { $0 == 0 })
        guard !significant.isEmpty, significant.count <= SerialNumberGenerator.octetCount else { return nil }
        return significant
    }
}
