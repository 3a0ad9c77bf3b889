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
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let whole = Date(timeIntervalSince1970: TimeInterval(seconds < 0 && fraction != 0 ? seconds - 1 : seconds))
        let base = whole.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
        let millis = fraction < 0 ? fraction + 1000 : fraction
        return base.dropLast() + "." + String(format: "%03d", millis) + "Z"
    }

    public static func date(from text: String) -> Date? {
        guard let dot = text.firstIndex(of: "."), text.hasSuffix("Z") else {
            return try? Date(text, strategy: .iso8601)
        }
        let digits = text[text.index(after: dot)..<text.index(before: text.endIndex)]
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber),
            let whole = try? Date(String(text[..<dot]) + "Z", strategy: .iso8601)
        else { return nil }
        let fraction = Double("0." + digits) ?? 0
        return Date(timeIntervalSince1970: ((whole.timeIntervalSince1970 + fraction) * 1000).rounded() / 1000)
    }
}
