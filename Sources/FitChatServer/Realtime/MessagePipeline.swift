import FitChatProtocol
import Logging
import ServiceLifecycle
import Synchronization

/// Group commit: sends, edits, deletions and reactions that arrive while a batch is being
/// written are written together in the next transaction. Each batch is committed, then
/// published, then acknowledged, in order, so "committed before acknowledged" holds and every
/// room's log reaches subscribers in `seq` order.
final class MessagePipeline: Service {
    struct Committed: Sendable {
        var entry: RoomLogEntry
        var originConnectionID: UInt64?
    }

    private struct Pending {
        var write: RoomWrite
        var originConnectionID: UInt64?
        var continuation: CheckedContinuation<RoomCommit, any Error>
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
            let accepted = state.withLock { state in
                guard state.accepting else { return false }
                state.queue.append(Pending(write: write, originConnectionID: originConnectionID, continuation: continuation))
                return true
            }
            if accepted {
                wake.yield()
            } else {
                continuation.resume(throwing: ServerError.internalError)
            }
        }
    }

    func run() async {
        for await _ in wakeups.cancelOnGracefulShutdown() {
            await flush()
        }
        state.withLock { $0.accepting = false }
        await flush()
    }

    private func flush() async {
        while true {
            let batch = state.withLock { state in
                defer { state.queue.removeAll(keepingCapacity: true) }
                return state.queue
            }
            guard !batch.isEmpty else { return }
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
                metrics.messagesStored.increment(by: Int64(committed.count(where: \.entry.isMessage)))
                publish(committed, committedAt)
                for (pending, result) in zip(batch, results) {
                    pending.continuation.resume(with: result.mapError { ServerError($0) as any Error })
                }
            } catch {
                logger.error("storing a batch of messages failed", metadata: ["error": "\(error)", "batch": "\(batch.count)"])
                for pending in batch { pending.continuation.resume(throwing: ServerError.internalError) }
            }
        }
    }
}
