import FitChatProtocol
import Foundation
import Logging

/// The rules of the chat, shared by REST handlers and WebSocket sessions: who may do what,
/// what is stored, and who hears about it. Transport code only translates to and from this.
final class ChatService: Sendable {
    let store: any ChatStore
    let writer: any RoomWriter
    let fanOut: any EventFanOut
    let presence: any PresenceDirectory
    let connections: any LiveConnections
    let encoder: FrameEncoder
    let blocks: BlockGraph
    let typing: TypingTracker
    let deliveries: DeliveryTracker
    let tokens: TokenAuthority
    let revokedTokens: RevokedTokens
    let passwords: PasswordHasher
    let loginThrottle: LoginThrottle
    let sendLimiter: RateLimiter
    let limits: ServerLimits
    let logger: Logger

    /// Built by `ServerAssembly`, the one place that constructs the parts; the rules see the
    /// store, the writer, the fan-out, presence and connections only through these ports.
    init(
        store: any ChatStore, writer: any RoomWriter, fanOut: any EventFanOut, presence: any PresenceDirectory,
        connections: any LiveConnections, encoder: FrameEncoder, blocks: BlockGraph, typing: TypingTracker, deliveries: DeliveryTracker, tokens: TokenAuthority, revokedTokens: RevokedTokens, passwords: PasswordHasher,
        loginThrottle: LoginThrottle, sendLimiter: RateLimiter, limits: ServerLimits, logger: Logger
    ) {
        self.store = store
        self.writer = writer
        self.fanOut = fanOut
        self.presence = presence
        self.connections = connections
        self.encoder = encoder
        self.blocks = blocks
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
            info.isOnline = presence.isOnline(user.id)
            info.lastSeen = user.lastSeen
        }
        return info
    }
}
