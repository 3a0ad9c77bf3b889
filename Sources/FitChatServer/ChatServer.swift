import Foundation
import FitChatProtocol
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// The bundled chat server: REST and WebSocket over one port, backed by the configured store.
public struct ChatServer: Sendable {
    public let configuration: ServerConfiguration
    public let logger: Logger

    public init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until SIGINT/SIGTERM (when `handlesSignals`) or cancellation. `onRunning` gets the
    /// bound port, which is how `--port 0` is found.
    public func run(handlesSignals: Bool = true, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let metrics = ServerMetrics()
        switch configuration.database {
        case .sqlite(let path):
            let store = try SQLiteChatStore(path: path)
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let secret = try configuration.jwtSecret ?? SecretFile.loadOrCreate(at: directory + "/jwt-secret")
            let checkpointer = try store.checkpointer(logger: logger)
            try await serve(
                store: store, cluster: SingleNode(), secret: secret, metrics: metrics, handlesSignals: handlesSignals, onRunning: onRunning
            ) { _ in [checkpointer] }
        case .postgres(let url):
            try await runOnPostgres(try PostgresURL(url), metrics: metrics, handlesSignals: handlesSignals, onRunning: onRunning)
        }
    }

    /// One node of a cluster: the database client outlives the server, which needs it to the
    /// last disconnect.
    private func runOnPostgres(
        _ url: PostgresURL, metrics: ServerMetrics, handlesSignals: Bool, onRunning: @escaping @Sendable (Int) async -> Void
    ) async throws {
        // The pool logs every failed connection attempt at info; an operator needs warnings.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .warning)
        let client = PostgresClient(configuration: url.configuration, backgroundLogger: poolLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = PostgresChatStore(client: client, nodeID: Self.nodeName, logger: logger)
            do {
                // One plain connection first: a wrong address or password fails at once and says why,
                // where the pool would keep retrying.
                let probe = try await PostgresConnection.connect(configuration: url.connectionConfiguration, id: 0, logger: poolLogger)
                try? await probe.close()
                try await withTimeout(.seconds(15)) { try await store.migrate() }
            } catch {
                throw ServerStartupError("cannot use the PostgreSQL database \(url): \(Self.describe(error))")
            }
            var secret = configuration.jwtSecret ?? ""
            if secret.isEmpty { secret = try await store.sharedSecret(generate: SecretFile.generate) }
            let cluster = PostgresCluster(store: store, url: url, settings: configuration.cluster, metrics: metrics, logger: logger)
            let position = try await cluster.start()
            logger.info("joined the cluster as node \(store.nodeID)")
            try await serve(
                store: store, cluster: cluster, secret: secret, metrics: metrics, handlesSignals: handlesSignals, onRunning: onRunning
            ) { parts in
                let hub = parts.hub
                return [ClusterService(cluster: cluster, receiver: parts.chat, position: position) { hub.onlineUsers }]
            }
        }
    }

    private func serve(
        store: any ChatStore, cluster: any Cluster, secret: String, metrics: ServerMetrics, handlesSignals: Bool,
        onRunning: @escaping @Sendable (Int) async -> Void, clusterServices: (ServerAssembly) -> [any Service]
    ) async throws {
        let parts = try await ServerAssembly(
            store: store, cluster: cluster, configuration: configuration, secret: secret, metrics: metrics, logger: logger
        )
        let app = Application(
            router: try httpRouter(parts),
            server: try serverBuilder(parts),
            // Every client reconnects at once after a restart: a deep accept queue (the kernel
            // caps it at net.core.somaxconn) keeps their handshakes from timing out.
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil, backlog: 4096),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
        // Shutdown runs in reverse: sockets closed with 1001 first, then HTTP, then the sessions'
        // last jobs, then the last commits, then (in a cluster) the last events for the other nodes.
        let group = ServiceGroup(
            configuration: .init(
                services: clusterServices(parts) + parts.services(around: app) + metricsListener(metrics),
                gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES {
            throw ServerStartupError(
                error.errnoCode == EADDRINUSE
                    ? "port \(configuration.port) on \(configuration.host) is already in use (--port chooses another)"
                    : "no permission to listen on port \(configuration.port) on \(configuration.host)"
            )
        }
    }

    /// What went wrong with the database, on one line (PSQLError hides it from `description`).
    private static func describe(_ error: any Error) -> String {
        var text = String(describing: error)
        if let error = error as? PSQLError {
            text = error.serverInfo?[.message] ?? error.underlying.map { String(describing: $0) } ?? "\(error.code)"
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Unique per process: host, pid and a random suffix.
    private static var nodeName: String {
        "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(String(UInt16.random(in: .min ... .max), radix: 16))"
    }

    private func authenticator(_ parts: ServerAssembly, acceptsQueryToken: Bool = false) -> TokenAuthenticator {
        TokenAuthenticator(tokens: parts.tokens, users: parts.knownUsers, revoked: parts.revokedTokens, acceptsQueryToken: acceptsQueryToken)
    }

    func httpRouter(_ parts: ServerAssembly) throws -> Router<ChatRequestContext> {
        let router = Router(context: ChatRequestContext.self)
        router.add(middleware: DeclinedUpgradeMiddleware())
        router.add(middleware: ErrorMiddleware(metrics: parts.metrics))
        router.add(middleware: OriginMiddleware(policy: originPolicy))
        router.add(middleware: CORSMiddleware(allowOrigin: .originBased, allowHeaders: [.authorization, .contentType], allowMethods: [.get, .post, .patch, .delete]))
        APIRoutes(chat: parts.chat, scheme: configuration.tlsCertificatePath == nil ? "http" : "https")
            .register(on: router, authenticator: authenticator(parts))
        if configuration.metricsListen == nil { MetricsRoutes(metrics: parts.metrics).register(on: router) }
        try OpenAPIDocument.register(on: router, version: FitChatVersion.current)
        // Reached when a WebSocket upgrade was refused (or never asked for): say why, as JSON.
        router.group("/ws/chat").add(middleware: authenticator(parts, acceptsQueryToken: true)).get { _, _ -> Response in
            throw ServerError.invalid("this endpoint needs a WebSocket upgrade")
        }
        return router
    }

    /// With `--metrics-listen`, `/metrics` on an address of its own (and not on the main port).
    private func metricsListener(_ metrics: ServerMetrics) -> [any Service] {
        guard let listen = configuration.metricsListen else { return [] }
        let router = Router()
        MetricsRoutes(metrics: metrics).register(on: router)
        return [
            Application(
                router: router, configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: nil), logger: logger
            )
        ]
    }

    private var originPolicy: OriginPolicy {
        OriginPolicy(allowed: Set(configuration.corsOrigins))
    }

    private func serverBuilder(_ parts: ServerAssembly) throws -> HTTPServerBuilder {
        let origins = originPolicy
        let authenticator = authenticator(parts, acceptsQueryToken: true)
        let gate: ChatUpgradeChannel.Gate = { head in
            guard URI(head.path ?? "").path == "/ws/chat", (try? origins.check(head)) != nil else { return nil }
            return try? await authenticator.authenticate(head)
        }
        let logger = logger
        let session: ChatUpgradeChannel.Session = { channel, user, _ in
            try WebSocketSession.start(on: channel, user: user, parts: parts, logger: logger)
        }
        let plain = HTTPServerBuilder { responder in
            ChatUpgradeChannel(
                routerResponder: responder, maxFrameSize: configuration.limits.maxFrameSize,
                requestHeadTimeout: configuration.limits.requestHeadTimeout, idleTimeout: configuration.limits.httpIdleTimeout,
                gate: gate, session: session
            )
        }
        guard let certificatePath = configuration.tlsCertificatePath, let keyPath = configuration.tlsKeyPath else {
            return plain
        }
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
        )
        return try .tls(plain, tlsConfiguration: tls)
    }
}

/// The server could not start; the message says what to fix.
public struct ServerStartupError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Runs `operation`, giving up after `limit` (a database that never answers).
func withTimeout<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let result = try await group.next(), let value = result else {
            throw ServerStartupError("no answer within \(limit)")
        }
        return value
    }
}
