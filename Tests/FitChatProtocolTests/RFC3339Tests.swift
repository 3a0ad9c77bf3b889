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
}
