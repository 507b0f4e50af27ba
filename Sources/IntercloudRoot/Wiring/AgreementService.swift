import AdminAPI
import TrustCA
import XMPPCore
import XMPPServer

/// Signs agreements with the issuing CA's key and lists them for the admin API (docs/negotiation.md).
struct AgreementService: AgreementSigning, AgreementAdministration {
    let ca: CertificateAuthority
    let store: any AgreementStore
    let domain: String

    func sign(_ agreement: Agreement) async throws -> SignedAgreement {
        let signature = try self.ca.signDocument(agreement.canonicalBytes())
        return SignedAgreement(
            agreement: agreement,
            signature: AgreementSignature(
                algorithm: signature.algorithm, keyID: signature.keyID, value: signature.value))
    }

    func agreementsJSON(party: String?) async throws(AdminAPIError) -> String {
        var jid: JID? = nil
        if let party {
            do {
                jid =
                    try party.contains("@")
                    ? JID(parsing: party) : JID(localpart: party, domainpart: self.domain, resourcepart: nil)
            } catch {
                throw AdminAPIError(.badRequest, reason: "party must be a cloud name or bare JID")
            }
        }
        do {
            let list = try await self.store.agreements(involving: jid)
            return "[" + list.map(\.json).joined(separator: ",") + "]"
        } catch {
            throw AdminAPIError(.serviceUnavailable, reason: "agreements unavailable: \(error)")
        }
    }
}
