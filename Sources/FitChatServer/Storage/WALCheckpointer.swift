import GRDB
import Logging
import ServiceLifecycle

/// Copies SQLite's write-ahead log into the database file from a connection of its own, a few
/// times a second. Left to SQLite, the commit that takes the log past 1,000 pages does it, and
/// that message then waits for the copy and an fsync of the database file before it is
/// acknowledged: at 2,000 messages a second, several times a second (BENCHMARKS.md). A passive
/// checkpoint takes no lock a writer needs, so commits go on while it runs.
struct WALCheckpointer: Service {
    private let connection: DatabaseQueue
    private let interval: Duration
    private let logger: Logger

    /// The log size at which a committing writer checkpoints anyway: the backstop for a
    /// checkpointer that cannot keep up (about 40 MB of log).
    static let writerBackstopPages = 10_000

    init(path: String, interval: Duration = .milliseconds(200), logger: Logger) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // The log may only be reset once what it held is on disk: the checkpoint fsyncs the
        // database file, whatever this build's default is.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.interval = interval
        self.logger = logger
    }

    func run() async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isCancelled else { return }
            do {
                try await connection.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("checkpointing the SQLite log failed; the next commit past \(Self.writerBackstopPages) pages will", metadata: ["error": "\(error)"])
            }
        }
    }
}
