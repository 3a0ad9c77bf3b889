import FitChatProtocol
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Several nodes on one PostgreSQL, the way Centrifugo's PostgreSQL broker does it: events go
/// into the `outbox` table (in the message's own transaction for messages), every node reads
/// it past its cursor, and a payload-free NOTIFY only wakes them up; a poll covers lost ones.
/// Presence lives in `presence` rows per node, and a node that stops heartbeating is given up.
final class PostgresCluster: Cluster {
    static let channel = "fitchat_outbox"

    let store: PostgresChatStore
    let url: PostgresURL
    let settings: ClusterSettings
    let presence = RemotePresence()
    private let metrics: ServerMetrics
    private let logger: Logger
    private let shutdown = Mutex<(stopping: Bool, listener: PostgresConnection?)>((false, nil))
    private let pending = Mutex<[ClusterEvent]>([])
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(store: PostgresChatStore, url: PostgresURL, settings: ClusterSettings, metrics: ServerMetrics, logger: Logger) {
        self.store = store
        self.metrics = metrics
        self.url = url
        self.settings = settings
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    var nodeID: String { store.nodeID }
    private var timeoutMilliseconds: Int64 { Int64(settings.nodeTimeout / .milliseconds(1)) }

    var forward: (@Sendable (ClusterEvent) -> Void)? {
        { [self] event in
            pending.withLock { $0.append(event) }
            wake.yield()
        }
    }

    func forwardNow(_ event: ClusterEvent) async {
        do {
            try await store.transaction { connection in try await self.insertOutbox([event], on: connection) }
        } catch {
            logger.error("an event for the other nodes was not written", metadata: ["event": "\(event)", "error": "\(error)"])
        }
    }

    /// Registers this node and learns who is online on the others; returns the outbox position
    /// to read from (what finished before concerns connections this node never had).
    func start() async throws -> OutboxPosition {
        let horizon: Int64 = try await store.query("SELECT \(unescaped: OutboxPosition.horizon) AS horizon")[0].value("horizon")
        try await store.query("""
            INSERT INTO nodes (id, heartbeat_at) VALUES (\(nodeID), \(unescaped: PostgresSchema.now))
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at RETURNING id
            """)
        for row in try await store.query("""
            SELECT p.node_id, p.user_id FROM presence p JOIN nodes n ON n.id = p.node_id
            WHERE p.node_id <> \(nodeID) AND n.heartbeat_at >= \(unescaped: PostgresSchema.now) - \(timeoutMilliseconds)
            """) {
            presence.set(try row.value("user_id"), online: true, on: try row.value("node_id"))
        }
        return OutboxPosition(transaction: horizon, row: 0)
    }

    func userConnected(_ userID: UserID) async -> Bool {
        await changePresence(of: userID, online: true)
    }

    func userDisconnected(_ userID: UserID) async -> Bool {
        await changePresence(of: userID, online: false)
    }

    func isOnlineElsewhere(_ userID: UserID) -> Bool {
        presence.isOnline(userID)
    }

    /// Records the change and tells whether the user is online on no other live node. Under
    /// the user's presence lock, so two nodes losing a user's last connections at once cannot
    /// both think the other still has one.
    private func changePresence(of userID: UserID, online: Bool) async -> Bool {
        do {
            return try await store.transaction { connection in
                try await self.lockPresence(of: [userID], on: connection)
                if online {
                    try await connection.query(
                        "INSERT INTO presence (node_id, user_id) VALUES (\(self.nodeID), \(userID)) ON CONFLICT DO NOTHING", logger: self.logger
                    )
                } else {
                    try await connection.query("DELETE FROM presence WHERE node_id = \(self.nodeID) AND user_id = \(userID)", logger: self.logger)
                }
                let elsewhere = try await connection.query("""
                    SELECT 1 AS one FROM presence p JOIN nodes n ON n.id = p.node_id
                    WHERE p.user_id = \(userID) AND p.node_id <> \(self.nodeID)
                      AND n.heartbeat_at >= \(unescaped: PostgresSchema.now) - \(self.timeoutMilliseconds)
                    LIMIT 1
                    """, logger: self.logger).all()
                try await self.insertOutbox([.presence(userID: userID, online: online)], on: connection)
                return elsewhere.isEmpty
            }
        } catch {
            logger.error("recording presence failed", metadata: ["user_id": "\(userID)", "error": "\(error)"])
            return true
        }
    }

    /// Takes the presence locks of `users` until the transaction ends, in key order, so that
    /// two transactions locking several users never wait on each other in a circle.
    private func lockPresence(of users: [UserID], on connection: PostgresConnection) async throws {
        guard !users.isEmpty else { return }
        _ = try await connection.query("""
            SELECT pg_advisory_xact_lock(\(PostgresSchema.presenceLockSpace), key)
            FROM (SELECT DISTINCT hashtext(user_id::text) AS key FROM unnest(\(users)::uuid[]) AS user_id ORDER BY key) AS keys
            """, logger: logger).all()
    }

    private func insertOutbox(_ events: [ClusterEvent], on connection: PostgresConnection) async throws {
        let encoder = JSONEncoder()
        let payloads = try events.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try await connection.query("""
            INSERT INTO outbox (node_id, payload, created_at)
            SELECT \(nodeID), payload, \(unescaped: PostgresSchema.now) FROM unnest(\(payloads)::text[]) WITH ORDINALITY AS t(payload, n) ORDER BY n
            """, logger: logger)
        try await connection.query("NOTIFY \(unescaped: Self.channel)", logger: logger)
    }

    // MARK: Running

    /// The node's share of the work until graceful shutdown: write forwarded events, read the
    /// others' (on NOTIFY and by polling), heartbeat, give up dead nodes, prune the outbox.
    /// Then it flushes what is left and leaves the cluster. Its loops are stopped by a flag and
    /// the listener by closing its connection, never by cancellation: a database call is not
    /// cut off halfway.
    func run(receiver: any ClusterReceiver, from position: OutboxPosition, localUsers: @escaping @Sendable () -> [UserID]) async {
        let reader = OutboxReader(store: store, presence: presence, receiver: receiver, from: position, lag: metrics.outboxLag, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.writeForwarded() }
            group.addTask { await self.poll(reader) }
            group.addTask { await self.keepAlive(receiver: receiver, localUsers: localUsers) }
            if settings.listens { group.addTask { await self.listen(waking: reader) } }
            try? await gracefulShutdown()
            await stop()
        }
        do {
            try await store.transaction { connection in
                try await connection.query("DELETE FROM presence WHERE node_id = \(self.nodeID)", logger: self.logger)
                try await connection.query("DELETE FROM nodes WHERE id = \(self.nodeID)", logger: self.logger)
            }
        } catch {
            logger.warning("leaving the cluster failed; the others will time this node out", metadata: ["error": "\(error)"])
        }
    }

    /// Stopped, or cancelled (a server run cancelled rather than shut down gracefully): either
    /// way the loops end instead of spinning on sleeps that return at once.
    private var isStopping: Bool { Task.isCancelled || shutdown.withLock { $0.stopping } }

    private func stop() async {
        let listener = shutdown.withLock { state in
            state.stopping = true
            return state.listener
        }
        wake.finish()
        try? await listener?.close()
    }

    private func writeForwarded() async {
        for await _ in wakeups { await flushForwarded() }
        await flushForwarded()
    }

    private func flushForwarded() async {
        while true {
            let batch = pending.withLock { pending in
                defer { pending.removeAll(keepingCapacity: true) }
                return pending
            }
            guard !batch.isEmpty else { return }
            do {
                try await store.transaction { connection in try await self.insertOutbox(batch, on: connection) }
            } catch {
                logger.error("events for the other nodes were not written", metadata: ["count": "\(batch.count)", "error": "\(error)"])
            }
        }
    }

    /// LISTEN on a connection of its own, outside the pool; when it drops it is opened again,
    /// and the poll covers the gap.
    private func listen(waking reader: OutboxReader) async {
        while !isStopping {
            do {
                let connection = try await PostgresConnection.connect(configuration: url.connectionConfiguration, id: 0, logger: logger)
                let stopping = shutdown.withLock { state in
                    state.listener = connection
                    return state.stopping
                }
                if !stopping {
                    try await connection.listen(on: Self.channel) { notifications in
                        await reader.drain()
                        for try await _ in notifications { await reader.drain() }
                    }
                }
                try? await connection.close()
            } catch where !isStopping {
                logger.warning("the outbox listener dropped; polling until it is back", metadata: ["error": "\(String(reflecting: error))"])
            } catch {}
            if !isStopping { try? await Task.sleep(for: .seconds(1)) }
        }
    }

    private func poll(_ reader: OutboxReader) async {
        while !isStopping {
            await pause(settings.pollInterval)
            if isStopping { return }
            await reader.drain()
        }
    }

    /// Sleeps in slices of at most 250 ms, so a long poll interval never holds up a shutdown.
    private func pause(_ duration: Duration) async {
        let end = ContinuousClock.now + duration
        while !isStopping, ContinuousClock.now < end {
            try? await Task.sleep(for: min(.milliseconds(250), end - ContinuousClock.now))
        }
    }

    private func keepAlive(receiver: any ClusterReceiver, localUsers: @Sendable () -> [UserID]) async {
        var lastPruned = ContinuousClock.now
        var reported: Set<HeldHorizon> = []
        while !isStopping {
            try? await Task.sleep(for: settings.heartbeatInterval)
            if isStopping { return }
            do {
                let alive = try await store.query(
                    "UPDATE nodes SET heartbeat_at = \(unescaped: PostgresSchema.now) WHERE id = \(nodeID) RETURNING id"
                )
                if alive.isEmpty { await rejoin(receiver: receiver, users: localUsers()) }
                let gone = try await giveUpDeadNodes()
                if !gone.isEmpty { await receiver.presenceChanged(gone, online: false) }
                if ContinuousClock.now - lastPruned > min(.seconds(60), settings.outboxRetention) {
                    let retention = Int64(settings.outboxRetention / .milliseconds(1))
                    try await store.query("DELETE FROM outbox WHERE created_at < \(unescaped: PostgresSchema.now) - \(retention) RETURNING id")
                    lastPruned = .now
                }
                reported = try await reportHeldHorizon(alreadyReported: reported)
            } catch {
                logger.warning("cluster heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// A transaction open on the database server for a long time, which holds back every
    /// node's outbox reading (`OutboxPosition`).
    private struct HeldHorizon: Hashable {
        var pid: Int32
        var startedAt: Int64
    }

    /// Warns once about each transaction that has held the outbox horizon for longer than a
    /// node may stay silent (an operator's forgotten `BEGIN`, a long batch job); returns the
    /// ones still open.
    private func reportHeldHorizon(alreadyReported: Set<HeldHorizon>) async throws -> Set<HeldHorizon> {
        var open: Set<HeldHorizon> = []
        let limit = Double(timeoutMilliseconds) / 1000
        for row in try await store.query("""
            SELECT pid, COALESCE(datname, '') AS datname, (extract(epoch FROM xact_start) * 1000)::bigint AS started_ms,
                   (extract(epoch FROM now() - xact_start))::bigint AS open_seconds
            FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND xact_start < now() - make_interval(secs => \(limit))
            """) {
            let held = HeldHorizon(pid: try row.value("pid"), startedAt: try row.value("started_ms"))
            open.insert(held)
            guard !alreadyReported.contains(held) else { continue }
            let seconds: Int64 = try row.value("open_seconds")
            let database: String = try row.value("datname")
            logger.warning(
                "a transaction open for \(seconds) s holds back what this node hears from the others until it ends",
                metadata: ["pid": "\(held.pid)", "database": "\(database)"]
            )
        }
        return open
    }

    /// Deletes nodes past the timeout and their presence; returns their users who are online
    /// nowhere else. Only the node whose DELETE wins does this, so each goes offline once; the
    /// users' presence locks keep a live node's change of the same users out meanwhile.
    private func giveUpDeadNodes() async throws -> [UserID] {
        try await store.transaction { connection in
            let dead = try await connection.query("""
                DELETE FROM nodes WHERE heartbeat_at < \(unescaped: PostgresSchema.now) - \(self.timeoutMilliseconds) RETURNING id
                """, logger: self.logger).all().map { try $0.value("id", as: String.self) }
            guard !dead.isEmpty else { return [] }
            let users = try await connection.query(
                "DELETE FROM presence WHERE node_id = ANY(\(dead)) RETURNING user_id", logger: self.logger
            ).all().map { try $0.value("user_id", as: UserID.self) }
            try await self.lockPresence(of: users, on: connection)
            let stillOnline = try await connection.query(
                "SELECT DISTINCT user_id FROM presence WHERE user_id = ANY(\(users))", logger: self.logger
            ).all().map { try $0.value("user_id", as: UserID.self) }
            try await self.insertOutbox(dead.map { .nodeGone(node: $0) }, on: connection)
            for node in dead {
                self.logger.notice("node \(node) stopped heartbeating; its users are offline")
                self.presence.forget(node: node)
            }
            return Set(users).subtracting(stillOnline).sorted()
        }
    }

    /// This node was given up while alive (a long pause): it registers again and its users
    /// come back online.
    private func rejoin(receiver: any ClusterReceiver, users: [UserID]) async {
        do {
            try await store.transaction { connection in
                try await self.lockPresence(of: users, on: connection)
                try await connection.query(
                    "INSERT INTO nodes (id, heartbeat_at) VALUES (\(self.nodeID), \(unescaped: PostgresSchema.now)) ON CONFLICT (id) DO NOTHING",
                    logger: self.logger
                )
                try await connection.query("""
                    INSERT INTO presence (node_id, user_id) SELECT \(self.nodeID), member FROM unnest(\(users)::uuid[]) AS member
                    ON CONFLICT DO NOTHING
                    """, logger: self.logger)
                try await self.insertOutbox(users.map { .presence(userID: $0, online: true) }, on: connection)
            }
            logger.notice("this node had been given up by the others; rejoined")
            await receiver.presenceChanged(users, online: true)
        } catch {
            logger.warning("rejoining the cluster failed", metadata: ["error": "\(error)"])
        }
    }
}
