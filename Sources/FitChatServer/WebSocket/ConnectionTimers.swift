import Foundation
import NIOCore
import Synchronization

/// The timers of the chat connections, kept per event loop rather than per connection: a
/// connection's own timer (its task, scheduled run and future) cost an idle connection about
/// 600 B for its pings and 300 B for its token's expiry (BENCHMARKS.md).
///
/// One repeating task per loop pings every connection on it, and runs only while the loop has
/// connections; a connection that has not answered one sweep's ping is dropped at the next, so
/// a silent peer still goes within two intervals. One scheduled task per loop wakes at the
/// earliest token expiry among its connections and tells each whose token ran out, at most a
/// second late (sweeps are a second apart at the closest, so tokens expiring together cost one).
final class ConnectionTimers: Sendable {
    private let pingInterval: TimeAmount
    /// An entry is added and removed only on its own loop, so no two loops race for one.
    private let loops = Mutex<[ObjectIdentifier: NIOLoopBound<LoopTimers>]>([:])

    init(pingInterval: TimeAmount) {
        self.pingInterval = pingInterval
    }

    /// On `loop`: the handler is pinged from the next sweep on, and told when its token runs out.
    func add(_ handler: ChatFrameHandler, on loop: any EventLoop) {
        let timers = loops.withLock { loops in
            if let existing = loops[ObjectIdentifier(loop)] { return existing }
            let created = NIOLoopBound(LoopTimers(loop: loop, pingInterval: pingInterval), eventLoop: loop)
            loops[ObjectIdentifier(loop)] = created
            return created
        }
        timers.value.add(handler)
    }

    /// On `loop`: no more timers for the handler (it may be removed twice). The loop's last
    /// connection stops its tasks.
    func remove(_ handler: ChatFrameHandler, on loop: any EventLoop) {
        guard let timers = loops.withLock({ $0[ObjectIdentifier(loop)] }) else { return }
        guard timers.value.remove(handler) else { return }
        loops.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(loop)) }
    }
}

/// The handlers of one event loop and their tasks, touched only on that loop.
private final class LoopTimers {
    private let loop: any EventLoop
    private let pingInterval: TimeAmount
    private var handlers: [ObjectIdentifier: ChatFrameHandler] = [:]
    private var pings: RepeatedTask?
    /// The next expiry sweep and when it runs; nil while no token waits to run out.
    private var expirySweep: (at: Date, task: Scheduled<Void>)?
    private var lastExpirySweep = Date.distantPast

    /// Sweeps for expired tokens are at least this far apart.
    private static let sweepSpacing: TimeInterval = 1
    /// How early a token may be told it ran out.
    private static let earlyTolerance: TimeInterval = 0.01

    init(loop: any EventLoop, pingInterval: TimeAmount) {
        self.loop = loop
        self.pingInterval = pingInterval
    }

    func add(_ handler: ChatFrameHandler) {
        handlers[ObjectIdentifier(handler)] = handler
        if pings == nil {
            let bound = NIOLoopBound(self, eventLoop: loop)
            pings = loop.scheduleRepeatedTask(initialDelay: pingInterval, delay: pingInterval) { _ in bound.value.pingAll() }
        }
        if let expiry = handler.tokenExpiry { sweepForExpiries(at: expiry) }
    }

    /// Returns true once the last handler is gone, with both tasks stopped.
    func remove(_ handler: ChatFrameHandler) -> Bool {
        handlers[ObjectIdentifier(handler)] = nil
        guard handlers.isEmpty else { return false }
        pings?.cancel()
        pings = nil
        expirySweep?.task.cancel()
        expirySweep = nil
        return true
    }

    private func pingAll() {
        // A ping can close its connection, which removes the handler from `handlers`.
        for handler in Array(handlers.values) { handler.ping() }
    }

    /// Makes sure a sweep runs at `date` or earlier (but not within a second of the last one).
    private func sweepForExpiries(at date: Date) {
        let date = max(date, lastExpirySweep.addingTimeInterval(Self.sweepSpacing))
        if let planned = expirySweep {
            guard date < planned.at else { return }
            planned.task.cancel()
        }
        let delay = TimeAmount.milliseconds(TokenAuthority.milliseconds(until: date))
        expirySweep = (date, loop.assumeIsolated().scheduleTask(in: delay) { [self] in sweepExpiries() })
    }

    private func sweepExpiries() {
        let now = Date()
        expirySweep = nil
        lastExpirySweep = now
        // The loop's clock is not the wall clock: a sweep may run a hair before the expiry it
        // was planned for, and must not leave that token for the next one, a second later.
        let due = now.addingTimeInterval(Self.earlyTolerance)
        var next: Date?
        // Telling a session can close its connection, which removes the handler from `handlers`.
        for handler in Array(handlers.values) {
            guard let expiry = handler.tokenExpiry else { continue }
            if expiry <= due {
                handler.tokenRanOut()
            } else {
                next = min(next ?? expiry, expiry)
            }
        }
        if let next, !handlers.isEmpty { sweepForExpiries(at: next) }
    }
}
