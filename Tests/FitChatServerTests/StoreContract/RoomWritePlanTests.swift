@testable import FitChatServer
import FitChatProtocol
import Foundation
import Testing

/// The rules both stores apply to a room write, decided from facts alone. (The contract tests
/// check that each store reads the facts right and carries the plan out.)
@Suite struct RoomWritePlanTests {
    let ann = UserID(high: 1, low: 1), bob = UserID(high: 2, low: 2), owner = UserID(high: 3, low: 3)
    let room = RoomID(high: 10, low: 10)
    let when = Date(timeIntervalSince1970: 1_800_000_000)

    func message(_ id: UInt64 = 1, from sender: UserID? = nil, deleted: Bool? = nil) -> ChatMessage {
        ChatMessage(
            id: MessageID(high: 20, low: id), roomID: room, senderID: sender ?? ann, content: "hi", createdAt: when, seq: 1,
            senderUsername: "ann", messageType: "text", deleted: deleted
        )
    }

    func new(replyTo: MessageID? = nil) -> NewMessage {
        NewMessage(
            roomID: room, senderID: ann, senderUsername: "ann", content: "hello", messageType: "text", replyToID: replyTo,
            clientMessageID: "c1", createdAt: when
        )
    }

    func refusal(_ plan: RoomWritePlan) -> StoreError? {
        if case .settled(.failure(let error)) = plan { error } else { nil }
    }

    @Test func aMessageNeedsAMemberAReplyInTheRoomAndIsStoredOnce() throws {
        #expect(refusal(.message(new(), facts: MessageFacts(senderIsMember: false))) == .notAMember)
        let original = message()
        #expect(RoomWritePlan.message(new(), facts: MessageFacts(senderIsMember: true, original: original)) == .settled(.success(.message(.duplicate(original)))))
        let elsewhere = MessageID(high: 99, low: 9)
        #expect(refusal(.message(new(replyTo: elsewhere), facts: MessageFacts(senderIsMember: true, replyIsInRoom: false)))
            == .invalidReference("reply_to_id \(elsewhere) is not a message of this room"))
        guard case .change(let change) = RoomWritePlan.message(new(), facts: MessageFacts(senderIsMember: true)) else {
            Issue.record("a member's new message is stored")
            return
        }
        #expect(change.event == nil, "a message is its own record")
        guard case .message(.stored(let stored)) = change.committed(seq: 7) else {
            Issue.record("a message commits as stored")
            return
        }
        #expect(stored.seq == 7 && stored.content == "hello" && stored.clientMessageID == "c1" && stored.roomID == room)
    }

    @Test func aFileMustBeTheSendersFinishedUploadToTheRoomSentOnce() {
        let fileID = AttachmentInfo.ID(high: 30, low: 1)
        var sending = new()
        sending.attachmentID = fileID
        let record = AttachmentRecord(
            info: AttachmentInfo(id: fileID, filename: "a.txt", contentType: "text/plain", size: 1, sha256: "00"), roomID: room,
            uploaderID: ann, chunkSize: 1024, isComplete: true, createdAt: when
        )
        #expect(refusal(.message(sending, facts: MessageFacts(senderIsMember: true)))
            == .invalidReference("attachment_id \(fileID) is not a file uploaded to this room"))
        #expect(refusal(.message(sending, facts: MessageFacts(senderIsMember: true, attachment: record, attachmentAlreadySent: true)))
            == .invalidReference("attachment_id \(fileID) was already sent in a message"))
        var unfinished = record
        unfinished.isComplete = false
        #expect(refusal(.message(sending, facts: MessageFacts(senderIsMember: true, attachment: unfinished))) != nil)
        guard case .change(let change) = RoomWritePlan.message(sending, facts: MessageFacts(senderIsMember: true, attachment: record)),
            case .message(.stored(let stored)) = change.committed(seq: 2)
        else {
            Issue.record("the sender's finished upload is sent")
            return
        }
        #expect(stored.attachment == record.info)
    }

    @Test func onlyTheSenderEditsAndNotATombstone() {
        let target = TargetFacts(message: message(), ownerID: owner, actorIsMember: true)
        #expect(refusal(.change(.edit(messageID: message().id, editorID: bob, content: "x", at: when), target: target, reaction: nil))
            == .forbidden("only the sender edits a message"))
        let tombstone = TargetFacts(message: message(deleted: true), ownerID: owner, actorIsMember: true)
        #expect(refusal(.change(.edit(messageID: message().id, editorID: ann, content: "x", at: when), target: tombstone, reaction: nil))
            == .notFound("message \(message().id) was deleted"))
        let missing = TargetFacts(message: nil, ownerID: nil, actorIsMember: false)
        #expect(refusal(.change(.edit(messageID: message().id, editorID: ann, content: "x", at: when), target: missing, reaction: nil))
            == .notFound("no message \(message().id)"))
        let outsider = TargetFacts(message: message(), ownerID: owner, actorIsMember: false)
        #expect(refusal(.change(.edit(messageID: message().id, editorID: ann, content: "x", at: when), target: outsider, reaction: nil)) == .notAMember)
        guard case .change(let change) = RoomWritePlan.change(.edit(messageID: message().id, editorID: ann, content: "new", at: when), target: target, reaction: nil),
            case .logged(let entry) = change.committed(seq: 5), case .edited(let edit) = entry.event
        else {
            Issue.record("the sender edits")
            return
        }
        #expect(edit.message.content == "new" && edit.eventSeq == 5 && entry.actors == [ann] && change.event?.kind == "edited")
    }

    @Test func theSenderOrTheOwnerDeletesAndATombstoneStaysAsItIs() {
        let target = TargetFacts(message: message(), ownerID: owner, actorIsMember: true)
        #expect(refusal(.change(.delete(messageID: message().id, actorID: bob, at: when), target: target, reaction: nil))
            == .forbidden("only the sender or the room's owner deletes a message"))
        guard case .change = RoomWritePlan.change(.delete(messageID: message().id, actorID: owner, at: when), target: target, reaction: nil) else {
            Issue.record("the owner deletes")
            return
        }
        let tombstone = TargetFacts(message: message(deleted: true), ownerID: owner, actorIsMember: true)
        #expect(RoomWritePlan.change(.delete(messageID: message().id, actorID: ann, at: when), target: tombstone, reaction: nil)
            == .settled(.success(.unchanged(.deleted(MessageDeleted(id: message().id, roomID: room))))))
    }

    @Test func aReactionChangesSomethingOrNothingWithinTheLimitOfDistinctEmoji() {
        let target = TargetFacts(message: message(), ownerID: owner, actorIsMember: true)
        func react(_ on: Bool, _ facts: ReactionFacts) -> RoomWritePlan {
            .change(.react(messageID: message().id, userID: bob, emoji: "👍", on: on, at: when, maxDistinct: 2), target: target, reaction: facts)
        }
        let full = ReactionFacts(actorName: "bob", alreadyOn: false, emojiKnown: false, distinctEmoji: 2)
        #expect(refusal(react(true, full)) == .invalidReference("a message holds at most 2 different reactions"))
        var joining = full
        joining.emojiKnown = true
        guard case .change(let change) = react(true, joining), case .logged(let entry) = change.committed(seq: 9) else {
            Issue.record("an emoji already on the message may be added at the limit")
            return
        }
        #expect(entry.actors == [ann, bob] && change.event?.emoji == "👍" && change.event?.reactionOn == true)
        var already = joining
        already.alreadyOn = true
        guard case .settled(.success(.unchanged(.reaction(let reaction)))) = react(true, already) else {
            Issue.record("reacting twice changes nothing")
            return
        }
        #expect(reaction.username == "bob" && reaction.eventSeq == nil)
        guard case .settled(.success(.unchanged)) = react(false, full) else {
            Issue.record("taking back a reaction that is not there changes nothing")
            return
        }
    }
}
