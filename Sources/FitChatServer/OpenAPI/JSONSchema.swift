import FitChatProtocol

/// The few JSON Schema shapes the REST API's bodies are made of, as plain JSON objects for
/// the OpenAPI document. Optional fields are left out of `required` and may also be null.
enum JSONSchema {
    typealias Object = [String: any Sendable]

    static func ref(_ name: String) -> Object { ["$ref": "#/components/schemas/\(name)"] }
    static var id: Object { ["type": "string", "format": "uuid"] }
    static var string: Object { ["type": "string"] }
    static var dateTime: Object { ["type": "string", "format": "date-time"] }
    static var integer: Object { ["type": "integer"] }
    static var boolean: Object { ["type": "boolean"] }

    static func string(maxLength: Int? = nil, minLength: Int? = nil, enumerating values: [String]? = nil) -> Object {
        var schema: Object = ["type": "string"]
        if let maxLength { schema["maxLength"] = maxLength }
        if let minLength { schema["minLength"] = minLength }
        if let values { schema["enum"] = values }
        return schema
    }

    static func array(_ items: Object, maxItems: Int? = nil) -> Object {
        var schema: Object = ["type": "array", "items": items]
        if let maxItems { schema["maxItems"] = maxItems }
        return schema
    }

    /// An object whose `required` keys must be present; `optional` ones may be missing or null.
    static func object(required: KeyValuePairs<String, Object> = [:], optional: KeyValuePairs<String, Object> = [:], description: String? = nil) -> Object {
        var properties: Object = [:]
        for (key, schema) in required { properties[key] = schema }
        for (key, schema) in optional { properties[key] = ["anyOf": [schema, ["type": "null"] as Object]] as Object }
        var schema: Object = ["type": "object", "properties": properties]
        if !required.isEmpty { schema["required"] = required.map(\.key) }
        if let description { schema["description"] = description }
        return schema
    }

    static var errorCode: Object { string(enumerating: ErrorCode.allCases.map(\.rawValue)) }
}
