import Crypto
import FitChatProtocol
import Foundation

/// Incoming webhooks: a room's URL that anything speaking Slack's incoming-webhook JSON (or
/// plain text) posts to. The URL holds a long random secret of which only a hash is kept; the
/// hook posts as a user of its own, a participant of the room that cannot log in or read.
extension ChatService {
    func createWebhook(in roomID: RoomID, _ request: CreateWebhookRequest, caller: AuthenticatedUser, baseURL: String) async throws -> WebhookInfo {
        let room = try await requireMembership(caller.id, in: roomID)
        guard room.kind == .group else { throw ServerError.invalid("a direct room has exactly two participants: no room for a hook") }
        let name = try Validation.webhookName(request.name)
        var secretBytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in secretBytes.indices { secretBytes[index] = generator.next() }
        let secret = Data(secretBytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let hook = try await store.createWebhook(roomID: roomID, name: name, secretHash: Self.hash(secret), creatorID: caller.id, at: Date())
        try await announce(roomID, change: .participantAdded, userIDs: [hook.userID])
        logger.info("webhook created", metadata: ["room_id": "\(roomID)", "webhook_id": "\(hook.id)"])
        var info = Self.info(hook)
        info.url = baseURL + "/hooks/" + secret
        return info
    }

    func webhooks(in roomID: RoomID, caller: AuthenticatedUser) async throws -> [WebhookInfo] {
        _ = try await requireMembership(caller.id, in: roomID)
        return try await store.webhooks(in: roomID).map(Self.info)
    }

    /// Its creator or the room's owner deletes a hook; its messages stay.
    func deleteWebhook(_ hookID: WebhookInfo.ID, in roomID: RoomID, caller: AuthenticatedUser) async throws {
        let room = try await requireMembership(caller.id, in: roomID)
        guard let hook = try await store.webhook(id: hookID), hook.roomID == roomID else { throw ServerError.notFound("no webhook \(hookID) in this room") }
        guard hook.creatorID == caller.id || room.ownerID == caller.id else {
            throw ServerError.forbidden("only the hook's creator or the room's owner can delete it")
        }
        try await store.deleteWebhook(id: hookID)
        await fanOut.memberLeft(hook.userID, roomID: roomID)
        try await announce(roomID, change: .participantRemoved, userIDs: [hook.userID])
    }

    /// `POST /hooks/{secret}`: the body as the hook's message, sent as a user's would be
    /// (content rules, rate limit, group commit, every node).
    func postFromWebhook(secret: String, body: Data, contentType: String?) async throws {
        guard let hook = try await store.webhook(secretHash: Self.hash(secret)) else { throw ServerError.notFound("no such webhook") }
        let content = try IncomingWebhookBody.content(of: body, contentType: contentType)
        let sender = AuthenticatedUser(id: hook.userID, username: hook.name, expiresAt: .distantFuture, tokenDigest: nil)
        do {
            _ = try await send(SendRequest(roomID: hook.roomID, content: content), from: sender, connectionID: nil)
        } catch ServerError.notAMember {
            throw ServerError.notFound("this webhook no longer posts: its user was removed from the room")
        }
    }

    private static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func info(_ hook: WebhookRecord) -> WebhookInfo {
        WebhookInfo(id: hook.id, roomID: hook.roomID, name: hook.name, userID: hook.userID, creatorID: hook.creatorID, createdAt: hook.createdAt)
    }
}
