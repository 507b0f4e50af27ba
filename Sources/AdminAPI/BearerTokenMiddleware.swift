import Hummingbird

/// Requires `Authorization: Bearer <admin token>` on every request that may change state (CONTRACT §4).
///
/// GET and HEAD are safe methods (RFC 9110 §9.2.1) and pass through; any other method without the right token is
/// answered 401 with `{"error":"unauthorized",…}` and `WWW-Authenticate: Bearer` (RFC 6750 §3). The token is
/// compared in constant time so response timing does not reveal how much of a guess was right. An empty configured
/// token rejects every state-changing request (fail closed).
public struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    private let token: [UInt8]
    private let readOnlyPaths: Set<String>

    /// Creates the middleware for `token`, the content of `DATA/admin.token`; `readOnlyPaths` are routes whose
    /// POST only reads (the SPARQL protocol's query by POST) and pass without a token.
    public init(token: String, readOnlyPaths: Set<String> = []) {
        self.token = Array(token.utf8)
        self.readOnlyPaths = readOnlyPaths
    }

    /// Lets safe methods through; checks the bearer token on everything else (RFC 6750 §2.1).
    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.method == .get || request.method == .head
            || (request.method == .post && self.readOnlyPaths.contains(request.uri.path))
        {
            return try await next(request, context)
        }
        guard let presented = Self.bearerToken(request.headers[.authorization]) else {
            return AdminAPIError(.unauthorized, reason: "this request needs Authorization: Bearer <admin token>")
                .makeResponse()
        }
        guard !self.token.isEmpty, Self.constantTimeEqual(Array(presented.utf8), self.token) else {
            context.logger.info(
                "rejected request with a wrong admin token", metadata: ["http.path": "\(request.uri.path)"])
            return AdminAPIError(.unauthorized, reason: "the bearer token is not valid").makeResponse()
        }
        return try await next(request, context)
    }

    /// The token of a `Bearer` credential; the scheme is case-insensitive (RFC 9110 §11.1, RFC 6750 §2.1).
    static func bearerToken(_ header: String?) -> Substring? {
        guard let header else { return nil }
        let trimmed = header.drop { $0 == " " }
        guard let space = trimmed.firstIndex(of: " "),
            trimmed[..<space].lowercased() == "bearer"
        else {
            return nil
        }
        let token = trimmed[space...].drop { $0 == " " }
        let end = token.lastIndex { $0 != " " }.map { token.index(after: $0) } ?? token.startIndex
        let value = token[..<end]
        return value.isEmpty ? nil : value
    }

    /// Compares `presented` with `expected` in time depending only on `expected.count`.
    static func constantTimeEqual(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = presented.count ^ expected.count
        for index in expected.indices {
            let byte = index < presented.count ? presented[index] : 0
            difference |= Int(byte ^ expected[index])
        }
        return difference == 0
    }
}
