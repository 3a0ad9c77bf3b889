import Foundation
import NIOCore
import Synchronization

/// Events waiting for a slow bot: bounded, dropping the oldest past the bound and telling the
/// bot how many with `events_dropped`. Runner errors (`bad_bot_output`) jump the queue and
/// are never dropped. Taken by a writer thread, whose blocking writes wait for the bot.
final class BotInbox: Sendable {
    private struct State {
        var events = CircularBuffer<String>()
        var urgent = CircularBuffer<String>()
        var dropped = 0
        /// Bumped when a bot process ends, so its writer thread stops taking.
        var generation = 0
    }

    let bound: Int
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    init(bound: Int) {
        self.bound = bound
    }

    func push(_ event: String) {
        state.withLock { state in
            if state.events.count >= bound {
                state.events.removeFirst()
                state.dropped += 1
            }
            state.events.append(event)
        }
        available.signal()
    }

    func pushUrgent(_ line: String) {
        state.withLock { $0.urgent.append(line) }
        available.signal()
    }

    var generation: Int { state.withLock { $0.generation } }

    /// Wakes the writer of the current generation and makes it stop.
    func endGeneration() {
        state.withLock { $0.generation += 1 }
        available.signal()
    }

    /// The next line for the bot; blocks until there is one. nil once `generation` ended.
    func take(generation: Int) -> String? {
        while true {
            let next: String?? = state.withLock { state in
                guard state.generation == generation else { return .some(nil) }
                if let line = state.urgent.popFirst() { return line }
                if state.dropped > 0 {
                    defer { state.dropped = 0 }
                    return RunnerEvent.eventsDropped(state.dropped).line
                }
                return state.events.popFirst().map { .some($0) }
            }
            if let next { return next }
            available.wait()
        }
    }
}
