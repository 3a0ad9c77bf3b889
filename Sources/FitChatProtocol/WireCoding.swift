import Foundation

/// Every id on the wire is a UUID string (`ChatID`); the names say what an id refers to.
public typealias UserID = ChatID
public typealias RoomID = ChatID
public typealias MessageID = ChatID
public typealias FriendRequestID = ChatID

/// The one JSON configuration every fitchat component speaks: RFC 3339 UTC timestamps
/// with millisecond precision. Field names are spelled out in each type's `CodingKeys`.
public enum WireCoding {
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date))
        }
        // Keys in one stable order: scripts diff and grep what `tail --json` prints.
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }

    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be an RFC 3339 timestamp")
            }
            return date
        }
        return decoder
    }
}

/// RFC 3339 timestamps in UTC with milliseconds, e.g. `2026-11-25T10:04:05.123Z`.
public enum RFC3339 {
    /// Formats by integer arithmetic (Hinnant's civil-from-days): every event on the wire carries
    /// a timestamp, and Foundation's formatters cost tens of microseconds each.
    public static func string(from date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (days, millisOfDay) = floorDivision(milliseconds, 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        let (hour, minuteRest) = millisOfDay.quotientAndRemainder(dividingBy: 3_600_000)
        let (minute, secondRest) = minuteRest.quotientAndRemainder(dividingBy: 60_000)
        let (second, millisecond) = secondRest.quotientAndRemainder(dividingBy: 1000)
        func padded(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T\(padded(hour, 2)):\(padded(minute, 2)):\(padded(second, 2))"
            + ".\(padded(millisecond, 3))Z"
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Year, month, day of the proleptic Gregorian calendar for days since 1970-01-01.
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` by the same arithmetic, rounded to the
    /// millisecond; anything else is nil. A one-shot CLI run decodes a date or two, and
    /// Foundation's ISO 8601 parser first loads ICU's calendar and time zone data.
    public static func date(from text: String) -> Date? {
        var utf8 = text.utf8[...]
        func number(_ width: Int) -> Int64? {
            guard utf8.count >= width else { return nil }
            var value: Int64 = 0
            for byte in utf8.prefix(width) {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            utf8 = utf8.dropFirst(width)
            return value
        }
        func skip(_ allowed: UInt8...) -> Bool {
            guard let byte = utf8.first, allowed.contains(byte) else { return false }
            utf8 = utf8.dropFirst()
            return true
        }
        guard let year = number(4), skip(0x2D), let month = number(2), skip(0x2D), let day = number(2),
            skip(0x54, 0x74), let hour = number(2), skip(0x3A), let minute = number(2), skip(0x3A), let second = number(2),
            (1...12).contains(month), (1...daysInMonth(month, of: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var millisecond: Int64 = 0
        if skip(0x2E) {
            let digits = utf8.prefix { (0x30...0x39).contains($0) }
            guard !digits.isEmpty, digits.count <= 9, let fraction = number(digits.count) else { return nil }
            var scale: Int64 = 1
            for _ in digits.count..<9 { scale *= 10 }
            millisecond = (fraction * scale + 500_000) / 1_000_000
        }
        var offsetMinutes: Int64 = 0
        if !skip(0x5A, 0x7A) {
            let sign: Int64 = utf8.first == 0x2D ? -1 : 1
            guard skip(0x2B, 0x2D), let offsetHour = number(2), skip(0x3A), let offsetMinute = number(2),
                offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetMinutes = sign * (offsetHour * 60 + offsetMinute)
        }
        guard utf8.isEmpty else { return nil }
        let seconds = days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return Date(timeIntervalSince1970: Double(seconds * 1000 + millisecond) / 1000)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date: the inverse of `civil(fromDays:)`.
    private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysInMonth(_ month: Int64, of year: Int64) -> Int64 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
