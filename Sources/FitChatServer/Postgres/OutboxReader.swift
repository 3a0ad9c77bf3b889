import FitChatProtocol
import Foundation
import Logging
import PostgresNIO
import Prometheus

/// Reads the outbox past this node's position, up to the oldest transaction still running
/// (`OutboxPosition`), and applies what the other nodes wrote. Woken by NOTIFY and by a poll;
/// a wake-up while reading just makes it read once more, so nothing is read twice and nothing
/// is skipped.
actor OutboxReader {
    private let store: PostgresChatStore
    private let presence: RemotePresence
    private let receiver: any ClusterReceiver
    private let lag: Gauge
    private let logger: Logger
    private var position: OutboxPosition
    private var reading = false
    private var readAgain = false
    private let pageSize = 500

    init(store: PostgresChatStore, presence: RemotePresence, receiver: any ClusterReceiver, from position: OutboxPosition, lag: Gauge, logger: Logger) {
        self.store = store
        self.lag = lag
        self.presence = presence
        self.receiver = receiver
        self.position = position
        self.logger = logger
    }

    func drain() async {
        if reading {
            readAgain = true
            return
        }
        reading = true
        defer { reading = false }
        repeat {
            readAgain = false
            do {
                while try await readPage() == pageSize {}
            } catch {
                logger.warning("reading the outbox failed; retrying on the next wake-up", metadata: ["error": "\(error)"])
            }
        } while readAgain
    }

    /// Applies one page; returns its size.
    private func readPage() async throws -> Int {
        try Task.checkCancellation()
        let rows = try await store.client.rows(OutboxPageStatement(after: position, skipping: store.nodeID, limit: pageSize), logger: logger)
        if let newest = rows.last, let waited = try? newest.value("waited_ms", as: Int64.self) {
            // The database's clock on both ends: no skew between nodes.
            lag.set(Double(max(0, waited)) / 1000)
        }
        for row in rows {
            position = OutboxPosition(transaction: try row.value("outbox_tx"), row: try row.value("outbox_id"))
            let node: String = try row.value("node_id")
            guard node != store.nodeID else { continue }
            do {
                try apply(row, from: node)
            } catch {
                logger.error("skipping an outbox row that cannot be read", metadata: ["outbox_id": "\(position.row)", "error": "\(error)"])
            }
        }
        return rows.count
    }

    private func apply(_ row: PostgresRandomAccessRow, from node: String) throws {
        if let payload = try row.value("payload", as: String?.self) {
            let event = try JSONDecoder().decode(ClusterEvent.self, from: Data(payload.utf8))
            switch event {
            case .presence(let userID, let online):
                presence.set(userID, online: online, on: node)
            case .nodeGone(let gone):
                presence.forget(node: gone)
            default:
                receiver.receive(event)
            }
        } else if try row.value("id", as: MessageID?.self) != nil {
            // A message row whose room was deleted since has no message any more: nothing to do.
            receiver.receive(try PostgresChatStore.chatMessage(row))
        }
    }
}

/// A page of the outbox past a position, up to the horizon. This node's own rows come without
/// their message or payload: it only moves past them.
private struct OutboxPageStatement: PreparedRowsStatement {
    static let sql = """
        SELECT o.tx AS outbox_tx, o.id AS outbox_id, o.node_id, CASE WHEN o.node_id <> $3 THEN o.payload END AS payload,
               \(PostgresSchema.now) - o.created_at AS waited_ms, \(PostgresChatStore.messageColumns)
        FROM outbox o LEFT JOIN messages m ON m.id = o.message_id AND o.node_id <> $3 LEFT JOIN users u ON u.id = m.sender_id
        WHERE (o.tx, o.id) > ($1, $2) AND o.tx < \(OutboxPosition.horizon)
        ORDER BY o.tx, o.id LIMIT $4
        """

    var bindings = PostgresBindings()

    init(after position: OutboxPosition, skipping nodeID: String, limit: Int) {
        bindings.append(position.transaction)
        bindings.append(position.row)
        bindings.append(nodeID)
        bindings.append(limit)
    }
}
