@testable import FitChatBots
import FitChatClient
import FitChatProtocol
import FitChatTestSupport
import Foundation
import Testing

/// Cron schedules against next-fire times worked out by hand, in fixed time zones.
@Suite struct CronScheduleTests {
    static func calendar(_ zone: String) throws -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: zone))
        return calendar
    }

    static func date(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text), "\(text)")
    }

    /// The next fire of `expression` after `after`, as an ISO 8601 instant in UTC.
    func next(_ expression: String, after: String, in zone: String = "UTC") throws -> String? {
        let fire = try CronSchedule(expression).nextFire(after: try Self.date(after), calendar: try Self.calendar(zone))
        return fire.map { ISO8601DateFormatter().string(from: $0) }
    }

    @Test(arguments: [
        ("*/15 * * * *", "2026-01-01T10:07:30Z", "2026-01-01T10:15:00Z"),
        ("*/15 * * * *", "2026-01-01T10:15:00Z", "2026-01-01T10:30:00Z"),
        ("0 9 * * 1-5", "2026-12-04T09:00:00Z", "2026-12-07T09:00:00Z"),        // Friday 9:00 → Monday
        ("0 0 31 * *", "2026-04-15T00:00:00Z", "2026-05-31T00:00:00Z"),         // April has no 31st
        ("59 23 28-31 2 *", "2027-02-28T23:59:00Z", "2028-02-28T23:59:00Z"),   // the end of February, and leap years
        ("0 12 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T12:00:00Z"),        // the next leap day
        ("0 0 13 * fri", "2026-11-01T00:00:00Z", "2026-11-06T00:00:00Z"),       // either day field: Friday the 6th
        ("30 8 * jan,jul sun", "2026-06-30T00:00:00Z", "2026-07-05T08:30:00Z"), // names
        ("0 0 * * 7", "2026-12-01T00:00:00Z", "2026-12-06T00:00:00Z"),          // 7 is Sunday
        ("5-10/5 1 1 1 *", "2026-01-01T01:05:00Z", "2026-01-01T01:10:00Z"),     // a stepped range
        ("0 22/1 * * *", "2026-01-01T23:30:00Z", "2026-01-02T22:00:00Z"),       // a start with a step runs to the end
    ])
    func knownNextFireTimes(expression: String, after: String, expected: String) throws {
        #expect(try next(expression, after: after) == expected, "\(expression) after \(after)")
    }

    @Test func aDayThatNeverComesHasNoFireTime() throws {
        #expect(try next("0 0 31 2 *", after: "2026-01-01T00:00:00Z") == nil)
        #expect(try next("0 0 30 2 *", after: "2026-01-01T00:00:00Z") == nil)
    }

    /// Berlin springs forward on 2026-03-29 (02:00 → 03:00) and falls back on 2026-10-25 (03:00 → 02:00).
    @Test func daylightSavingChanges() throws {
        // 02:30 does not exist on the 29th: not due that day.
        #expect(try next("30 2 * * *", after: "2026-03-28T12:00:00Z", in: "Europe/Berlin") == "2026-03-30T00:30:00Z")
        // 03:00 on the 29th is CEST already: 01:00 UTC.
        #expect(try next("0 3 * * *", after: "2026-03-28T23:00:00Z", in: "Europe/Berlin") == "2026-03-29T01:00:00Z")
        // 02:30 happens twice on the 25th: due once, at the first.
        let first = try next("30 2 * * *", after: "2026-10-24T12:00:00Z", in: "Europe/Berlin")
        #expect(first == "2026-10-25T00:30:00Z")
        #expect(try next("30 2 * * *", after: first ?? "", in: "Europe/Berlin") == "2026-10-26T01:30:00Z")
        // Every 30 minutes through the repeated hour: local times, so each is due once.
        var fires: [String] = []
        var after = "2026-10-24T23:45:00Z"
        for _ in 0..<4 {
            guard let fire = try next("*/30 * * * *", after: after, in: "Europe/Berlin") else { break }
            fires.append(fire)
            after = fire
        }
        // 02:00 and 02:30 CEST, then 03:00 and 03:30 CET: the repeated 02:00 and 02:30 (CET) are not due again.
        #expect(fires == ["2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T02:00:00Z", "2026-10-25T02:30:00Z"], "\(fires)")
    }

    @Test(arguments: ["61 * * * *", "* * *", "5-1 * * * *", "*/0 * * * *", "* * * foo *", "* * * * 8", "1,,2 * * * *", "* * 0 * *"])
    func nonsenseIsRefusedWithTheField(expression: String) {
        #expect(throws: ClientError.self) { try CronSchedule(expression) }
    }

    @Test func theErrorNamesTheField() {
        do {
            _ = try CronSchedule("0 25 * * *")
            Issue.record("25 is no hour")
        } catch {
            #expect(error.description.contains("hour \"25\" is not 0 to 23"), "\(error.description)")
        }
    }

    /// `bot test --timer` hands a bot a timer event offline, due at the schedule's next time.
    @Test func botTestFeedsATimerEvent() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            let script = #"jq -c --unbuffered 'select(.type == "timer") | {type: "send_message", data: {room_id: "3f9a1c2e-7b1e-4c3a-9f00-5d2e8a1b4c6d", content: (.data.schedule + " at " + .data.due_at)}}'"#
            for perEvent in [false, true] {
                let result = try await cli.run(
                    ["bot", "test"] + (perEvent ? ["--per-event"] : []) + ["--timer", "*/5 * * * *", "--", "sh", "-c", script], input: ""
                )
                #expect(result.status == 0, "\(result.stderr)")
                let frame = try #require(try result.objects().first?["data"] as? [String: Any])
                let content = try #require(frame["content"] as? String)
                #expect(content.hasPrefix("*/5 * * * * at "), "\(content)")
                let due = try #require(RFC3339.date(from: String(content.dropFirst("*/5 * * * * at ".count))), "\(content)")
                #expect(due > Date() && due.timeIntervalSinceNow <= 300)
                #expect(Calendar.current.component(.minute, from: due) % 5 == 0)
            }
            let refused = try await cli.run(["bot", "test", "--timer", "0 25 * * *", "--", "true"], input: "")
            #expect(refused.status == 64 && refused.stderr.contains("hour \"25\""), "\(refused.stderr)")
        }
    }
}
