import FitChatProtocol
import Logging
import ServiceLifecycle
import Synchronization

/// Group commit: sends, edits, deletions and reactions that arrive while a batch is being
/// written are written together in the next transaction. Each batch is committed, then
/// published, then acknowledged, in order, so "committed before acknowledged" holds and every
/// room's log reaches subscribers in `seq` order. Batches are committed on a `CommitThread`,
/// which also indexes them for search while no batch waits (`SearchIndexSchedule`).
final class MessagePipeline: Service {
    struct Committed: Sendable {
        var entry: RoomLogEntry
        var originConnectionID: UInt64?
    }

    private struct Pending {
        var write: RoomWrite
        var originConnectionID: UInt64?
        /// Hands the write's outcome to whoever waits for it.
        var resume: @Sendable (Result<RoomCommit, any Error>) -> Void
    }

    private struct State {
        var queue: [Pending] = []
        var accepting = true
    }

    private let store: any ChatStore
    private let publish: @Sendable ([Committed], ContinuousClock.Instant) -> Void
    private let metrics: ServerMetrics
    private let logger: Logger
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// `publish` gets each batch's newly stored messages and the instant of their commit, before
    /// their acknowledgement; one call per batch lets a recipient get the batch in one socket write.
    init(
        store: any ChatStore, metrics: ServerMetrics, logger: Logger,
        publish: @escaping @Sendable ([Committed], ContinuousClock.Instant) -> Void
    ) {
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.publish = publish
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Stores a change to a room; returns once it is committed (or changed nothing).
    func commit(_ write: RoomWrite, originConnectionID: UInt64?) async throws -> RoomCommit {
        try await withCheckedThrowingContinuation { continuation in
            enqueue([Pending(write: write, originConnectionID: originConnectionID) { continuation.resume(with: $0) }])
        }
    }

    /// Stores a connection's consecutive changes in the order given, queued at once so they
    /// join the same group commit; returns every outcome, in order, once all are committed.
    func commit(_ writes: [RoomWrite], originConnectionID: UInt64?) async -> [Result<RoomCommit, any Error>] {
        guard !writes.isEmpty else { return [] }
        return await withCheckedContinuation { continuation in
            let outcomes = Outcomes(count: writes.count, continuation: continuation)
            enqueue(writes.enumerated().map { index, write in
                Pending(write: write, originConnectionID: originConnectionID) { outcomes.set(index, $0) }
            })
        }
    }

    func submit(_ writes: [RoomWrite], originConnectionID: UInt64?, done: @escaping @Sendable (Int, Result<RoomCommit, any Error>) -> Void) {
        enqueue(writes.enumerated().map { index, write in
            Pending(write: write, originConnectionID: originConnectionID) { done(index, $0) }
        })
    }

    private func enqueue(_ pending: [Pending]) {
        let accepted = state.withLock { state in
            guard state.accepting else { return false }
            state.queue.append(contentsOf: pending)
            return true
        }
        if accepted {
            wake.yield()
        } else {
            for write in pending { write.resume(.failure(ServerError.internalError)) }
        }
    }

    /// Graceful shutdown ends the wake-ups (no `cancelOnGracefulShutdown()`, whose merge costs
    /// every wake-up an extra task hop); what was queued before it is still committed.
    /// Indexing that an earlier run left undone is done first, and what this one leaves, last.
    func run() async {
        let thread = CommitThread()
        await withTaskExecutorPreference(thread) {
            var search = SearchIndexSchedule()
            await indexEverything(&search)
            await withGracefulShutdownHandler {
                for await _ in wakeups {
                    await flush(&search, on: thread)
                }
            } onGracefulShutdown: {
                self.wake.finish()
            }
            state.withLock { $0.accepting = false }
            await flush(&search, on: thread)
            await indexEverything(&search)
        }
        await thread.shutdown()
    }

    private func flush(_ search: inout SearchIndexSchedule, on thread: CommitThread) async {
        while true {
            let batch = state.withLock { state in
                defer { state.queue.removeAll(keepingCapacity: true) }
                return state.queue
            }
            if batch.isEmpty {
                switch search.next(now: .now) {
                case .rest:
                    return
                case .wake(let instant):
                    thread.run(at: instant) { self.wake.yield() }
                    return
                case .index(let limit):
                    await index(limit: limit, &search)
                    continue
                }
            }
            do {
                let started = ContinuousClock.now
                let results = try await store.commit(batch.map(\.write))
                let committedAt = ContinuousClock.now
                metrics.storeCommit.record(committedAt - started)
                let committed = zip(batch, results).compactMap { pending, result -> Committed? in
                    switch result {
                    case .success(.message(.stored(let message))):
                        Committed(entry: RoomLogEntry(message: message), originConnectionID: pending.originConnectionID)
                    case .success(.logged(let entry)):
                        Committed(entry: entry, originConnectionID: pending.originConnectionID)
                    default:
                        nil
                    }
                }
                let stored = committed.count(where: \.entry.isMessage)
                metrics.messagesStored.increment(by: Int64(stored))
                search.committed(stored, at: committedAt)
                publish(committed, committedAt)
                for (pending, result) in zip(batch, results) {
                    pending.resume(result.mapError { ServerError($0) as any Error })
                }
            } catch {
                logger.error("storing a batch of messages failed", metadata: ["error": "\(error)", "batch": "\(batch.count)"])
                for pending in batch { pending.resume(.failure(ServerError.internalError)) }
            }
        }
    }
}

extension MessagePipeline {
    /// Returns whether the pass succeeded.
    @discardableResult
    private func index(limit: Int, _ search: inout SearchIndexSchedule) async -> Bool {
        do {
            let remaining = try await store.indexForSearch(limit: limit)
            search.indexed(remaining: remaining, now: .now)
            return true
        } catch {
            logger.error("indexing messages for search failed; searches index what they need", metadata: ["error": "\(error)"])
            search.failed(now: .now)
            return false
        }
    }

    private func indexEverything(_ search: inout SearchIndexSchedule) async {
        while await index(limit: search.slice, &search), search.waiting > 0 {}
    }
}

/// The outcomes of writes queued together, handed over once the last one is in.
private final class Outcomes: Sendable {
    private struct State {
        var results: [Result<RoomCommit, any Error>?]
        var missing: Int
    }

    private let state: Mutex<State>
    private let continuation: CheckedContinuation<[Result<RoomCommit, any Error>], Never>

    init(count: Int, continuation: CheckedContinuation<[Result<RoomCommit, any Error>], Never>) {
        state = Mutex(State(results: Array(repeating: nil, count: count), missing: count))
        self.continuation = continuation
    }

    func set(_ index: Int, _ result: Result<RoomCommit, any Error>) {
        let complete = state.withLock { state -> [Result<RoomCommit, any Error>]? in
            guard state.results[index] == nil else { return nil }
            state.results[index] = result
            state.missing -= 1
            return state.missing == 0 ? state.results.compactMap { $0 } : nil
        }
        if let complete { continuation.resume(returning: complete) }
    }
}
