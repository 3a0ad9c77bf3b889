import Foundation

/// Identifiers are 64-bit integers on the wire, as in the original design.
public typealias UserID = Int64
public typealias RoomID = Int64
public typealias MessageID = Int64

/// The one JSON configuration every fitchat component speaks: RFC 3339 UTC timestamps
/// with millisecond precision. Field names are spelled out in each type's `CodingKeys`.
public enum WireCoding {
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date))
        }
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an RFC 3339 timestamp")
            }
            return date
        }
        return decoder
    }
}

/// RFC 3339 timestamps in UTC with milliseconds, e.g. `2026-11-25T10:04:05.123Z`.
public enum RFC3339 {
    public static func string(from date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    public static func date(from text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(text, strategy: .iso8601)
    }
}
