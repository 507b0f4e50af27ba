import Foundation
import Hummingbird

extension AdminAPI {
    /// The largest JSON body accepted by the registry routes.
    static let maxJSONBody = 64 * 1024

    /// `GET|POST /v1/clouds`, `GET|DELETE /v1/clouds/{name}`, `POST /v1/clouds/{name}/suspend|reinstate`
    /// (CONTRACT §4). Mutating routes are behind the bearer-token middleware.
    func addCloudRoutes(to router: Router<BasicRequestContext>, clouds: any CloudAdministration) {
        router.get("/v1/clouds") { request, _ in
            let parameters = request.uri.queryParameters
            var query = CloudQuery()
            query.status = parameters["status"].map(String.init)
            query.namePrefix = parameters["prefix"].map(String.init)
            if let minimum = parameters["minTrustLevel"] {
                guard let level = Int(String(minimum)) else {
                    throw AdminAPIError(.badRequest, reason: "minTrustLevel must be an integer")
                }
                query.minimumTrustLevel = level
            }
            return try Self.json(try await clouds.listClouds(query))
        }
        router.patch("/v1/clouds/{name}") { request, context in
            let body = try await request.body.collect(upTo: Self.maxJSONBody)
            let update: CloudUpdate
            do {
                update = try Self.decoder.decode(CloudUpdate.self, from: Data(buffer: body))
            } catch {
                throw AdminAPIError(.badRequest, reason: "expected a JSON object with fields to change")
            }
            return try Self.json(try await clouds.updateCloud(named: try context.parameters.require("name"), update))
        }
        router.get("/v1/certificates/{serial}") { _, context in
            try Self.json(try await clouds.cloud(forCertificateSerial: try context.parameters.require("serial")))
        }
        router.post("/v1/clouds") { request, _ in
            let body = try await request.body.collect(upTo: Self.maxJSONBody)
            let cloud: NewCloud
            do {
                cloud = try Self.decoder.decode(NewCloud.self, from: Data(buffer: body))
            } catch {
                throw AdminAPIError(.badRequest, reason: "expected a JSON object with at least \"name\"")
            }
            return try Self.json(try await clouds.createCloud(cloud), status: .created)
        }
        router.get("/v1/clouds/{name}") { _, context in
            try Self.json(try await clouds.cloud(named: try context.parameters.require("name")))
        }
        router.delete("/v1/clouds/{name}") { _, context in
            try await clouds.deleteCloud(named: try context.parameters.require("name"))
            return Response(status: .noContent)
        }
        router.post("/v1/clouds/{name}/suspend") { _, context in
            try Self.json(try await clouds.setSuspended(true, cloud: try context.parameters.require("name")))
        }
        router.post("/v1/clouds/{name}/reinstate") { _, context in
            try Self.json(try await clouds.setSuspended(false, cloud: try context.parameters.require("name")))
        }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// A JSON response with ISO 8601 dates and sorted keys.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
