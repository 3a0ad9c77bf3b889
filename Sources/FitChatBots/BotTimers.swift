import FitChatClient
import FitChatProtocol
import Foundation
import Synchronization

/// A bot's cron schedules: each due time fires once (the runner makes it a `timer` event). The last due time
/// fired is kept in the bot's directory, so a time that passed while the runner was down is
/// known and logged, never fired late (a 9:00 stand-up reminder at 14:00 helps nobody).
struct BotTimers: Sendable {
    let schedules: [CronSchedule]
    let log: BotLog
    private let fired: FiredTimes
    private let calendar: Calendar

    init(schedules: [CronSchedule], file: URL, log: BotLog, calendar: Calendar = .current) {
        self.schedules = schedules
        self.log = log
        self.calendar = calendar
        fired = FiredTimes(file: file)
    }

    /// Fires every schedule until cancelled; `fire` hears each schedule as it comes due.
    func run(fire: @escaping @Sendable (_ schedule: CronSchedule, _ dueAt: Date) -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            var seen: Set<String> = []
            for schedule in schedules where seen.insert(schedule.expression).inserted {
                group.addTask { await run(schedule, fire: fire) }
            }
        }
    }

    private func run(_ schedule: CronSchedule, fire: @Sendable (CronSchedule, Date) -> Void) async {
        let started = Date()
        reportMissed(schedule, before: started)
        var after = started
        while !Task.isCancelled {
            guard let due = schedule.nextFire(after: after, calendar: calendar) else {
                log.note("schedule \"\(schedule.expression)\" never comes due")
                return
            }
            guard await Self.sleep(until: due) else { return }
            fire(schedule, due)
            fired.record(schedule.expression, at: due)
            after = due
        }
    }

    /// Logs the due times between the last one fired and now, which nobody fired.
    private func reportMissed(_ schedule: CronSchedule, before now: Date) {
        guard let last = fired.last(schedule.expression) else { return }
        var missed = 0
        var first: Date?
        var next = last
        while missed < 10_000, let due = schedule.nextFire(after: next, calendar: calendar), due < now {
            missed += 1
            first = first ?? due
            next = due
        }
        guard let first else { return }
        let times = missed == 1 ? "the time due at \(RFC3339.string(from: first))" : "\(missed) due times from \(RFC3339.string(from: first))"
        log.note("schedule \"\(schedule.expression)\": \(times) passed while the runner was stopped; not fired late")
    }

    /// Sleeps until the wall clock reaches `due`, in slices of at most 30 s so that a changed
    /// clock or a suspended machine is noticed; false when cancelled.
    private static func sleep(until due: Date) async -> Bool {
        while true {
            let left = due.timeIntervalSinceNow
            if left <= 0 { return true }
            do {
                try await Task.sleep(for: .milliseconds(Int((min(left, 30) * 1_000).rounded(.up))))
            } catch {
                return false
            }
        }
    }
}

/// The last due time fired per schedule, kept as JSON (0600) across restarts.
private final class FiredTimes: Sendable {
    private let file: URL
    private let times: Mutex<[String: Date]>

    init(file: URL) {
        self.file = file
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let saved = (try? Data(contentsOf: file)).flatMap { try? decoder.decode([String: Date].self, from: $0) }
        times = Mutex(saved ?? [:])
    }

    func last(_ expression: String) -> Date? {
        times.withLock { $0[expression] }
    }

    func record(_ expression: String, at due: Date) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        times.withLock { times in
            times[expression] = due
            // Under the lock: two schedules never race to put an older file in place.
            guard let data = try? encoder.encode(times) else { return }
            try? ClientPaths.writePrivately(data, to: file)
        }
    }
}
