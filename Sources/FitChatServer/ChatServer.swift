import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOSSL
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
        let store = try openStore()
        let secret = try configuration.jwtSecret ?? SecretFile.loadOrCreate(at: secretPath)
        let tokens = await TokenAuthority(secret: secret, lifetime: configuration.tokenLifetime)
        let chat = try await ChatService(store: store, configuration: configuration, tokens: tokens, logger: logger)

        let app = Application(
            router: httpRouter(chat: chat, tokens: tokens),
            server: try serverBuilder(chat: chat, tokens: tokens),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
        // Shutdown runs in reverse: sockets closed with 1001 first, then HTTP, then the last commits.
        let group = ServiceGroup(
            configuration: .init(
                services: [chat.pipeline, app, Housekeeping(chat: chat)],
                gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [],
                logger: logger
            )
        )
        try await group.run()
    }

    private var sqlitePath: String? {
        if case .sqlite(let path) = configuration.database { path } else { nil }
    }

    private var secretPath: String {
        let directory = sqlitePath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? ServerPaths.dataDirectory
        return directory + "/jwt-secret"
    }

    private func openStore() throws -> any ChatStore {
        switch configuration.database {
        case .sqlite(let path):
            return try SQLiteChatStore(path: path)
        case .postgres:
            throw ServerStartupError("PostgreSQL storage is not available in this build yet; use a SQLite path")
        }
    }

    private func httpRouter(chat: ChatService, tokens: TokenAuthority) -> Router<ChatRequestContext> {
        let router = Router(context: ChatRequestContext.self)
        router.add(middleware: DeclinedUpgradeMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: OriginMiddleware(policy: originPolicy))
        router.add(middleware: CORSMiddleware(allowOrigin: .originBased, allowHeaders: [.authorization, .contentType], allowMethods: [.get, .post, .patch, .delete]))
        APIRoutes(chat: chat).register(on: router, authenticator: TokenAuthenticator(tokens: tokens))
        // Reached when a WebSocket upgrade was refused (or never asked for): say why, as JSON.
        router.group("/ws/chat").add(middleware: TokenAuthenticator(tokens: tokens, acceptsQueryToken: true)).get { _, _ -> Response in
            throw ServerError.invalid("this endpoint needs a WebSocket upgrade")
        }
        return router
    }

    private var originPolicy: OriginPolicy {
        OriginPolicy(allowed: Set(configuration.corsOrigins))
    }

    private func serverBuilder(chat: ChatService, tokens: TokenAuthority) throws -> HTTPServerBuilder {
        let origins = originPolicy
        let authenticator = TokenAuthenticator(tokens: tokens, acceptsQueryToken: true)
        let gate: ChatUpgradeChannel.Gate = { head in
            guard URI(head.path ?? "").path == "/ws/chat", (try? origins.check(head)) != nil else { return nil }
            return try? await authenticator.authenticate(head)
        }
        let socket = ChatSocket(chat: chat)
        let limits = configuration.limits
        let webSocket = WebSocketServerConfiguration(
            maxFrameSize: limits.maxFrameSize,
            autoPing: .enabled(timePeriod: limits.pingInterval),
            validateUTF8: true
        )
        let plain = HTTPServerBuilder { responder in
            ChatUpgradeChannel(routerResponder: responder, webSocket: webSocket, gate: gate, session: socket.serve)
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

    init(_ description: String) {
        self.description = description
    }
}
