/// One REST endpoint as the OpenAPI document describes it. `path` uses OpenAPI's `{name}`
/// for the router's `:name`, so the two can be compared route by route.
struct OpenAPIOperation {
    enum MediaType {
        case json(String)
        case bytes(String)
        case text
        /// JSON in the named schema, or plain text.
        case jsonOrText(String)
    }

    struct Parameter {
        var name: String
        var location: String
        var schema: JSONSchema.Object
        var required: Bool
        var description: String
    }

    var method: String
    var path: String
    var summary: String
    var tag: String
    var authenticated = true
    var parameters: [Parameter] = []
    var requestBody: MediaType?
    /// Success statuses and what they hold (nil: no body).
    var responses: [(status: Int, body: MediaType?)]
    /// What the first success response makes possible: operations (by `"METHOD path"`) and the
    /// runtime expressions of their path parameters, as OpenAPI links (clients and schemathesis
    /// follow them to real ids).
    var links: [(operation: String, parameters: [String: String])] = []

    var operationID: String {
        "\(method.lowercased())\(path.split(separator: "/").map { $0.filter(\.isLetter).capitalized }.joined())"
    }

    static func query(_ name: String, _ schema: JSONSchema.Object, _ description: String) -> Parameter {
        Parameter(name: name, location: "query", schema: schema, required: false, description: description)
    }

    /// The path parameters, read off the path: every `{name}` one is required.
    private var pathParameters: [Parameter] {
        path.split(separator: "/").compactMap { segment in
            guard segment.hasPrefix("{"), segment.hasSuffix("}") else { return nil }
            let name = String(segment.dropFirst().dropLast())
            let schema = name == "secret" || name == "emoji" ? JSONSchema.string : JSONSchema.id
            return Parameter(name: name, location: "path", schema: schema, required: true, description: "")
        }
    }

    var json: JSONSchema.Object {
        var operation: JSONSchema.Object = [
            "summary": summary, "tags": [tag], "operationId": operationID,
        ]
        let parameters = pathParameters + parameters
        if !parameters.isEmpty {
            operation["parameters"] = parameters.map { parameter -> JSONSchema.Object in
                var object: JSONSchema.Object = ["name": parameter.name, "in": parameter.location, "required": parameter.required, "schema": parameter.schema]
                if !parameter.description.isEmpty { object["description"] = parameter.description }
                return object
            }
        }
        if let requestBody { operation["requestBody"] = ["required": true, "content": Self.content(requestBody)] as JSONSchema.Object }
        var responses: JSONSchema.Object = [
            "default": ["description": "An error: 4xx for what the request got wrong, 5xx for the server.", "content": Self.content(.json("Error"))] as JSONSchema.Object,
        ]
        for (index, (status, body)) in self.responses.enumerated() {
            var response: JSONSchema.Object = ["description": Self.describe(status)]
            if let body { response["content"] = Self.content(body) }
            if index == 0, !links.isEmpty {
                var objects: JSONSchema.Object = [:]
                for link in links {
                    let target = Self.operationID(of: link.operation)
                    objects[target] = ["operationId": target, "parameters": link.parameters] as JSONSchema.Object
                }
                response["links"] = objects
            }
            responses[String(status)] = response
        }
        operation["responses"] = responses
        operation["security"] = authenticated ? [["bearer": [String]()] as JSONSchema.Object] : [JSONSchema.Object]()
        return operation
    }

    /// `"GET /api/rooms/{id}"` → its operationId.
    private static func operationID(of operation: String) -> String {
        let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
        return OpenAPIOperation(method: parts[0], path: parts.count > 1 ? parts[1] : "", summary: "", tag: "", responses: []).operationID
    }

    private static func content(_ body: MediaType) -> JSONSchema.Object {
        switch body {
        case .json(let schema):
            let shape = schema.hasPrefix("[") ? JSONSchema.array(JSONSchema.ref(String(schema.dropFirst().dropLast()))) : JSONSchema.ref(schema)
            return ["application/json": ["schema": shape] as JSONSchema.Object]
        case .bytes(let type):
            return [type: ["schema": ["type": "string", "format": "binary"] as JSONSchema.Object] as JSONSchema.Object]
        case .text:
            return ["text/plain": ["schema": JSONSchema.string] as JSONSchema.Object]
        case .jsonOrText(let schema):
            return content(.json(schema)).merging(content(.text)) { first, _ in first }
        }
    }

    private static func describe(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No content"
        case 206: "Part of the file (a Range request)"
        default: "\(status)"
        }
    }
}
