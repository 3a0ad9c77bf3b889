import Foundation

/// Everything `fitchat serve` can be told; the defaults run a working server with no options.
public struct ServerConfiguration: Sendable {
    /// Where messages live: an embedded SQLite file, or a PostgreSQL URL shared by several nodes.
    public enum Database: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public var host: String = "127.0.0.1"
    public var port: Int = 8000
    public var database: Database
    /// HS256 signing secret; `nil` means "generate one and keep it beside the database".
    public var jwtSecret: String?
    public var tokenLifetime: Duration = .seconds(7 * 24 * 3600)
    /// Allowed browser `Origin`s; empty means any origin.
    public var corsOrigins: [String] = []
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Where `GET /metrics` is served instead of the main port (`--metrics-listen`): an
    /// operator's private interface, away from the public one. Nil serves it on the main port.
    public var metricsListen: MetricsListen?
    public var limits = ServerLimits()
    public var cluster = ClusterSettings()
    /// bcrypt work factor; 10 keeps login around 50 ms on a small machine.
    public var bcryptCost: UInt8 = 10

    public init(database: Database) {
        self.database = database
    }
}

/// The address of the metrics listener.
public struct MetricsListen: Sendable, Equatable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// The protocol's limits (PROTOCOL.md "Limits"), configurable for operators and tests.
public struct ServerLimits: Sendable {
    public var maxContentLength = 4000
    public var sendBurst = 20
    public var sendRefillPerSecond = 5.0
    public var loginFailuresAllowed = 10
    public var loginFailureWindow: Duration = .seconds(600)
    public var maxRoomsPerConnection = 100
    public var maxFrameSize = 64 * 1024
    public var outboundQueueFrames = 1000
    public var outboundQueueBytes = 1 << 20
    /// How long a connection holds a room's entries past a gap in its `seq` (on a cluster,
    /// another node's entry arriving after a later one made here) before it is closed with
    /// 1013 to resume from the store; longer than the cluster's poll interval.
    public var logGapTimeout: Duration = .seconds(10)
    public var typingTimeout: Duration = .seconds(3)
    public var pingInterval: Duration = .seconds(30)
    /// How long a close handshake may take before the connection is dropped without one.
    public var closeTimeout: Duration = .seconds(15)
    /// A connection whose first request head is not complete this long after it opened is
    /// closed: sockets that trickle half a request line (slowloris) must not pile up.
    public var requestHeadTimeout: Duration = .seconds(5)
    /// A keep-alive HTTP connection with no request this long is closed. Longer than clients'
    /// own pool timeouts (AsyncHTTPClient 60 s, nginx 75 s), so that clients close first and
    /// never send a request into a connection the server is closing.
    public var httpIdleTimeout: Duration = .seconds(75)
    public var historyPageLimit = 200
    /// How many different emoji one message may hold: reactions are a handful, not a channel.
    public var maxDistinctReactions = 20
    /// The largest file an upload may hold (`--max-upload`); past it the upload is 413.
    public var maxUploadSize: Int64 = 25 << 20
    /// Files are stored and served in chunks of this size: what one upload or download holds
    /// in memory at a time.
    public var attachmentChunkSize = 256 << 10
    /// An uploaded file no message refers to is removed after this long (so are uploads that
    /// never finished); the sweep runs every `attachmentSweepInterval`.
    public var unsentAttachmentLifetime: Duration = .seconds(24 * 3600)
    public var attachmentSweepInterval: Duration = .seconds(600)

    public init() {}
}

/// How nodes sharing a PostgreSQL database keep track of each other.
public struct ClusterSettings: Sendable {
    public var heartbeatInterval: Duration = .seconds(1)
    /// A node silent this long is given up: its users go offline for the others.
    public var nodeTimeout: Duration = .seconds(10)
    /// The fallback when a NOTIFY is lost: how often the outbox is read anyway.
    public var pollInterval: Duration = .milliseconds(500)
    /// LISTEN for wake-ups; off where LISTEN cannot work (PgBouncer in transaction mode), and
    /// then the poll alone carries every event, later but complete.
    public var listens = true
    /// Outbox rows older than this are deleted.
    public var outboxRetention: Duration = .seconds(300)

    public init() {}
}
