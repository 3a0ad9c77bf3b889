import FitChatProtocol
import Foundation

/// A message's life after it is sent: edits, deletions, reactions. Each is an entry of the
/// room's log, committed and published by the pipeline in `seq` order with the messages, and
/// rate-limited with them (every entry is a frame to every subscriber).
extension ChatService {
    /// Sender only; the content follows the rules of a send.
    func edit(_ messageID: MessageID, content raw: String, caller: AuthenticatedUser, connectionID: UInt64?) async throws -> MessageEdited {
        let content = try Validation.content(raw, maxLength: limits.maxContentLength)
        try sendLimiter.acquire(for: caller.id)
        let commit = try await writer.commit(.edit(messageID: messageID, editorID: caller.id, content: content, at: Date()), originConnectionID: connectionID)
        guard case .logged(let entry) = commit, case .edited(let edit) = entry.event else { throw ServerError.internalError }
        return edit
    }

    /// The sender or the room's owner; a tombstone stays. Deleting it again changes nothing.
    func delete(_ messageID: MessageID, caller: AuthenticatedUser, connectionID: UInt64?) async throws -> MessageDeleted {
        try sendLimiter.acquire(for: caller.id)
        switch try await writer.commit(.delete(messageID: messageID, actorID: caller.id, at: Date()), originConnectionID: connectionID) {
        case .logged(let entry):
            guard case .deleted(let deletion) = entry.event else { throw ServerError.internalError }
            return deletion
        case .unchanged(.deleted(let deletion)):
            return deletion
        default:
            throw ServerError.internalError
        }
    }

    /// Any participant; one reaction per user, emoji and message, so repeating it changes nothing.
    func react(_ messageID: MessageID, emoji raw: String, on: Bool, caller: AuthenticatedUser, connectionID: UInt64?) async throws -> Reaction {
        let emoji = try Validation.emoji(raw)
        try sendLimiter.acquire(for: caller.id)
        let write = RoomWrite.react(messageID: messageID, userID: caller.id, emoji: emoji, on: on, at: Date(), maxDistinct: limits.maxDistinctReactions)
        let commit = try await writer.commit(write, originConnectionID: connectionID)
        if case .logged(let entry) = commit, case .reaction(let reaction) = entry.event { return reaction }
        if case .unchanged(.reaction(let reaction)) = commit { return reaction }
        throw ServerError.internalError
    }
}
