import Crypto
import FitChatProtocol
import Foundation
import NIOCore

/// Files shared in rooms. Bodies go through in chunks both ways: an upload is hashed and
/// stored a chunk at a time as it arrives, a download read a chunk at a time as the socket
/// takes it, so a file's size never becomes the server's memory.
extension ChatService {
    /// Stores the body as a file of the room; refused past `maxUploadSize` as soon as the body
    /// (or its declared length) crosses it, with nothing kept.
    func upload<Body: AsyncSequence>(
        to roomID: RoomID, filename: String?, contentType: String?, declaredLength: Int64?, body: Body, caller: AuthenticatedUser
    ) async throws -> AttachmentInfo where Body.Element == ByteBuffer {
        let limit = limits.maxUploadSize
        let tooLarge = ServerError.tooLarge("a file may be at most \(Self.describe(bytes: limit)) (the server's --max-upload)")
        if let declaredLength, declaredLength > limit { throw tooLarge }
        _ = try await requireMembership(caller.id, in: roomID)
        let chunkSize = limits.attachmentChunkSize
        let record = try await store.createAttachment(
            NewAttachment(
                roomID: roomID, uploaderID: caller.id, filename: Validation.filename(filename),
                contentType: Validation.contentType(contentType), chunkSize: chunkSize, createdAt: Date()
            )
        )
        do {
            var hasher = SHA256()
            var size: Int64 = 0
            var pending = ByteBuffer()
            var index = 0
            for try await part in body {
                size += Int64(part.readableBytes)
                guard size <= limit else { throw tooLarge }
                part.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                pending.writeImmutableBuffer(part)
                while pending.readableBytes >= chunkSize, let chunk = pending.readData(length: chunkSize) {
                    try await store.storeAttachmentChunk(record.info.id, index: index, bytes: chunk)
                    index += 1
                }
                pending.discardReadBytes()
            }
            if pending.readableBytes > 0, let rest = pending.readData(length: pending.readableBytes) {
                try await store.storeAttachmentChunk(record.info.id, index: index, bytes: rest)
            }
            let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            return try await store.finishAttachment(record.info.id, size: size, sha256: digest).info
        } catch {
            try? await store.deleteAttachment(id: record.info.id)
            throw error
        }
    }

    /// The file, if the caller is a participant of its room; unfinished uploads do not exist.
    func attachment(_ id: AttachmentInfo.ID, caller: AuthenticatedUser) async throws -> AttachmentRecord {
        guard let record = try await store.attachment(id: id), record.isComplete else { throw ServerError.notFound("no attachment \(id)") }
        guard try await store.isMember(caller.id, of: record.roomID) else { throw ServerError.notAMember }
        return record
    }

    /// The bytes of `range` (the whole file when nil), read a chunk at a time, each handed to
    /// `write` before the next is read.
    func readAttachment(_ record: AttachmentRecord, range: ByteRange?, write: (ByteBuffer) async throws -> Void) async throws {
        guard record.info.size > 0 else { return }
        let range = range ?? ByteRange(first: 0, last: record.info.size - 1)
        let chunkSize = Int64(record.chunkSize)
        var position = range.first
        while position <= range.last {
            let index = position / chunkSize
            guard let chunk = try await store.attachmentChunk(record.info.id, index: Int(index)) else {
                throw StoreError.inconsistent("attachment \(record.info.id) is missing chunk \(index)")
            }
            let start = Int(position - index * chunkSize)
            let end = Int(min(Int64(chunk.count), range.last - index * chunkSize + 1))
            guard start < end else { throw StoreError.inconsistent("attachment \(record.info.id) has a short chunk \(index)") }
            try await write(ByteBuffer(bytes: chunk[chunk.startIndex + start..<chunk.startIndex + end]))
            position = index * chunkSize + Int64(end)
        }
    }

    /// Removes files never sent within `unsentAttachmentLifetime`; returns how many.
    func pruneUnsentAttachments() async throws -> Int {
        try await store.pruneUnsentAttachments(createdBefore: Date().addingTimeInterval(-limits.unsentAttachmentLifetime.seconds))
    }

    static func describe(bytes: Int64) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : bytes >= 1024 && bytes % 1024 == 0 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
