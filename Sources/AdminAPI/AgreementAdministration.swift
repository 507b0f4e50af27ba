import Foundation
import Hummingbird

/// What the admin API needs to list recorded negotiation agreements (docs/negotiation.md "Retrieval").
public protocol AgreementAdministration: Sendable {
    /// The signed agreements as a JSON array (each element the agreement's canonical JSON plus its signature),
    /// optionally only those a cloud (name or bare JID) is party to.
    func agreementsJSON(party: String?) async throws(AdminAPIError) -> String
}

extension AdminAPI {
    /// `GET /v1/agreements[?party=NAME]`: agreements name the parties and their terms, so unlike the registry
    /// listing this read needs the admin token too.
    func addAgreementRoutes(to router: Router<BasicRequestContext>, agreements: any AgreementAdministration) {
        let token = Array(self.adminTokenValue.utf8)
        router.get("/v1/agreements") { request, _ in
            guard
                let presented = BearerTokenMiddleware<BasicRequestContext>.bearerToken(request.headers[.authorization]),
                !token.isEmpty,
                BearerTokenMiddleware<BasicRequestContext>.constantTimeEqual(Array(presented.utf8), token)
            else {
                throw AdminAPIError(
                    .unauthorized, reason: "listing agreements needs Authorization: Bearer <admin token>")
            }
            let party = request.uri.queryParameters["party"].map(String.init)
            let body = try await agreements.agreementsJSON(party: party)
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
    }
}
