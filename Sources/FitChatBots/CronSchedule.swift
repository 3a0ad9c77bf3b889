import FitChatClient
import Foundation

/// A five-field cron expression (minute, hour, day of month, month, day of week), as crontab(5)
/// reads it: `*`, numbers, ranges `1-5`, lists `1,15`, steps `*/10` and `8-18/2`, month and day
/// names (`jan`, `mon-fri`), 0 or 7 for Sunday. When both day fields are restricted, a day
/// matching either one is due. Times are local: a time a DST change skips is not due that day,
/// and a time it repeats is due once.
public struct CronSchedule: Sendable, Equatable {
    public let expression: String
    let minutes: [Int]
    let hours: [Int]
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    /// 0 is Sunday.
    let daysOfWeek: Set<Int>
    let bothDaysRestricted: Bool

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public init(_ expression: String) throws(ClientError) {
        let fields = expression.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw .usage("schedule \"\(expression)\": a cron schedule has five fields (minute hour day-of-month month day-of-week)")
        }
        self.expression = expression
        minutes = try Self.field(fields[0], "minute", 0...59, expression: expression).sorted()
        hours = try Self.field(fields[1], "hour", 0...23, expression: expression).sorted()
        daysOfMonth = try Self.field(fields[2], "day of month", 1...31, expression: expression)
        months = try Self.field(fields[3], "month", 1...12, names: Self.monthNames, nameBase: 1, expression: expression)
        let weekdays = try Self.field(fields[4], "day of week", 0...7, names: Self.dayNames, nameBase: 0, expression: expression)
        daysOfWeek = Set(weekdays.map { $0 % 7 })
        bothDaysRestricted = !fields[2].hasPrefix("*") && !fields[4].hasPrefix("*")
    }

    /// The first due time strictly after `date`, in `calendar`'s time zone; nil when none comes
    /// within eight years (`0 0 31 2 *`: February has no 31st).
    public func nextFire(after date: Date, calendar: Calendar) -> Date? {
        guard var day = calendar.dateInterval(of: .day, for: date)?.start else { return nil }
        for _ in 0..<(8 * 366) {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if let year = parts.year, let month = parts.month, let dayOfMonth = parts.day, let weekday = parts.weekday,
                months.contains(month), isDue(dayOfMonth: dayOfMonth, weekday: weekday - 1)
            {
                for hour in hours {
                    for minute in minutes {
                        let wanted = DateComponents(year: year, month: month, day: dayOfMonth, hour: hour, minute: minute)
                        guard let candidate = calendar.date(from: wanted), candidate > date else { continue }
                        // A local time the clocks skipped comes back shifted: not due today.
                        let got = calendar.dateComponents([.day, .hour, .minute], from: candidate)
                        if got.day == dayOfMonth, got.hour == hour, got.minute == minute { return candidate }
                    }
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = calendar.dateInterval(of: .day, for: next)?.start ?? next
        }
        return nil
    }

    private func isDue(dayOfMonth: Int, weekday: Int) -> Bool {
        let byMonthDay = daysOfMonth.contains(dayOfMonth)
        let byWeekday = daysOfWeek.contains(weekday)
        return bothDaysRestricted ? byMonthDay || byWeekday : byMonthDay && byWeekday
    }

    private static func field(
        _ text: String, _ name: String, _ bounds: ClosedRange<Int>, names: [String] = [], nameBase: Int = 0, expression: String
    ) throws(ClientError) -> Set<Int> {
        func problem(_ why: String) -> ClientError { .usage("schedule \"\(expression)\": \(name) \"\(text)\" \(why)") }
        func value(_ token: Substring) throws(ClientError) -> Int {
            if let index = names.firstIndex(of: token.lowercased()) { return index + nameBase }
            guard let number = Int(token), bounds.contains(number) else { throw problem("is not \(bounds.lowerBound) to \(bounds.upperBound)") }
            return number
        }
        var values = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, let range = parts.first, !range.isEmpty else { throw problem("is not a cron field") }
            var step = 1
            if parts.count == 2 {
                guard let number = Int(parts[1]), number >= 1 else { throw problem("has a step that is not a positive number") }
                step = number
            }
            var low = bounds.lowerBound
            var high = bounds.upperBound
            if range != "*" {
                let ends = range.split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count <= 2 else { throw problem("is not a cron field") }
                low = try value(ends[0])
                high = ends.count == 2 ? try value(ends[1]) : (parts.count == 2 ? bounds.upperBound : low)
                guard low <= high else { throw problem("has a range that runs backwards") }
            }
            values.formUnion(stride(from: low, through: high, by: step))
        }
        return values
    }
}
