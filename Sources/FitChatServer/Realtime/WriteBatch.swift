import NIOCore
import Prometheus

/// The connections that got frames in one fan-out. Their writes are scheduled with one task per
/// event loop rather than one per connection: a message to a room of 50 costs as many wake-ups
/// as the server has event loops.
struct WriteBatch {
    private var byLoop: [ObjectIdentifier: (loop: any EventLoop, connections: [ClientConnection])] = [:]
    private var latency: (histogram: DurationHistogram, since: ContinuousClock.Instant)?

    init() {}

    /// A batch whose writes, on each event loop, record how long after `since` they happened.
    init(measuringInto histogram: DurationHistogram, since: ContinuousClock.Instant) {
        latency = (histogram, since)
    }

    mutating func add(_ connection: ClientConnection) {
        let loop = connection.eventLoop
        byLoop[ObjectIdentifier(loop), default: (loop, [])].connections.append(connection)
    }

    func schedule() {
        let latency = latency
        for (loop, connections) in byLoop.values {
            loop.execute {
                for connection in connections { connection.writePending() }
                if let latency { latency.histogram.record(ContinuousClock.now - latency.since) }
            }
        }
    }
}
