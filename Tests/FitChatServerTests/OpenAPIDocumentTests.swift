@testable import FitChatServer
import FitChatTestSupport
import Foundation
import Logging
import Testing

/// `GET /openapi.json` and the server agree: every route the router has is in the document and
/// nothing else is, and the document is valid OpenAPI 3.1 (openapi-spec-validator, which
/// scripts/test installs). schemathesis then checks the answers against it (scripts/schemathesis).
@Suite struct OpenAPIDocumentTests {
    static let validator = ProcessInfo.processInfo.environment["FITCHAT_OPENAPI_VALIDATOR"]

    func servedDocument(_ server: TestServer) async throws -> (data: Data, json: [String: Any]) {
        let reply = try await APIClient(baseURL: server.baseURL).get("/openapi.json")
        #expect(reply.status == 200 && reply.headers.first(name: "content-type") == "application/json")
        let json = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
        return (reply.body, json)
    }

    @Test func theDocumentDescribesEveryRouteAndNoOther() async throws {
        try await withServer { server in
            let (_, document) = try await servedDocument(server)
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, item in item.keys.map { "\($0.uppercased()) \(path)" } })

            var configuration = ServerConfiguration(database: .sqlite(path: server.directory.appendingPathComponent("routes.sqlite").path))
            configuration.bcryptCost = 4
            let store = try SQLiteChatStore(path: server.directory.appendingPathComponent("routes.sqlite").path)
            let parts = try await ServerAssembly(
                store: store, cluster: SingleNode(), configuration: configuration, secret: "a secret for the route list only",
                metrics: ServerMetrics(), logger: Logger(label: "routes")
            )
            let router = try ChatServer(configuration: configuration, logger: Logger(label: "routes")).httpRouter(parts)
            let routed = Set(router.routes.map { route in
                let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                return "\(route.method) /\(path.joined(separator: "/"))"
            })
            #expect(routed.count > 30)
            #expect(routed.subtracting(documented).isEmpty, "routes the document leaves out: \(routed.subtracting(documented).sorted())")
            #expect(documented.subtracting(routed).isEmpty, "documented routes the server lacks: \(documented.subtracting(routed).sorted())")
        }
    }

    @Test(.enabled(if: validator != nil)) func theDocumentIsValidOpenAPI() async throws {
        try await withServer { server in
            let (data, _) = try await servedDocument(server)
            let file = server.directory.appendingPathComponent("openapi.json")
            try data.write(to: file)
            let result = try await ChildProcess.run(URL(fileURLWithPath: try #require(Self.validator)), [file.path])
            #expect(result.status == 0, "\(result.stdout.joined(separator: "\n")) \(result.stderr)")
        }
    }

    /// Every schema a response names exists, so no answer is described by a dangling reference.
    @Test func everyReferenceResolves() async throws {
        try await withServer { server in
            let (data, document) = try await servedDocument(server)
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let text = String(decoding: data, as: UTF8.self)
            let references = text.components(separatedBy: "\"#/components/schemas/").dropFirst().compactMap { $0.split(separator: "\"").first }
            #expect(!references.isEmpty)
            for name in Set(references) { #expect(schemas[String(name)] != nil, "no schema \(name)") }
            // Every link names an operation the document has.
            let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
            let operations = paths.values.flatMap(\.values)
            let ids = Set(operations.compactMap { $0["operationId"] as? String })
            let linked = operations.flatMap { operation in
                ((operation["responses"] as? [String: [String: Any]]) ?? [:]).values.flatMap { response in
                    ((response["links"] as? [String: [String: Any]]) ?? [:]).values.compactMap { $0["operationId"] as? String }
                }
            }
            #expect(linked.count >= 10)
            for id in linked { #expect(ids.contains(id), "a link to \(id), which is no operation") }
        }
    }
}
