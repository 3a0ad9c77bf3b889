import FitChatProtocol
import Foundation

/// Every REST endpoint of PROTOCOL.md, typed.
extension ChatAPI {
    public func health() async throws(ClientError) -> HealthStatus { try await call(.GET, "/health") }

    // MARK: Accounts

    public func register(_ request: RegisterRequest) async throws(ClientError) -> AuthResponse {
        try await call(.POST, "/api/auth/register", body: request)
    }

    public func login(_ request: LoginRequest) async throws(ClientError) -> AuthResponse {
        try await call(.POST, "/api/auth/login", body: request)
    }

    /// Revokes this client's token on the server (every node refuses it afterwards).
    public func logout() async throws(ClientError) { try await perform(.POST, "/api/auth/logout") }

    public func me() async throws(ClientError) -> UserInfo { try await call(.GET, "/api/users/me") }

    public func user(_ id: UserID) async throws(ClientError) -> UserInfo { try await call(.GET, "/api/users/\(id)") }

    public func searchUsers(_ query: String) async throws(ClientError) -> [UserInfo] {
        try await call(.GET, "/api/users/search?q=\(Self.escape(query))")
    }

    /// Users whose id begins with `prefix`.
    public func users(idPrefix prefix: ChatIDPrefix) async throws(ClientError) -> [UserInfo] {
        try await call(.GET, "/api/users/search?id_prefix=\(prefix.digits)")
    }

    // MARK: Friends and blocks

    public func friends() async throws(ClientError) -> [UserInfo] { try await call(.GET, "/api/friends") }

    public func friendRequests() async throws(ClientError) -> FriendRequestList { try await call(.GET, "/api/friends/requests") }

    public func requestFriendship(_ user: UserReference) async throws(ClientError) -> FriendRequestInfo {
        try await call(.POST, "/api/friends/requests", body: user)
    }

    public func acceptFriendRequest(_ id: FriendRequestID) async throws(ClientError) -> FriendRequestInfo {
        try await call(.POST, "/api/friends/requests/\(id)/accept")
    }

    public func declineFriendRequest(_ id: FriendRequestID) async throws(ClientError) {
        try await perform(.POST, "/api/friends/requests/\(id)/decline")
    }

    public func removeFriend(_ userID: UserID) async throws(ClientError) { try await perform(.DELETE, "/api/friends/\(userID)") }

    public func blocks() async throws(ClientError) -> [UserInfo] { try await call(.GET, "/api/blocks") }

    public func block(_ user: UserReference) async throws(ClientError) -> UserInfo { try await call(.POST, "/api/blocks", body: user) }

    public func unblock(_ userID: UserID) async throws(ClientError) { try await perform(.DELETE, "/api/blocks/\(userID)") }

    // MARK: Rooms

    public func rooms() async throws(ClientError) -> [RoomInfo] { try await call(.GET, "/api/rooms") }

    public func room(_ id: RoomID) async throws(ClientError) -> RoomInfo { try await call(.GET, "/api/rooms/\(id)") }

    public func createRoom(_ request: CreateRoomRequest) async throws(ClientError) -> RoomInfo {
        try await call(.POST, "/api/rooms", body: request)
    }

    public func renameRoom(_ id: RoomID, to name: String) async throws(ClientError) -> RoomInfo {
        try await call(.PATCH, "/api/rooms/\(id)", body: RenameRoomRequest(name: name))
    }

    public func deleteRoom(_ id: RoomID) async throws(ClientError) { try await perform(.DELETE, "/api/rooms/\(id)") }

    public func addParticipants(_ id: RoomID, _ request: AddParticipantsRequest) async throws(ClientError) -> RoomInfo {
        try await call(.POST, "/api/rooms/\(id)/participants", body: request)
    }

    /// Removes a participant; the caller's own id leaves the room.
    public func removeParticipant(_ userID: UserID, from id: RoomID) async throws(ClientError) {
        try await perform(.DELETE, "/api/rooms/\(id)/participants/\(userID)")
    }

    // MARK: Messages

    /// A page of history, oldest first.
    public func messages(in id: RoomID, beforeSeq: Int64? = nil, afterSeq: Int64? = nil, limit: Int? = nil)
        async throws(ClientError) -> [ChatMessage]
    {
        var query: [String] = []
        if let beforeSeq { query.append("before_seq=\(beforeSeq)") }
        if let afterSeq { query.append("after_seq=\(afterSeq)") }
        if let limit { query.append("limit=\(limit)") }
        return try await call(.GET, "/api/rooms/\(id)/messages" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
    }

    public func postMessage(_ request: PostMessageRequest, to id: RoomID) async throws(ClientError) -> ChatMessage {
        try await call(.POST, "/api/rooms/\(id)/messages", body: request)
    }

    /// Sender only: the message in its new state.
    public func editMessage(_ id: MessageID, content: String) async throws(ClientError) -> ChatMessage {
        try await call(.PATCH, "/api/messages/\(id)", body: EditMessageRequest(content: content))
    }

    /// The sender or the room's owner; a tombstone stays in history.
    public func deleteMessage(_ id: MessageID) async throws(ClientError) { try await perform(.DELETE, "/api/messages/\(id)") }

    /// Adds (or with `on: false` removes) the caller's reaction; repeating it changes nothing.
    public func react(_ id: MessageID, emoji: String, on: Bool = true) async throws(ClientError) {
        try await perform(on ? .PUT : .DELETE, "/api/messages/\(id)/reactions/\(Self.escape(emoji))")
    }

    public func markRead(_ id: RoomID, _ request: MarkReadRequest = MarkReadRequest()) async throws(ClientError) -> ReadState {
        try await call(.POST, "/api/rooms/\(id)/read", body: request)
    }

    public func searchMessages(_ query: String, roomID: RoomID? = nil) async throws(ClientError) -> [ChatMessage] {
        try await call(.GET, "/api/messages/search?q=\(Self.escape(query))" + (roomID.map { "&room_id=\($0)" } ?? ""))
    }

    // MARK: Webhooks

    public func webhooks(in roomID: RoomID) async throws(ClientError) -> [WebhookInfo] {
        try await call(.GET, "/api/rooms/\(roomID)/webhooks")
    }

    /// The answer holds the hook's URL, the only time it is ever shown.
    public func createWebhook(in roomID: RoomID, name: String) async throws(ClientError) -> WebhookInfo {
        try await call(.POST, "/api/rooms/\(roomID)/webhooks", body: CreateWebhookRequest(name: name))
    }

    public func deleteWebhook(_ id: WebhookInfo.ID, in roomID: RoomID) async throws(ClientError) {
        try await perform(.DELETE, "/api/rooms/\(roomID)/webhooks/\(id)")
    }

    /// Messages of the caller's rooms (or of `roomID`) whose id begins with `prefix`, newest first.
    public func messages(idPrefix prefix: ChatIDPrefix, roomID: RoomID? = nil) async throws(ClientError) -> [ChatMessage] {
        try await call(.GET, "/api/messages/search?id_prefix=\(prefix.digits)" + (roomID.map { "&room_id=\($0)" } ?? ""))
    }

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
