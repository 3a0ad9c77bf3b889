import FitChatProtocol
import Foundation
import Testing

@Suite struct RFC3339Tests {
    /// The arithmetic formatter against Foundation's ISO 8601 style, across leap days, century
    /// years, the epoch and times before it.
    @Test func formattingMatchesFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        let fixed: [Int64] = [
            0, -1, 999, -86_400_000, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, -2_208_988_800_000, 1_700_000_000_123,
        ]
        let random = (0..<2000).map { _ in Int64.random(in: -2_208_988_800_000...7_258_118_400_000, using: &generator) }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = try #require(TimeZone(identifier: "UTC"))
        for milliseconds in fixed + random {
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let parts = utc.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
            let millis = (Int64(milliseconds) % 1000 + 1000) % 1000
            let expected = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!, Int(millis)
            )
            #expect(RFC3339.string(from: date) == expected, "\(milliseconds)")
            #expect(RFC3339.date(from: expected).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } == milliseconds)
        }
    }

    /// Local times with offsets, with and without fractions, read back as the instant
    /// Foundation's calendar says they name.
    @Test func parsingAgreesWithFoundationsCalendar() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let milliseconds = Int64.random(in: -2_208_988_800_000...7_258_118_400_000, using: &generator)
            let offsetMinutes = [0, 60, -300, 330, 345, -570, 840, -720].randomElement(using: &generator) ?? 0
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = try #require(TimeZone(secondsFromGMT: offsetMinutes * 60))
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let millis = Int((milliseconds % 1000 + 1000) % 1000)
            let zone = offsetMinutes == 0 ? "Z" : String(format: "%@%02d:%02d", offsetMinutes < 0 ? "-" : "+", abs(offsetMinutes) / 60, abs(offsetMinutes) % 60)
            let stem = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
            let whole = milliseconds - Int64(millis)
            #expect(RFC3339.date(from: stem + zone).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } == whole, "\(stem + zone)")
            let nanos = String(format: "%03d%06d", millis, Int.random(in: 0..<500_000, using: &generator))
            #expect(RFC3339.date(from: stem + "." + nanos + zone).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } == milliseconds, "\(nanos)")
        }
    }

    @Test func leapDaysAndCenturies() {
        #expect(RFC3339.date(from: "2024-02-29T12:00:00Z") == Date(timeIntervalSince1970: 1_709_208_000))
        #expect(RFC3339.date(from: "2000-02-29T00:00:00.5z") == Date(timeIntervalSince1970: 951_782_400.5))
        #expect(RFC3339.date(from: "2023-02-29T00:00:00Z") == nil)
        #expect(RFC3339.date(from: "1900-02-29T00:00:00Z") == nil)
        #expect(RFC3339.date(from: "1970-01-01t00:00:00.9996Z") == Date(timeIntervalSince1970: 1))
    }

    /// Anything but the one shape is nil, never a guess: the decoder turns nil into a clear error.
    @Test func malformedTimestampsAreRejected() {
        for text in [
            "", "2026", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
            "2026-01-01T00:00:60Z", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00.Z",
            "2026-01-01T00:00:00.1234567890Z", "2026-01-01T00:00:00Zjunk", "2026-01-01T00:00:00+0100", "2026-01-01T00:00:00+24:00",
            "+2026-01-01T00:00:00Z", "2026-1-01T00:00:00Z", "٢٠٢٦-01-01T00:00:00Z", "2026-01-01T00:00:00.٣Z",
        ] {
            #expect(RFC3339.date(from: text) == nil, "\(text)")
        }
    }
}
