import NIOWebSocket
import Logging
import ServiceLifecycle

/// Runs the periodic work (typing expiry, delivery receipts) and, at shutdown, closes every
/// WebSocket with 1001 before the HTTP server stops, waiting briefly for them to drain.
struct Housekeeping: Service {
    let chat: ChatService
    var interval: Duration = .milliseconds(50)
    var drainTimeout: Duration = .seconds(5)

    func run() async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            chat.tick()
            try? await Task.sleep(for: interval)
        }
        chat.hub.closeAll(.goingAway, reason: "the server is shutting down")
        let deadline = ContinuousClock.now + drainTimeout
        while chat.hub.connectionCount > 0, ContinuousClock.now < deadline, !Task.isCancelled {
            chat.tick()
            try? await Task.sleep(for: .milliseconds(20))
        }
        chat.tick()
    }
}
