import Testing

@testable import FitChatServer

/// When the pipeline indexes: in bulk, soon, and never in a burst of failures.
@Suite struct SearchIndexScheduleTests {
    let start = ContinuousClock.now

    @Test func aFewMessagesAreIndexedAfterTheDelayWithOneWakeUp() {
        var schedule = SearchIndexSchedule()
        #expect(schedule.next(now: start) == .rest)
        schedule.committed(1, at: start)
        #expect(schedule.next(now: start) == .wake(at: start + schedule.delay))
        schedule.committed(2, at: start + .milliseconds(10))
        #expect(schedule.next(now: start + .milliseconds(10)) == .rest)
        #expect(schedule.next(now: start + schedule.delay) == .index(limit: schedule.slice))
        schedule.indexed(remaining: 0, now: start + schedule.delay)
        #expect(schedule.next(now: start + .seconds(5)) == .rest)
    }

    @Test func aFullBatchIsIndexedAtOnceAndTheRestRightAfter() {
        var schedule = SearchIndexSchedule()
        schedule.committed(schedule.batch - 1, at: start)
        #expect(schedule.next(now: start) == .wake(at: start + schedule.delay))
        schedule.committed(1, at: start)
        #expect(schedule.next(now: start) == .index(limit: schedule.slice))
        schedule.indexed(remaining: 10, now: start)
        #expect(schedule.next(now: start) == .index(limit: schedule.slice))
    }

    @Test func aFailedPassIsTriedAgainOnlyAfterTheRetryDelay() {
        var schedule = SearchIndexSchedule()
        schedule.committed(schedule.batch, at: start)
        #expect(schedule.next(now: start) == .index(limit: schedule.slice))
        schedule.failed(now: start)
        schedule.committed(schedule.batch, at: start)
        #expect(schedule.next(now: start) == .wake(at: start + schedule.retryDelay))
        #expect(schedule.next(now: start + schedule.retryDelay) == .index(limit: schedule.slice))
    }
}
