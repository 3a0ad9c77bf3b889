import FitChatProtocol
import Prometheus

/// What `GET /metrics` shows an operator's Prometheus. One registry per server, so servers in
/// one process (the tests) never mix their numbers. The fan-out path only touches relaxed
/// atomics, once per fan-out or per socket write, never once per frame.
final class ServerMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()

    let connectionsOpen: Gauge
    let connectionsOpened: Counter
    let framesReceived: Counter
    let framesSent: Counter
    let messagesStored: Counter
    /// Room log entries queued for connections (each recipient counts once).
    let deliveries: Counter
    let rateLimited: Counter
    /// From a batch's commit until its frames were handed to the sockets, per event loop.
    let fanOutLatency: DurationHistogram
    let storeCommit: DurationHistogram
    /// How long the newest outbox row this node applied had waited (PostgreSQL clusters).
    let outboxLag: Gauge
    private let errors: [ErrorCode: Counter]

    init() {
        connectionsOpen = registry.makeGauge(descriptor: Self.named("connections", "open", "Open WebSocket connections."))
        connectionsOpened = registry.makeCounter(descriptor: Self.named("connections_opened", "total", "WebSocket connections opened."))
        framesReceived = registry.makeCounter(descriptor: Self.named("frames_received", "total", "Text and binary frames received from clients."))
        framesSent = registry.makeCounter(descriptor: Self.named("frames_sent", "total", "Frames written to clients."))
        messagesStored = registry.makeCounter(descriptor: Self.named("messages_stored", "total", "Messages committed to the store."))
        deliveries = registry.makeCounter(descriptor: Self.named("deliveries", "total", "Room log entries queued for a subscribed connection."))
        rateLimited = registry.makeCounter(
            descriptor: Self.named("rate_limited", "total", "Sends, edits, deletions and reactions refused by the rate limit.")
        )
        let latencyBuckets: [Duration] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
        ]
        fanOutLatency = registry.makeDurationHistogram(
            descriptor: Self.named("fanout_latency", "seconds", "From a batch's commit until its frames were handed to the sockets."),
            buckets: latencyBuckets
        )
        storeCommit = registry.makeDurationHistogram(
            descriptor: Self.named("store_commit", "seconds", "How long one group commit took."), buckets: latencyBuckets
        )
        outboxLag = registry.makeGauge(
            descriptor: Self.named("cluster_outbox_lag", "seconds", "How long the newest outbox row this node applied had waited to be read.")
        )
        let errorsName = Self.named("errors", "total", "Errors answered, by wire code.")
        var errors: [ErrorCode: Counter] = [:]
        for code in ErrorCode.allCases {
            errors[code] = registry.makeCounter(descriptor: errorsName, labels: [("code", code.rawValue)])
        }
        self.errors = errors
    }

    private static func named(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "fitchat", metricName: name, unitName: unit, helpText: help)
    }

    func answeredError(_ code: ErrorCode) {
        errors[code]?.increment()
    }

    /// `code` is the close code sent or received; nil when the connection ended without one.
    /// Codes a client may make up are grouped as "other", so a client cannot grow the registry.
    func connectionClosed(code: UInt16?) {
        connectionsOpen.decrement()
        let label = code.map { (1000...1015).contains($0) || $0 == 4401 ? String($0) : "other" } ?? "none"
        registry.makeCounter(
            descriptor: Self.named("connections_closed", "total", "WebSocket connections closed, by close code (none: dropped without a close frame)."),
            labels: [("code", label)]
        ).increment()
    }

    /// The text exposition format, version 0.0.4.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
