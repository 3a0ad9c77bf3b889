import ArgumentParser
import FitChatClient
import FitChatServer
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the bundled chat server (embedded SQLite unless told otherwise).",
        discussion: """
            Environment: DATABASE_URL (a SQLite path or sqlite:// URL, or postgres://user:pass@host/db \
            for several nodes sharing one PostgreSQL), JWT_SECRET_KEY, CORS_ORIGINS (comma-separated). \
            Flags win over the environment. Without a JWT secret, one is generated on first start and \
            kept (mode 0600) beside the SQLite database, or in the PostgreSQL database for every node. \
            A port in use, or a database that cannot be used, is one line and exit 78.

            EXAMPLES:
              fitchat serve                                   # SQLite under $XDG_DATA_HOME/fitchat
              fitchat serve --host 0.0.0.0 --port 8443 --tls-cert cert.pem --tls-key key.pem
              DATABASE_URL=postgres://fitchat:secret@db/fitchat fitchat serve --port 8001
            """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one (the bound address is printed).")
    var port = 8000

    @Option(help: "SQLite file path (default: under $XDG_DATA_HOME/fitchat), or a postgres:// URL.")
    var database: String?

    @Option(name: .customLong("cors-origin"), help: "A browser origin allowed to connect (repeatable).")
    var corsOrigins: [String] = []

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve https and wss.")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(help: "With PostgreSQL: seconds after which a silent node is given up and its users go offline.")
    var nodeTimeout: Double = 10

    @Option(help: "Messages a user may send at once before the rate limit holds them.")
    var sendBurst = 20

    @Option(help: "Messages per second a user's allowance refills by.")
    var sendRate = 5.0

    @Flag(help: "With PostgreSQL: do not LISTEN for wake-ups, poll only (PgBouncer in transaction mode).")
    var noListen = false

    @Option(help: ArgumentHelp("With PostgreSQL: seconds between reads of the other nodes' events besides NOTIFY wake-ups (with --no-listen, the only ones).", valueName: "seconds"))
    var pollInterval: Double?

    @Option(help: "With PostgreSQL: seconds outbox rows are kept for nodes that fall behind.")
    var outboxRetention: Double = 300

    @Option(help: ArgumentHelp("Seconds a connection has to send its first complete request head (slowloris).", valueName: "seconds"))
    var requestTimeout: Double = 5

    @Option(help: ArgumentHelp("Seconds a keep-alive HTTP connection may stay idle.", valueName: "seconds"))
    var idleTimeout: Double = 75

    @Option(help: ArgumentHelp("The largest file an upload may hold: 25M, 100MiB, 1G or bytes.", valueName: "size"))
    var maxUpload = ByteSize(bytes: 25 << 20)

    @Option(help: ArgumentHelp("Serve /metrics on this HOST:PORT only, not on the main port (e.g. 127.0.0.1:9464).", valueName: "host:port"))
    var metricsListen: ListenAddress?

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard nodeTimeout >= 1, nodeTimeout <= 3600 else { throw ValidationError("--node-timeout must be 1 to 3600 seconds") }
        guard sendBurst >= 1, sendRate > 0 else { throw ValidationError("--send-burst and --send-rate must be positive") }
        for (name, value) in [("--request-timeout", requestTimeout), ("--idle-timeout", idleTimeout)] where !(value > 0 && value <= 3600) {
            throw ValidationError("\(name) must be more than 0 and at most 3600 seconds")
        }
        guard maxUpload.bytes >= 1, maxUpload.bytes <= 1 << 40 else { throw ValidationError("--max-upload must be 1 byte to 1 TiB") }
        if let pollInterval, !(pollInterval >= 0.01 && pollInterval <= 3600) {
            throw ValidationError("--poll-interval must be 0.01 to 3600 seconds")
        }
        guard outboxRetention > 0, outboxRetention <= 86_400 * 30 else { throw ValidationError("--outbox-retention must be more than 0 and at most 30 days") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let database = try databaseSetting(environment)
        try await runServer { try requireDirectory(of: database) }
        var configuration = ServerConfiguration(database: database)
        configuration.host = host
        configuration.port = port
        configuration.jwtSecret = environment["JWT_SECRET_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.corsOrigins = corsOrigins.isEmpty
            ? (environment["CORS_ORIGINS"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            : corsOrigins
        configuration.tlsCertificatePath = tlsCertificate
        configuration.tlsKeyPath = tlsKey
        configuration.cluster.nodeTimeout = .milliseconds(Int64(nodeTimeout * 1000))
        configuration.cluster.heartbeatInterval = min(.seconds(1), configuration.cluster.nodeTimeout / 4)
        configuration.cluster.pollInterval = pollInterval.map { .milliseconds(Int64($0 * 1000)) }
            ?? min(.milliseconds(500), configuration.cluster.nodeTimeout / 4)
        configuration.cluster.listens = !noListen
        configuration.limits.sendBurst = sendBurst
        configuration.limits.sendRefillPerSecond = sendRate
        configuration.cluster.outboxRetention = .milliseconds(Int64(outboxRetention * 1000))
        configuration.limits.requestHeadTimeout = .milliseconds(Int64(requestTimeout * 1000))
        configuration.limits.httpIdleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        configuration.limits.maxUploadSize = maxUpload.bytes
        configuration.metricsListen = metricsListen?.metricsListen

        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let server = ChatServer(configuration: configuration, logger: Logger(label: "fitchat"))
        let scheme = tlsCertificate == nil ? "http" : "https"
        let host = self.host
        try await runServer {
            try await server.run { boundPort in
                // Unbuffered, so a script reading our stdout through a pipe sees it at once; a
                // reader that has gone changes nothing, the server goes on serving.
                StandardStream.write("listening on \(scheme)://\(host):\(boundPort)\n", to: STDOUT_FILENO)
            }
        }
    }

    /// Only the default data directory is created when missing: a path given by hand that
    /// names a missing directory is more likely a typo than a wish for new directories.
    private func requireDirectory(of database: ServerConfiguration.Database) throws {
        guard case .sqlite(let path) = database, path != ServerPaths.defaultDatabasePath else { return }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ServerStartupError("the directory \(directory) of --database does not exist: create it first")
        }
    }

    /// `--database`, else `DATABASE_URL`, else the XDG default.
    private func databaseSetting(_ environment: [String: String]) throws -> ServerConfiguration.Database {
        let setting = database ?? environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        guard let setting else { return .sqlite(path: ServerPaths.defaultDatabasePath) }
        if setting.hasPrefix("postgres://") || setting.hasPrefix("postgresql://") { return .postgres(url: setting) }
        for prefix in ["sqlite://", "sqlite:"] where setting.hasPrefix(prefix) {
            return .sqlite(path: String(setting.dropFirst(prefix.count)))
        }
        return .sqlite(path: setting)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
