import Foundation
import Hummingbird

/// An error answered by the admin HTTP API.
///
/// Modelled on swift-certificates' `CertificateError`: a stable ``code`` (which fixes the HTTP status), a
/// human-readable reason and the source location. Rendered as `{"error": CODE, "message": TEXT}` with a 4xx/5xx
/// status (CONTRACT §4). Equality and hashing consider only the ``code``.
public struct AdminAPIError: Error, Hashable, Sendable, CustomStringConvertible, HTTPResponseError {
    /// The kind of error; decides the status and the `error` member of the JSON body.
    public var code: Code

    /// The `message` member of the JSON body.
    public var reason: String

    /// The file in which the error was raised (`#fileID`).
    public var file: String

    /// The line on which the error was raised.
    public var line: UInt

    /// Creates an error with `code` and `reason`.
    public init(_ code: Code, reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// `AdminAPIError.CODE: reason file:line`.
    public var description: String {
        "AdminAPIError.\(self.code): \(self.reason) \(self.file):\(self.line)"
    }

    /// The HTTP status for ``code`` (RFC 9110 §15).
    public var status: HTTPResponse.Status {
        self.code.status
    }

    /// Only the ``code`` takes part in equality.
    public static func == (lhs: AdminAPIError, rhs: AdminAPIError) -> Bool {
        lhs.code == rhs.code
    }

    /// Only the ``code`` takes part in hashing.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }

    /// The JSON error response (CONTRACT §4); a 401 also carries `WWW-Authenticate: Bearer` (RFC 6750 §3).
    public func response(from request: Request, context: some RequestContext) -> Response {
        self.makeResponse()
    }

    /// The JSON error response, independent of any request.
    func makeResponse() -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if self.code == .unauthorized {
            headers[.wwwAuthenticate] = "Bearer realm=\"intercloud\""
        }
        let body = Body(error: self.code.name, message: self.reason)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(body)) ?? Data(#"{"error":"internal_error","message":""}"#.utf8)
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The wire shape of an error (CONTRACT §4).
    struct Body: Codable, Equatable {
        var error: String
        var message: String
    }
}

extension AdminAPIError {
    /// A stable error code: its ``name`` is the `error` member of the JSON body, its ``status`` the HTTP status.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable, snake_case name sent to clients.
        public let name: String

        /// The HTTP status answered with this code (RFC 9110 §15).
        public let status: HTTPResponse.Status

        private init(_ name: String, _ status: HTTPResponse.Status) {
            self.name = name
            self.status = status
        }

        /// The request is malformed (400).
        public static let badRequest = Code("bad_request", .badRequest)
        /// A state-changing request lacks a valid bearer token (401, RFC 6750 §3.1).
        public static let unauthorized = Code("unauthorized", .unauthorized)
        /// The caller may not do this (403).
        public static let forbidden = Code("forbidden", .forbidden)
        /// No such resource or route (404).
        public static let notFound = Code("not_found", .notFound)
        /// The route exists but not for this method (405).
        public static let methodNotAllowed = Code("method_not_allowed", .methodNotAllowed)
        /// The resource already exists or changed concurrently (409).
        public static let conflict = Code("conflict", .conflict)
        /// The request body is too large (413).
        public static let contentTooLarge = Code("content_too_large", .contentTooLarge)
        /// The request body has an unsupported media type (415).
        public static let unsupportedMediaType = Code("unsupported_media_type", .unsupportedMediaType)
        /// An unexpected server-side failure (500).
        public static let internalError = Code("internal_error", .internalServerError)
        /// A dependency is not available right now (503).
        public static let serviceUnavailable = Code("service_unavailable", .serviceUnavailable)
        /// A SPARQL query ran past the configured timeout (503: retrying later or a narrower query may succeed).
        public static let queryTimeout = Code("query_timeout", .serviceUnavailable)
        /// A SPARQL answer would exceed the configured row cap (400: add a LIMIT or narrow the query).
        public static let resultTooLarge = Code("result_too_large", .badRequest)
        /// A SPARQL query does not parse, or there is none (400, SPARQL 1.1 Protocol §2.1.4).
        public static let querySyntax = Code("query_syntax", .badRequest)
        /// A capability description is not valid Turtle (400; the message names the line).
        public static let invalidDescription = Code("invalid_description", .badRequest)
        /// A capability description asserts what only the root asserts, or describes another cloud (400).
        public static let forbiddenAssertion = Code("forbidden_assertion", .badRequest)

        static let all: [Code] = [
            .badRequest, .unauthorized, .forbidden, .notFound, .methodNotAllowed, .conflict, .contentTooLarge,
            .unsupportedMediaType, .internalError, .serviceUnavailable,
        ]

        /// The code for an arbitrary error status: a known code if one has that status, else `http_NNN`.
        static func forStatus(_ status: HTTPResponse.Status) -> Code {
            if let known = Self.all.first(where: { $0.status.code == status.code }) {
                return known
            }
            let fallback: HTTPResponse.Status = status.code >= 400 ? status : .internalServerError
            return Code("http_\(fallback.code)", fallback)
        }

        /// The code's ``name``.
        public var description: String {
            self.name
        }
    }
}
