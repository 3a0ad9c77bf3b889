import NIOCore
import Synchronization

/// Pings the chat connections of each event loop from one repeating task per loop, which runs
/// only while the loop has connections. A timer per connection (its task, its scheduled run and
/// their futures) was about 600 B of an idle connection's memory (BENCHMARKS.md). A connection
/// that has not answered one sweep's ping is dropped at the next, so a silent peer still goes
/// within two intervals.
final class PingSchedule: Sendable {
    private let interval: TimeAmount
    /// An entry is added and removed only on its own loop, so no two loops race for one.
    private let loops = Mutex<[ObjectIdentifier: NIOLoopBound<LoopPings>]>([:])

    init(interval: TimeAmount) {
        self.interval = interval
    }

    /// On `loop`: the handler is pinged from the next sweep on.
    func add(_ handler: ChatFrameHandler, on loop: any EventLoop) {
        let (pings, isNew) = loops.withLock { loops in
            if let existing = loops[ObjectIdentifier(loop)] { return (existing, false) }
            let created = NIOLoopBound(LoopPings(), eventLoop: loop)
            loops[ObjectIdentifier(loop)] = created
            return (created, true)
        }
        pings.value.handlers[ObjectIdentifier(handler)] = handler
        if isNew {
            pings.value.task = loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in pings.value.sweep() }
        }
    }

    /// On `loop`: no more pings for the handler (it may be removed twice). The loop's last
    /// connection stops its task.
    func remove(_ handler: ChatFrameHandler, on loop: any EventLoop) {
        guard let pings = loops.withLock({ $0[ObjectIdentifier(loop)] }) else { return }
        pings.value.handlers[ObjectIdentifier(handler)] = nil
        guard pings.value.handlers.isEmpty else { return }
        pings.value.task?.cancel()
        loops.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(loop)) }
    }
}

/// The handlers of one event loop and their task, touched only on that loop.
private final class LoopPings {
    var handlers: [ObjectIdentifier: ChatFrameHandler] = [:]
    var task: RepeatedTask?

    func sweep() {
        // A ping can close its connection, which removes the handler from `handlers`.
        for handler in Array(handlers.values) { handler.ping() }
    }
}
