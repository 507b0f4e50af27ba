import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing

@testable import AdminAPI

/// CONTRACT §4: state-changing requests need `Authorization: Bearer <admin token>` (RFC 6750 §2.1).
@Suite struct BearerTokenMiddlewareTests {
    /// The API's router plus a test-only mutating route, added after the middlewares so it is guarded too.
    static func makeApplication() -> some ApplicationProtocol {
        let router = AdminAPITests.makeAPI().makeRouter()
        router.post("/test/mutate") { _, _ in
            Response(status: .created, body: .init(byteBuffer: ByteBuffer(string: "done")))
        }
        return Application(router: router)
    }

    static func expectUnauthorized(_ response: TestResponse) throws {
        #expect(response.status == .unauthorized)
        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
        #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        let body = try AdminAPITests.decode(AdminAPIError.Body.self, response.body)
        #expect(body.error == "unauthorized")
        #expect(!body.message.isEmpty)
    }

    @Test func postWithoutTokenIsRejected() async throws {
        try await Self.makeApplication().test(.router) { client in
            try await client.execute(uri: "/test/mutate", method: .post) { response in
                try Self.expectUnauthorized(response)
            }
        }
    }

    @Test func postWithWrongTokenIsRejected() async throws {
        try await Self.makeApplication().test(.router) { client in
            for value in ["Bearer wrong", "Bearer \(AdminAPITests.token)x", "Basic \(AdminAPITests.token)", "Bearer"] {
                try await client.execute(
                    uri: "/test/mutate", method: .post, headers: [.authorization: value]
                ) { response in
                    try Self.expectUnauthorized(response)
                }
            }
        }
    }

    @Test func postWithRightTokenPasses() async throws {
        try await Self.makeApplication().test(.router) { client in
            for value in ["Bearer \(AdminAPITests.token)", "bearer  \(AdminAPITests.token) "] {
                try await client.execute(
                    uri: "/test/mutate", method: .post, headers: [.authorization: value]
                ) { response in
                    #expect(response.status == .created)
                    #expect(String(buffer: response.body) == "done")
                }
            }
        }
    }

    @Test func getNeedsNoToken() async throws {
        try await Self.makeApplication().test(.router) { client in
            try await client.execute(uri: "/v1/health", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func emptyConfiguredTokenFailsClosed() async throws {
        let router = Router()
        router.add(middleware: BearerTokenMiddleware(token: ""))
        router.post("/test/mutate") { _, _ in HTTPResponse.Status.ok }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/test/mutate", method: .post, headers: [.authorization: "Bearer "]) {
                response in
                try Self.expectUnauthorized(response)
            }
        }
    }

    @Test func constantTimeComparison() {
        let expected = Array("token".utf8)
        #expect(BearerTokenMiddleware<BasicRequestContext>.constantTimeEqual(Array("token".utf8), expected))
        #expect(!BearerTokenMiddleware<BasicRequestContext>.constantTimeEqual(Array("tokem".utf8), expected))
        #expect(!BearerTokenMiddleware<BasicRequestContext>.constantTimeEqual(Array("token1".utf8), expected))
        #expect(!BearerTokenMiddleware<BasicRequestContext>.constantTimeEqual([], expected))
    }
}
