import FitChatProtocol
import Foundation

/// A file as the store keeps it: its description, its room, and whether its upload finished.
/// The bytes live beside it in chunks of `chunkSize` (the last one shorter), so a file goes in
/// and out a chunk at a time and every node of a cluster serves it from the database.
public struct AttachmentRecord: Sendable, Equatable {
    public var info: AttachmentInfo
    public var roomID: RoomID
    public var uploaderID: UserID
    public var chunkSize: Int
    /// False while the upload is running (or was cut off): such a file cannot be sent or read.
    public var isComplete: Bool
    public var createdAt: Date
}

/// An upload about to start.
public struct NewAttachment: Sendable, Equatable {
    public var roomID: RoomID
    public var uploaderID: UserID
    public var filename: String
    public var contentType: String
    public var chunkSize: Int
    public var createdAt: Date
}

extension AttachmentRecord {
    /// Why a message may not refer to this file, if it may not: both stores ask this inside the
    /// transaction that stores the message.
    func refusal(for new: NewMessage, alreadySent: Bool) -> StoreError? {
        guard isComplete, roomID == new.roomID else {
            return .invalidReference("attachment_id \(info.id) is not a file uploaded to this room")
        }
        guard uploaderID == new.senderID else { return .invalidReference("attachment_id \(info.id) was uploaded by someone else") }
        guard !alreadySent else { return .invalidReference("attachment_id \(info.id) was already sent in a message") }
        return nil
    }
}
