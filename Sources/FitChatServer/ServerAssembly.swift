import FitChatProtocol
import Foundation
import Logging
import ServiceLifecycle

/// The composition root of a node: every part is built here, once, and handed what it needs.
/// Nothing else constructs collaborators, and no part reaches through another to find one.
struct ServerAssembly: Sendable {
    let chat: ChatService
    let hub: RoomHub
    let encoder: FrameEncoder
    let pipeline: MessagePipeline
    let sessionWorkers: SessionWorkers
    let connectionTimers: ConnectionTimers
    let tokens: TokenAuthority
    let knownUsers: KnownUsers
    let revokedTokens: RevokedTokens
    let limits: ServerLimits
    let metrics: ServerMetrics
    let logger: Logger

    init(
        store: any ChatStore, cluster: any Cluster, configuration: ServerConfiguration, secret: String, metrics: ServerMetrics, logger: Logger
    ) async throws {
        limits = configuration.limits
        self.metrics = metrics
        self.logger = logger
        tokens = await TokenAuthority(secret: secret, lifetime: configuration.tokenLifetime)
        knownUsers = KnownUsers { id in try await store.user(id: id) != nil }
        // Other nodes share the store when there are other nodes to forward to: a logout on one
        // is looked up there by the others.
        let sharedLookup: (@Sendable (String) async throws -> Bool)? =
            cluster.forward == nil ? nil : { @Sendable hash in try await store.isTokenRevoked(hash: hash) }
        revokedTokens = RevokedTokens(try await store.revokedTokens(after: Date()), sharedLookup: sharedLookup)
        let deliveries = DeliveryTracker()
        let hub = RoomHub(
            bounds: .init(frames: limits.outboundQueueFrames, bytes: limits.outboundQueueBytes, gapTimeout: limits.logGapTimeout),
            deliveries: deliveries, metrics: metrics
        )
        let blocks = BlockGraph(try await store.allBlocks())
        let encoder = FrameEncoder()
        let publisher = EventPublisher(hub: hub, blocks: blocks, cluster: cluster, encoder: encoder, metrics: metrics)
        let pipeline = MessagePipeline(store: store, metrics: metrics, logger: logger) { committed, committedAt in
            publisher.roomLog(committed.map { ($0.entry, $0.originConnectionID) }, committedAt: committedAt)
        }
        self.hub = hub
        self.encoder = encoder
        self.pipeline = pipeline
        sessionWorkers = SessionWorkers()
        connectionTimers = ConnectionTimers(pingInterval: .init(limits.pingInterval))
        chat = ChatService(
            store: store, writer: pipeline, fanOut: publisher, presence: NodePresence(hub: hub, cluster: cluster), connections: hub,
            encoder: encoder, blocks: blocks,
            typing: TypingTracker(timeout: limits.typingTimeout), deliveries: deliveries,
            tokens: tokens, revokedTokens: revokedTokens, passwords: PasswordHasher(cost: configuration.bcryptCost),
            loginThrottle: LoginThrottle(allowed: limits.loginFailuresAllowed, window: limits.loginFailureWindow),
            sendLimiter: RateLimiter(burst: limits.sendBurst, refillPerSecond: limits.sendRefillPerSecond, refusals: metrics.rateLimited),
            limits: limits, logger: logger
        )
    }

    /// What the server runs beside the HTTP application, in the order of the service group
    /// (shutdown runs in reverse: sockets closed with 1001 first, then the sessions' last
    /// jobs, then the last commits).
    func services(around application: any Service) -> [any Service] {
        let chat = chat
        let sweeper = AttachmentSweeper(interval: limits.attachmentSweepInterval, sweep: { try await chat.pruneUnsentAttachments() }, logger: logger)
        return [pipeline, sessionWorkers, application, Housekeeping(hub: hub) { chat.tick() }, sweeper]
    }
}
