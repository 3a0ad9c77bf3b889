/// When the message pipeline indexes committed messages for search (`ChatStore.indexForSearch`):
/// between batches, once `batch` are waiting or the oldest has waited `delay`. Bulk indexing
/// costs a few µs a message; a message arriving meanwhile waits for at most one `slice`.
struct SearchIndexSchedule {
    /// What the pipeline does next, its queue being empty.
    enum Step: Equatable {
        case rest
        case index(limit: Int)
        /// Nothing is due yet: the pipeline should look again at this instant.
        case wake(at: ContinuousClock.Instant)
    }

    var batch = 256
    var slice = 512
    var delay: Duration = .milliseconds(100)
    /// How long to leave the index alone after indexing failed.
    var retryDelay: Duration = .seconds(1)

    private(set) var waiting = 0
    private var dueAt: ContinuousClock.Instant?
    private var wakeAt: ContinuousClock.Instant?
    private var retrying = false

    /// Counts messages just committed; the first after a pass starts the `delay`.
    mutating func committed(_ messages: Int, at instant: ContinuousClock.Instant) {
        guard messages > 0 else { return }
        if waiting == 0 || dueAt == nil { dueAt = instant + delay }
        waiting += messages
        if waiting >= batch, !retrying, let due = dueAt { dueAt = min(due, instant) }
    }

    mutating func next(now: ContinuousClock.Instant) -> Step {
        if let wake = wakeAt, wake <= now { wakeAt = nil }
        guard waiting > 0, let dueAt else { return .rest }
        if now >= dueAt { return .index(limit: slice) }
        if let wake = wakeAt, wake <= dueAt { return .rest }
        wakeAt = dueAt
        return .wake(at: dueAt)
    }

    /// After a pass: what is left is due at once (the pipeline goes on while its queue is empty).
    mutating func indexed(remaining: Int, now: ContinuousClock.Instant) {
        waiting = remaining
        dueAt = remaining > 0 ? now : nil
        retrying = false
    }

    /// After a failed pass: the same messages, tried again after `retryDelay`.
    mutating func failed(now: ContinuousClock.Instant) {
        waiting = max(waiting, 1)
        dueAt = now + retryDelay
        retrying = true
    }
}
