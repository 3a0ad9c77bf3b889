import NIOWebSocket
import Logging
import ServiceLifecycle

/// Runs the periodic work (typing expiry, delivery receipts) and, at shutdown, closes every
/// WebSocket with 1001 before the HTTP server stops, waiting briefly for them to drain.
struct Housekeeping: Service {
    let hub: RoomHub
    /// The rules' periodic work (`ChatService.tick`).
    let tick: @Sendable () -> Void
    var interval: Duration = .milliseconds(50)
    var drainTimeout: Duration = .seconds(5)

    init(hub: RoomHub, tick: @escaping @Sendable () -> Void) {
        self.hub = hub
        self.tick = tick
    }

    func run() async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            tick()
            try? await Task.sleep(for: interval)
        }
        hub.closeAll(.goingAway, reason: "the server is shutting down")
        let deadline = ContinuousClock.now + drainTimeout
        while hub.connectionCount > 0, ContinuousClock.now < deadline, !Task.isCancelled {
            tick()
            try? await Task.sleep(for: .milliseconds(20))
        }
        tick()
    }
}
