import FitChatProtocol
import Foundation
import NIOCore
import Synchronization

/// Events waiting for a slow bot: bounded, dropping the oldest past the bound and telling the
/// bot how many with `events_dropped`. Runner errors (`bad_bot_output`) jump the queue and
/// are never dropped. Taken by a writer thread, whose blocking writes wait for the bot. An
/// entry of a room's log counts as handed over once the writer comes back for the next line
/// (its write returned), or when it was dropped: `handed` then moves the bot's cursor.
final class BotInbox: Sendable {
    typealias Position = (roomID: RoomID, seq: Int64)

    private struct State {
        var events = CircularBuffer<(line: String, position: Position?)>()
        /// The entry the writer took last, not yet known to be written.
        var writing: Position?
        var urgent = CircularBuffer<String>()
        var dropped = 0
        /// Bumped when a bot process ends, so its writer thread stops taking.
        var generation = 0
    }

    let bound: Int
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let handed: @Sendable (Position) -> Void

    init(bound: Int, handed: @escaping @Sendable (Position) -> Void = { _ in }) {
        self.bound = bound
        self.handed = handed
    }

    func push(_ event: String, position: Position? = nil) {
        let dropped = state.withLock { state -> Position? in
            var dropped: Position?
            if state.events.count >= bound {
                dropped = state.events.removeFirst().position
                state.dropped += 1
            }
            state.events.append((event, position))
            return dropped
        }
        if let dropped { handed(dropped) }
        available.signal()
    }

    func pushUrgent(_ line: String) {
        state.withLock { $0.urgent.append(line) }
        available.signal()
    }

    var generation: Int { state.withLock { $0.generation } }

    /// Wakes the writer of the current generation and makes it stop.
    func endGeneration() {
        let written = state.withLock { state -> Position? in
            state.generation += 1
            defer { state.writing = nil }
            return state.writing
        }
        if let written { handed(written) }
        available.signal()
    }

    /// The next line for the bot; blocks until there is one. nil once `generation` ended.
    func take(generation: Int) -> String? {
        while true {
            let (next, written): (String??, Position?) = state.withLock { state in
                let written = state.writing
                state.writing = nil
                guard state.generation == generation else { return (.some(nil), written) }
                if let line = state.urgent.popFirst() { return (line, written) }
                if state.dropped > 0 {
                    defer { state.dropped = 0 }
                    return (RunnerEvent.eventsDropped(state.dropped).line, written)
                }
                guard let event = state.events.popFirst() else { return (nil, written) }
                state.writing = event.position
                return (event.line, written)
            }
            if let written { handed(written) }
            if let next { return next }
            available.wait()
        }
    }
}
