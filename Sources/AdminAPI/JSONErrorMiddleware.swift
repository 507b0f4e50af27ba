import Hummingbird
import Logging

/// Turns every error escaping a route, including Hummingbird's 404 for unknown routes, into the JSON error body
/// `{"error": CODE, "message": TEXT}` (CONTRACT §4).
///
/// ``AdminAPIError``s keep their code; other `HTTPResponseError`s map by status; anything else is a 500 whose
/// details are logged (at info: libraries log at info or below) but not sent to the client.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Runs `next` and renders any error it throws as JSON.
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as AdminAPIError {
            return error.makeResponse()
        } catch let error as HTTPError {
            let code = AdminAPIError.Code.forStatus(error.status)
            var response = AdminAPIError(code, reason: error.body ?? Self.defaultMessage(code, request)).makeResponse()
            for field in error.headers where response.headers[field.name] == nil {
                response.headers.append(field)
            }
            return response
        } catch let error as any HTTPResponseError {
            let code = AdminAPIError.Code.forStatus(error.status)
            return AdminAPIError(code, reason: Self.defaultMessage(code, request)).makeResponse()
        } catch {
            context.logger.info(
                "admin API request failed",
                metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"]
            )
            return AdminAPIError(.internalError, reason: "internal error").makeResponse()
        }
    }

    private static func defaultMessage(_ code: AdminAPIError.Code, _ request: Request) -> String {
        code == .notFound ? "no route for \(request.method) \(request.uri.path)" : code.status.reasonPhrase
    }
}
