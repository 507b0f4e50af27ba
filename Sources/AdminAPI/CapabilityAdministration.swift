import Foundation
import Hummingbird

/// What the admin API needs from the capability directory, declared here so the API does not import it
/// (CONTRACT §4, §5.3).
public protocol CapabilityAdministration: Sendable {
    /// Answers a SPARQL query (SPARQL 1.1 Protocol §2.1) in the best format for `accept`: the content type and
    /// the body. `badRequest` for a query that does not parse, `queryTimeout`/`resultTooLarge` at the limits.
    func sparql(query: String, accept: String?) async throws(AdminAPIError) -> (contentType: String, body: String)
    /// Sets a cloud's description as a PEP publication would (CONTRACT §5.1); `notFound` for an unknown cloud,
    /// `invalidDescription` naming the line for Turtle that does not parse. Returns whether it replaced one.
    func setDescription(cloud: String, turtle: String) async throws(AdminAPIError) -> Bool
    /// A cloud's current description (Turtle); `notFound` if the cloud is unknown or has published none.
    func description(cloud: String) async throws(AdminAPIError) -> String
}

extension AdminAPI {
    /// The largest query or description accepted.
    static let maxSPARQLBody = 256 * 1024
    /// Turtle (RFC 9110 media type from RDF 1.1 Turtle §8).
    static let turtleContentType = "text/turtle; charset=utf-8"

    /// `GET|POST /sparql` (SPARQL 1.1 Protocol §2.1.1–§2.1.3) and `GET|PUT /v1/clouds/{name}/capabilities`.
    func addCapabilityRoutes(to router: Router<BasicRequestContext>, capabilities: any CapabilityAdministration) {
        router.get("/sparql") { request, _ in
            // The query string is application/x-www-form-urlencoded (SPARQL 1.1 Protocol §2.1.1): `+` is a space,
            // which a plain percent-decoder would leave in place.
            guard let query = SPARQLForm.value(of: "query", in: request.uri.query ?? ""), !query.isEmpty else {
                throw AdminAPIError(.querySyntax, reason: "missing the 'query' parameter (SPARQL 1.1 Protocol §2.1.1)")
            }
            return try await Self.sparqlResponse(query, request: request, capabilities: capabilities)
        }
        router.post("/sparql") { request, _ in
            let body = String(buffer: try await request.body.collect(upTo: Self.maxSPARQLBody))
            let type = request.headers[.contentType]?.split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            let query: String?
            switch type {
            case "application/sparql-query":
                query = body
            case "application/x-www-form-urlencoded":
                query = SPARQLForm.value(of: "query", in: body)
            default:
                throw AdminAPIError(
                    .unsupportedMediaType,
                    reason: "POST a query as application/sparql-query or application/x-www-form-urlencoded")
            }
            guard let query, !query.isEmpty else {
                throw AdminAPIError(.querySyntax, reason: "missing the query (SPARQL 1.1 Protocol §2.1.2)")
            }
            return try await Self.sparqlResponse(query, request: request, capabilities: capabilities)
        }
        router.put("/v1/clouds/{name}/capabilities") { request, context in
            let body = String(buffer: try await request.body.collect(upTo: Self.maxSPARQLBody))
            let replaced = try await capabilities.setDescription(
                cloud: try context.parameters.require("name"), turtle: body)
            return Response(status: replaced ? .noContent : .created)
        }
        router.get("/v1/clouds/{name}/capabilities") { _, context in
            let turtle = try await capabilities.description(cloud: try context.parameters.require("name"))
            return Response(
                status: .ok, headers: [.contentType: Self.turtleContentType],
                body: .init(byteBuffer: ByteBuffer(string: turtle)))
        }
    }

    /// Runs the query and wraps the answer.
    static func sparqlResponse(
        _ query: String, request: Request, capabilities: any CapabilityAdministration
    ) async throws -> Response {
        let (contentType, body) = try await capabilities.sparql(query: query, accept: request.headers[.accept])
        return Response(
            status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// `application/x-www-form-urlencoded` decoding (WHATWG URL §5.1) for the SPARQL protocol's POST form.
enum SPARQLForm {
    /// The first value of `name`, with `+` as space and percent-escapes decoded; nil if absent or malformed.
    static func value(of name: String, in body: String) -> String? {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = self.decode(parts[0]), key == name else { continue }
            return parts.count > 1 ? self.decode(parts[1]) : ""
        }
        return nil
    }

    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
