import FitChatProtocol
import Foundation
import Logging

/// The rules of the chat, shared by REST handlers and WebSocket sessions: who may do what,
/// what is stored, and who hears about it. Transport code only translates to and from this.
final class ChatService: Sendable {
    let store: any ChatStore
    let cluster: any Cluster
    let hub: RoomHub
    let blocks: BlockGraph
    let publisher: EventPublisher
    let pipeline: MessagePipeline
    let typing: TypingTracker
    let deliveries: DeliveryTracker
    let tokens: TokenAuthority
    let revokedTokens: RevokedTokens
    let passwords: PasswordHasher
    let loginThrottle: LoginThrottle
    let sendLimiter: RateLimiter
    let limits: ServerLimits
    let logger: Logger

    /// Built by `ServerAssembly`, the one place that constructs the parts.
    init(
        store: any ChatStore, cluster: any Cluster, hub: RoomHub, blocks: BlockGraph, publisher: EventPublisher, pipeline: MessagePipeline,
        typing: TypingTracker, deliveries: DeliveryTracker, tokens: TokenAuthority, revokedTokens: RevokedTokens, passwords: PasswordHasher,
        loginThrottle: LoginThrottle, sendLimiter: RateLimiter, limits: ServerLimits, logger: Logger
    ) {
        self.store = store
        self.cluster = cluster
        self.hub = hub
        self.blocks = blocks
        self.publisher = publisher
        self.pipeline = pipeline
        self.typing = typing
        self.deliveries = deliveries
        self.tokens = tokens
        self.revokedTokens = revokedTokens
        self.passwords = passwords
        self.loginThrottle = loginThrottle
        self.sendLimiter = sendLimiter
        self.limits = limits
        self.logger = logger
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
    @discardableResult
    func requireMembership(_ userID: UserID, in roomID: RoomID) async throws -> RoomRecord {
        guard let room = try await store.room(id: roomID) else { throw ServerError.notFound("no room \(roomID)") }
        guard try await store.isMember(userID, of: roomID) else { throw ServerError.notAMember }
        return room
    }

    /// A user as `viewer` may see them: presence is hidden across a block.
    func userInfo(_ user: UserRecord, viewer: UserID) -> UserInfo {
        var info = UserInfo(
            id: user.id, username: user.username, displayName: user.isHook ? nil : user.displayName, createdAt: user.createdAt,
            isHook: user.isHook ? true : nil
        )
        if user.id == viewer || !blocks.isBlocked(user.id, eitherWay: viewer) {
            info.isOnline = hub.isOnline(user.id) || cluster.isOnlineElsewhere(user.id)
            info.lastSeen = user.lastSeen
        }
        return info
    }
}
