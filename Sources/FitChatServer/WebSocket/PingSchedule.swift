import NIOCore
import Synchronization

/// Pings the chat connections of each event loop from one repeating task per loop. A timer per
/// connection (its task, its scheduled run and their futures) was about 600 B of an idle
/// connection's memory (BENCHMARKS.md). A connection that has not answered one sweep's ping is
/// dropped at the next, so a silent peer still goes within two intervals.
final class PingSchedule: Sendable {
    private let interval: TimeAmount
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
            loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in pings.value.sweep() }
        }
    }

    /// On `loop`: no more pings for the handler (it may be removed twice).
    func remove(_ handler: ChatFrameHandler, on loop: any EventLoop) {
        guard let pings = loops.withLock({ $0[ObjectIdentifier(loop)] }) else { return }
        pings.value.handlers[ObjectIdentifier(handler)] = nil
    }
}

/// The handlers of one event loop, touched only on that loop.
private final class LoopPings {
    var handlers: [ObjectIdentifier: ChatFrameHandler] = [:]

    func sweep() {
        // A ping can close its connection, which removes the handler from `handlers`.
        for handler in Array(handlers.values) { handler.ping() }
    }
}
