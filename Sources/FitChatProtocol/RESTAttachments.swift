import Foundation

/// A file shared in a room: uploaded with `POST /api/rooms/{id}/attachments`, then sent as a
/// message that refers to it; `GET /api/attachments/{id}` gives the bytes to participants.
public struct AttachmentInfo: Codable, Sendable, Equatable {
    public typealias ID = ChatID

    public var id: ID
    /// Sanitised: no directories, no control characters, at most 255 bytes.
    public var filename: String
    public var contentType: String
    public var size: Int64
    /// Lowercase hex of the SHA-256 of the bytes, so a download can be checked.
    public var sha256: String

    public init(id: ID, filename: String, contentType: String, size: Int64, sha256: String) {
        self.id = id
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
    }

    enum CodingKeys: String, CodingKey {
        case id, filename
        case contentType = "content_type"
        case size, sha256
    }
}
