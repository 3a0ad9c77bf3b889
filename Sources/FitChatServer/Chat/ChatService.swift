import FitChatProtocol
import Foundation
import Logging

/// The rules of the chat, shared by REST handlers and WebSocket sessions: who may do what,
/// what is stored, and who hears about it. Transport code only translates to and from this.
final class ChatService: Sendable {
    let store: any ChatStore
    let hub: RoomHub
    let blocks: BlockGraph
    let cluster: any Cluster
    let publisher: EventPublisher
    let pipeline: MessagePipeline
    let sessionWorkers = SessionWorkers()
    let typing: TypingTracker
    let deliveries: DeliveryTracker
    let tokens: TokenAuthority
    let revokedTokens: RevokedTokens
    let passwords: PasswordHasher
    let loginThrottle: LoginThrottle
    let sendLimiter: RateLimiter
    let limits: ServerLimits
    let logger: Logger

    init(store: any ChatStore, cluster: any Cluster, configuration: ServerConfiguration, tokens: TokenAuthority, logger: Logger) async throws {
        self.store = store
        self.cluster = cluster
        self.tokens = tokens
        // Other nodes share the store when there are other nodes to forward to.
        let lookup: (@Sendable (String) async throws -> Bool)? = cluster.forward == nil ? nil : { @Sendable hash in try await store.isTokenRevoked(hash: hash) }
        revokedTokens = RevokedTokens(try await store.revokedTokens(after: Date()), sharedLookup: lookup)
        self.logger = logger
        limits = configuration.limits
        let deliveries = DeliveryTracker()
        self.deliveries = deliveries
        hub = RoomHub(bounds: .init(frames: limits.outboundQueueFrames, bytes: limits.outboundQueueBytes), deliveries: deliveries)
        blocks = BlockGraph(try await store.allBlocks())
        typing = TypingTracker(timeout: limits.typingTimeout)
        passwords = PasswordHasher(cost: configuration.bcryptCost)
        loginThrottle = LoginThrottle(allowed: limits.loginFailuresAllowed, window: limits.loginFailureWindow)
        sendLimiter = RateLimiter(burst: limits.sendBurst, refillPerSecond: limits.sendRefillPerSecond)
        let publisher = EventPublisher(hub: hub, blocks: blocks, cluster: cluster)
        self.publisher = publisher
        pipeline = MessagePipeline(store: store, logger: logger) { committed in
            publisher.newMessages(committed.map { ($0.message, $0.originConnectionID) })
        }
    }

    // MARK: Shared lookups

    func requireUser(_ id: UserID) async throws -> UserRecord {
        guard let user = try await store.user(id: id) else { throw ServerError.notFound("no user \(id)") }
        return user
    }

    /// Resolves `{user_id | username}` as REST bodies give it.
    func resolve(_ reference: UserReference) async throws -> UserRecord {
        if let id = reference.userID { return try await requireUser(id) }
        if let username = reference.username {
            guard let user = try await store.user(username: username) else { throw ServerError.notFound("no user named \(username)") }
            return user
        }
        throw ServerError.invalid("user_id or username is required")
    }

    /// The room, if `userID` is one of its participants; `not_found` and `not_a_member` otherwise.
    func requireMembership(_ userID: UserID, in roomID: RoomID) async throws -> RoomRecord {
        guard let room = try await store.room(id: roomID) else { throw ServerError.notFound("no room \(roomID)") }
        guard try await store.isMember(userID, of: roomID) else { throw ServerError.notAMember }
        return room
    }

    /// A user as `viewer` may see them: presence is hidden across a block.
    func userInfo(_ user: UserRecord, viewer: UserID) -> UserInfo {
        var info = UserInfo(id: user.id, username: user.username, displayName: user.displayName, createdAt: user.createdAt)
        if user.id == viewer || !blocks.isBlocked(user.id, eitherWay: viewer) {
            info.isOnline = hub.isOnline(user.id) || cluster.isOnlineElsewhere(user.id)
            info.lastSeen = user.lastSeen
        }
        return info
    }
}
