import FitChatProtocol
import Foundation
import Testing

@testable import FitChatServer

/// Files in the store, on every backend: chunks in and out, sending, deleting, sweeping.
extension StoreContractTests {
    @Test(arguments: StoreBackend.all) func attachmentsAreStoredInChunksSentOnceAndSwept(_ backend: StoreBackend) async throws {
        try await backend.withStores { store, other in
            let (ann, bob, cat) = try await threeUsers(store)
            let room = try await store.createGroupRoom(name: "files", ownerID: ann.id, memberIDs: [bob.id], at: now)
            func new(_ uploader: UserRecord, at date: Date? = nil) -> NewAttachment {
                NewAttachment(roomID: room.id, uploaderID: uploader.id, filename: "a.bin", contentType: "application/pdf", chunkSize: 4, createdAt: date ?? now)
            }
            await #expect(throws: StoreError.notAMember) { try await store.createAttachment(new(cat)) }
            let started = try await store.createAttachment(new(ann))
            #expect(!started.isComplete && started.chunkSize == 4 && started.roomID == room.id)
            try await store.storeAttachmentChunk(started.info.id, index: 0, bytes: Data("abcd".utf8))
            try await store.storeAttachmentChunk(started.info.id, index: 1, bytes: Data("ef".utf8))
            var unfinished = message(room.id, from: ann, "")
            unfinished.messageType = "file"
            unfinished.attachmentID = started.info.id
            #expect(try await store.appendMessages([unfinished])[0] == .failure(.invalidReference("attachment_id \(started.info.id) is not a file uploaded to this room")))
            let done = try await store.finishAttachment(started.info.id, size: 6, sha256: "feed")
            #expect(done.isComplete && done.info.size == 6 && done.info.sha256 == "feed")
            #expect(try await other.attachment(id: started.info.id) == done, "every node reads every file")
            #expect(try await other.attachmentChunk(started.info.id, index: 1) == Data("ef".utf8))
            #expect(try await other.attachmentChunk(started.info.id, index: 2) == nil)

            var bobs = unfinished
            bobs.senderID = bob.id
            #expect(try await store.appendMessages([bobs])[0] == .failure(.invalidReference("attachment_id \(started.info.id) was uploaded by someone else")))
            let sent = try await store.appendMessages([unfinished, unfinished])
            let stored = try sent[0].get().message
            #expect(stored.attachment == done.info)
            #expect(sent[1] == .failure(.invalidReference("attachment_id \(started.info.id) was already sent in a message")))
            #expect(try await store.messages(in: room.id, afterSeq: nil, beforeSeq: nil, limit: 5, hiddenSenders: []).first?.attachment == done.info)

            let old = try await store.createAttachment(new(bob, at: now.addingTimeInterval(-7200)))
            let recent = try await store.createAttachment(new(bob))
            let oldSent = try await store.finishAttachment(try await store.createAttachment(new(ann, at: now.addingTimeInterval(-7200))).info.id, size: 0, sha256: "e3b0")
            var withOld = unfinished
            withOld.attachmentID = oldSent.info.id
            _ = try await store.appendMessages([withOld])
            #expect(try await store.pruneUnsentAttachments(createdBefore: now.addingTimeInterval(-3600)) == 1)
            #expect(try await store.attachment(id: old.info.id) == nil)
            #expect(try await store.attachment(id: recent.info.id) != nil)
            #expect(try await store.attachment(id: oldSent.info.id) != nil)

            _ = try await store.commit([.delete(messageID: stored.id, actorID: ann.id, at: now)])
            #expect(try await store.attachment(id: done.info.id) == nil)
            #expect(try await store.attachmentChunk(done.info.id, index: 0) == nil)
        }
    }
}
