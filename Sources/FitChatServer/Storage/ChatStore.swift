import FitChatProtocol
import Foundation

/// Persistence for everything that outlives a connection. Narrow on purpose: the SQLite and
/// PostgreSQL backends implement exactly this, and one contract test suite checks both.
public protocol ChatStore: Sendable {
    // Users
    func createUser(username: String, displayName: String?, passwordHash: String, at: Date) async throws -> UserRecord
    func user(id: UserID) async throws -> UserRecord?
    func user(username: String) async throws -> UserRecord?
    func passwordHash(userID: UserID) async throws -> String?
    func searchUsers(matching query: String, limit: Int) async throws -> [UserRecord]
    /// Users whose id begins with `prefix`: how a short id that a person typed is found.
    func users(idPrefix prefix: ChatIDPrefix, limit: Int) async throws -> [UserRecord]
    func setLastSeen(_ date: Date, userID: UserID) async throws

    // Tokens
    /// Remembers a logged-out token (by hash) until it would have expired anyway.
    func revokeToken(hash: String, until expiry: Date) async throws
    /// Every revoked token that has not expired yet, to warm the in-memory set at start-up.
    func revokedTokens(after date: Date) async throws -> [(hash: String, expiry: Date)]
    func isTokenRevoked(hash: String) async throws -> Bool

    // Incoming webhooks
    /// Creates the hook with a user of its own (`is_hook`), a participant of the room, whose
    /// messages come from it: one transaction.
    func createWebhook(roomID: RoomID, name: String, secretHash: String, creatorID: UserID, at: Date) async throws -> WebhookRecord
    func webhooks(in roomID: RoomID) async throws -> [WebhookRecord]
    func webhook(id: WebhookInfo.ID) async throws -> WebhookRecord?
    func webhook(secretHash: String) async throws -> WebhookRecord?
    /// Deletes the hook and takes its user out of the room (its messages stay).
    func deleteWebhook(id: WebhookInfo.ID) async throws

    // Attachments
    /// Starts an upload; `notAMember` unless the uploader is a participant of the room.
    func createAttachment(_ new: NewAttachment) async throws -> AttachmentRecord
    /// Stores chunk `index` (from 0) of an upload in progress.
    func storeAttachmentChunk(_ id: AttachmentInfo.ID, index: Int, bytes: Data) async throws
    /// Marks the upload complete: from now on it can be sent and read.
    func finishAttachment(_ id: AttachmentInfo.ID, size: Int64, sha256: String) async throws -> AttachmentRecord
    func attachment(id: AttachmentInfo.ID) async throws -> AttachmentRecord?
    func attachmentChunk(_ id: AttachmentInfo.ID, index: Int) async throws -> Data?
    func deleteAttachment(id: AttachmentInfo.ID) async throws
    /// Removes files no message refers to that were created before `date` (unfinished uploads
    /// among them); returns how many went.
    func pruneUnsentAttachments(createdBefore date: Date) async throws -> Int

    // Friends and blocks
    func friends(of userID: UserID) async throws -> [UserRecord]
    func friendRequests(involving userID: UserID) async throws -> [FriendRequestRecord]
    func friendRequest(id: FriendRequestID) async throws -> FriendRequestRecord?
    func friendRequest(between first: UserID, and second: UserID) async throws -> FriendRequestRecord?
    func createFriendRequest(from requester: UserID, to addressee: UserID, at: Date) async throws -> FriendRequestRecord
    func acceptFriendRequest(id: FriendRequestID, at: Date) async throws -> FriendRequestRecord
    func deleteFriendRequest(id: FriendRequestID) async throws
    /// Every block of the server, to warm the in-memory block graph at start-up.
    func allBlocks() async throws -> [BlockRecord]
    func blockedUsers(by blocker: UserID) async throws -> [UserRecord]
    /// Blocks, and ends any friendship or pending request between the two.
    func block(_ blocked: UserID, by blocker: UserID, at: Date) async throws
    func unblock(_ blocked: UserID, by blocker: UserID) async throws -> Bool
    /// Friends and everyone sharing a room: who may see this user's presence.
    func presenceAudience(of userID: UserID) async throws -> Set<UserID>

    // Rooms
    func createGroupRoom(name: String, ownerID: UserID, memberIDs: [UserID], at: Date) async throws -> RoomRecord
    /// The direct room of the pair, created if it does not exist yet; atomic under concurrency.
    func findOrCreateDirectRoom(between first: UserID, and second: UserID, at: Date) async throws -> (room: RoomRecord, created: Bool)
    func room(id: RoomID) async throws -> RoomRecord?
    func members(of roomID: RoomID) async throws -> [UserRecord]
    func memberIDs(of roomID: RoomID) async throws -> [UserID]
    func isMember(_ userID: UserID, of roomID: RoomID) async throws -> Bool
    func roomSummaries(for userID: UserID, hiddenSenders: Set<UserID>) async throws -> [RoomSummary]
    func renameRoom(_ roomID: RoomID, to name: String) async throws
    func deleteRoom(_ roomID: RoomID) async throws
    /// Adds those not already members; returns who was added.
    func addMembers(_ userIDs: [UserID], to roomID: RoomID, at: Date) async throws -> [UserID]
    func removeMember(_ userID: UserID, from roomID: RoomID) async throws -> Bool

    // Messages
    /// Stores a batch in one transaction (group commit), giving each change the room's next
    /// `seq` without gaps. Each write fails or succeeds on its own; a repeated `client_msg_id`
    /// returns the original.
    func commit(_ batch: [RoomWrite]) async throws -> [Result<RoomCommit, StoreError>]
    /// The room's log after `afterSeq` (messages in their current state, edits, deletions,
    /// reactions), minus what `hiddenSenders` sent or did: what a resuming client missed.
    func roomLog(in roomID: RoomID, afterSeq: Int64, limit: Int, hiddenSenders: Set<UserID>) async throws -> RoomLogPage
    /// With `afterSeq`: the oldest messages after it. Otherwise the newest before `beforeSeq` (or
    /// the end). Always returned in `seq` order, tombstones included, with their reactions.
    func messages(in roomID: RoomID, afterSeq: Int64?, beforeSeq: Int64?, limit: Int, hiddenSenders: Set<UserID>) async throws -> [ChatMessage]
    func messages(ids: [MessageID], in roomID: RoomID) async throws -> [ChatMessage]
    /// Moves the member's read marker forward (never back).
    func markRead(roomID: RoomID, userID: UserID, upToSeq: Int64) async throws -> ReadMarkerChange
    func unreadCount(roomID: RoomID, userID: UserID, hiddenSenders: Set<UserID>) async throws -> Int
    /// Finds every message committed before the call, even one `indexForSearch` has not reached.
    func searchMessages(_ query: String, visibleTo userID: UserID, roomID: RoomID?, hiddenSenders: Set<UserID>, limit: Int) async throws -> [ChatMessage]
    /// Indexes up to `limit` committed messages for search; returns how many still wait. A store
    /// that indexes in the commit itself has none waiting. The message pipeline calls this
    /// between batches, so that indexing stays out of the commits that acknowledgements wait for.
    func indexForSearch(limit: Int) async throws -> Int
    /// Messages of the reader's rooms whose id begins with `prefix`, newest first.
    func messages(idPrefix prefix: ChatIDPrefix, visibleTo userID: UserID, roomID: RoomID?, hiddenSenders: Set<UserID>, limit: Int) async throws -> [ChatMessage]
}

public struct UserRecord: Sendable, Equatable {
    public var id: UserID
    /// For a hook's user, the hook's name (its stored handle is never shown).
    public var username: String
    public var displayName: String?
    public var createdAt: Date
    public var lastSeen: Date?
    public var isHook = false
}

public struct WebhookRecord: Sendable, Equatable {
    public var id: WebhookInfo.ID
    public var roomID: RoomID
    public var userID: UserID
    public var name: String
    public var creatorID: UserID
    public var createdAt: Date

    /// The username a hook's user is stored under: `~` is in no username a person can take,
    /// so hooks never collide with people or with each other.
    static func handle(of userID: UserID) -> String {
        "~hook-" + userID.uuidString
    }
}

public struct RoomRecord: Sendable, Equatable {
    public var id: RoomID
    public var kind: RoomInfo.Kind
    public var name: String?
    public var ownerID: UserID?
    public var createdAt: Date
    public var lastSeq: Int64
}

/// A room as listed for one member: its members, unread count and last visible message.
public struct RoomSummary: Sendable, Equatable {
    public var room: RoomRecord
    public var members: [UserRecord]
    public var lastReadSeq: Int64
    public var unreadCount: Int
    public var lastMessage: ChatMessage?
}

public struct FriendRequestRecord: Sendable, Equatable {
    public var id: FriendRequestID
    public var requesterID: UserID
    public var addresseeID: UserID
    public var accepted: Bool
    public var createdAt: Date
}

public struct ReadMarkerChange: Sendable, Equatable {
    public var previous: Int64
    public var current: Int64
}

public struct BlockRecord: Sendable, Equatable {
    public var blockerID: UserID
    public var blockedID: UserID
}

/// A message on its way into the store.
public struct NewMessage: Sendable, Equatable {
    public var roomID: RoomID
    public var senderID: UserID
    public var senderUsername: String
    public var content: String
    public var messageType: String
    public var replyToID: MessageID?
    public var clientMessageID: String?
    public var createdAt: Date
    public var attachmentID: AttachmentInfo.ID? = nil
}

/// A stored message, or the original when the `client_msg_id` was seen before.
public enum AppendOutcome: Sendable, Equatable {
    case stored(ChatMessage)
    case duplicate(ChatMessage)

    public var message: ChatMessage {
        switch self {
        case .stored(let message), .duplicate(let message): message
        }
    }
}
