import Foundation
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 description of the REST API, served at `GET /openapi.json` (as FastAPI
/// serves the seed's): built from `OpenAPIOperations` and `OpenAPISchemas` once, at start.
enum OpenAPIDocument {
    static func json(version: String) throws -> Data {
        var paths: JSONSchema.Object = [:]
        for operation in OpenAPIOperations.all {
            var item = paths[operation.path] as? JSONSchema.Object ?? [:]
            item[operation.method.lowercased()] = operation.json
            paths[operation.path] = item
        }
        let document: JSONSchema.Object = [
            "openapi": "3.1.0",
            "info": [
                "title": "fitchat",
                "version": version,
                "description": "The REST half of fitchat's protocol; the live half is the WebSocket at /ws/chat. Ids are UUIDs, times RFC 3339 in UTC.",
            ] as JSONSchema.Object,
            "paths": paths,
            "components": [
                "schemas": OpenAPISchemas.all,
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"] as JSONSchema.Object] as JSONSchema.Object,
            ] as JSONSchema.Object,
        ]
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    static func register(on router: Router<some RequestContext>, version: String) throws {
        let body = ByteBuffer(data: try json(version: version))
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
        }
    }
}
