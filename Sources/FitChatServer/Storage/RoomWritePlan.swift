import FitChatProtocol
import Foundation

/// What a room write will do, decided once for both stores. A store reads the facts inside
/// its transaction (`MessageFacts`, `TargetFacts`), asks for the plan, and carries it out in
/// the same transaction: the SQL differs between the stores, the rules do not.
enum RoomWritePlan: Sendable, Equatable {
    /// Nothing to write: refused before anything is written (so the batch's other writes
    /// stand), the original of a repeated `client_msg_id`, or already so (deleting a
    /// tombstone, a reaction already there or already gone).
    case settled(Result<RoomCommit, StoreError>)
    /// Takes the room's next `seq` and makes the change.
    case change(RoomChange)

    private static func refused(_ refusal: StoreError) -> RoomWritePlan {
        .settled(.failure(refusal))
    }

    private static func unchanged(_ event: RoomLogEntry.Event) -> RoomWritePlan {
        .settled(.success(.unchanged(event)))
    }

    /// A new message: the sender must be a participant, a reply must stay in the room, a file
    /// must be a finished upload of the sender's to this room, sent once.
    static func message(_ new: NewMessage, facts: MessageFacts) -> RoomWritePlan {
        guard facts.senderIsMember else { return .refused(.notAMember) }
        if let original = facts.original { return .settled(.success(.message(.duplicate(original)))) }
        if let replyTo = new.replyToID, !facts.replyIsInRoom {
            return .refused(.invalidReference("reply_to_id \(replyTo) is not a message of this room"))
        }
        var attached: AttachmentInfo?
        if let attachmentID = new.attachmentID {
            guard let record = facts.attachment else {
                return .refused(.invalidReference("attachment_id \(attachmentID) is not a file uploaded to this room"))
            }
            if let refusal = record.refusal(for: new, alreadySent: facts.attachmentAlreadySent) { return .refused(refusal) }
            attached = record.info
        }
        return .change(RoomChange(roomID: new.roomID, effect: .insertMessage(new, id: .random(), attachment: attached)))
    }

    /// An edit (the sender's, of a message not deleted), a deletion (the sender's or the room
    /// owner's) or a reaction (any participant's, on a message not deleted, within the limit of
    /// distinct emoji). Each needs the actor to be a participant of the message's room.
    static func change(_ write: RoomWrite, target: TargetFacts, reaction: ReactionFacts?) -> RoomWritePlan {
        do {
            return try changePlan(write, target: target, reaction: reaction)
        } catch {
            return .refused(error)
        }
    }

    private static func changePlan(_ write: RoomWrite, target: TargetFacts, reaction: ReactionFacts?) throws(StoreError) -> RoomWritePlan {
        switch write {
        case .message:
            throw .inconsistent("a message write planned as a change")
        case .edit(let messageID, let editorID, let content, let date):
            let message = try target.message(messageID)
            guard message.senderID == editorID else { throw .forbidden("only the sender edits a message") }
            guard message.deleted != true else { throw .notFound("message \(messageID) was deleted") }
            return .change(RoomChange(roomID: message.roomID, effect: .edit(message, editorID: editorID, content: content, at: date)))
        case .delete(let messageID, let actorID, let date):
            let message = try target.message(messageID)
            guard message.senderID == actorID || target.ownerID == actorID else {
                throw .forbidden("only the sender or the room's owner deletes a message")
            }
            guard message.deleted != true else { return .unchanged(.deleted(MessageDeleted(id: messageID, roomID: message.roomID))) }
            return .change(RoomChange(roomID: message.roomID, effect: .delete(message, actorID: actorID, at: date)))
        case .react(let messageID, let userID, let emoji, let on, let date, let maxDistinct):
            let message = try target.message(messageID)
            guard message.deleted != true else { throw .notFound("message \(messageID) was deleted") }
            guard let facts = reaction else { throw .inconsistent("a reaction planned without its facts") }
            let change = Reaction(messageID: messageID, roomID: message.roomID, userID: userID, emoji: emoji, on: on, username: facts.actorName)
            guard facts.alreadyOn != on else { return .unchanged(.reaction(change)) }
            if on, !facts.emojiKnown, facts.distinctEmoji >= maxDistinct {
                throw .invalidReference("a message holds at most \(maxDistinct) different reactions")
            }
            return .change(RoomChange(roomID: message.roomID, effect: .react(message, reaction: change, at: date)))
        }
    }
}

/// What the rules of a new message need to know, read in the write's transaction.
struct MessageFacts: Sendable {
    var senderIsMember: Bool
    /// The sender's message in this room with the same `client_msg_id`, if any.
    var original: ChatMessage?
    /// Whether `reply_to_id` names a message of this room (true when it replies to nothing).
    var replyIsInRoom = true
    /// The file named by `attachment_id`, if it exists.
    var attachment: AttachmentRecord?
    var attachmentAlreadySent = false
}

/// What the rules of an edit, deletion or reaction need to know about its message.
struct TargetFacts: Sendable {
    /// Nil when there is no such message.
    var message: ChatMessage?
    /// The owner of the message's room (a group's owner may delete any message in it).
    var ownerID: UserID?
    /// Whether the actor is a participant of the message's room.
    var actorIsMember: Bool

    /// The message, if there is one and the actor may see it.
    func message(_ id: MessageID) throws(StoreError) -> ChatMessage {
        guard let message else { throw .notFound("no message \(id)") }
        guard actorIsMember else { throw .notAMember }
        return message
    }
}

/// What a reaction's rules need to know beyond its message.
struct ReactionFacts: Sendable {
    /// The name the reaction is shown with.
    var actorName: String?
    /// Whether this user already reacted to the message with this emoji.
    var alreadyOn: Bool
    /// Whether anyone reacted to the message with this emoji.
    var emojiKnown: Bool
    var distinctEmoji: Int
}

/// A change that takes the room's next `seq`: what a store writes, and what it logs.
struct RoomChange: Sendable, Equatable {
    enum Effect: Sendable, Equatable {
        case insertMessage(NewMessage, id: MessageID, attachment: AttachmentInfo?)
        case edit(ChatMessage, editorID: UserID, content: String, at: Date)
        /// Empties the message, drops its reactions and its file; a tombstone stays.
        case delete(ChatMessage, actorID: UserID, at: Date)
        case react(ChatMessage, reaction: Reaction, at: Date)
    }

    var roomID: RoomID
    var effect: Effect

    /// The row of `room_events` that records an edit, deletion or reaction; nil for a message,
    /// whose own row is its record.
    var event: RecordedEvent? {
        switch effect {
        case .insertMessage: nil
        case .edit(let message, let editorID, _, let date): RecordedEvent(kind: "edited", messageID: message.id, userID: editorID, at: date)
        case .delete(let message, let actorID, let date): RecordedEvent(kind: "deleted", messageID: message.id, userID: actorID, at: date)
        case .react(let message, let reaction, let date):
            RecordedEvent(kind: "reaction", messageID: message.id, userID: reaction.userID, emoji: reaction.emoji, reactionOn: reaction.on, at: date)
        }
    }

    /// What the store says when the room is gone by the time its `seq` is taken.
    var roomGone: StoreError {
        if case .insertMessage = effect { .notFound("no room \(roomID)") } else { .inconsistent("a message's room \(roomID) is gone") }
    }

    /// What the change committed as, once it holds `seq`.
    func committed(seq: Int64) -> RoomCommit {
        switch effect {
        case .insertMessage(let new, let id, let attachment):
            return .message(
                .stored(
                    ChatMessage(
                        id: id, roomID: new.roomID, senderID: new.senderID, content: new.content,
                        createdAt: new.createdAt.roundedToMilliseconds, seq: seq, senderUsername: new.senderUsername,
                        messageType: new.messageType, replyToID: new.replyToID, clientMessageID: new.clientMessageID, attachment: attachment
                    )
                )
            )
        case .edit(var message, _, let content, let date):
            let senderID = message.senderID
            message.content = content
            message.editedAt = date.roundedToMilliseconds
            return .logged(RoomLogEntry(event: .edited(MessageEdited(message: message, eventSeq: seq)), roomID: roomID, seq: seq, actors: [senderID]))
        case .delete(let message, let actorID, _):
            let deletion = MessageDeleted(id: message.id, roomID: roomID, userID: actorID, eventSeq: seq)
            return .logged(RoomLogEntry(event: .deleted(deletion), roomID: roomID, seq: seq, actors: [message.senderID]))
        case .react(let message, var reaction, _):
            reaction.eventSeq = seq
            return .logged(RoomLogEntry(event: .reaction(reaction), roomID: roomID, seq: seq, actors: [message.senderID, reaction.userID]))
        }
    }
}

/// An edit, deletion or reaction as `room_events` keeps it.
struct RecordedEvent: Sendable, Equatable {
    var kind: String
    var messageID: MessageID
    var userID: UserID
    var emoji: String? = nil
    var reactionOn: Bool? = nil
    var at: Date
}

extension RoomWrite {
    /// A reaction's message, emoji and user, whose facts a store reads besides the message's.
    var reactionKey: (messageID: MessageID, emoji: String, userID: UserID)? {
        if case .react(let messageID, let userID, let emoji, _, _, _) = self { (messageID, emoji, userID) } else { nil }
    }
}
