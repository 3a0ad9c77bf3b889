/// A JSON number echoed back exactly as it came (the `ping` timestamp is "any JSON number").
public enum JSONNumber: Codable, Sendable, Equatable {
    case integer(Int64)
    case double(Double)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else {
            self = .double(try container.decode(Double.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        }
    }
}
