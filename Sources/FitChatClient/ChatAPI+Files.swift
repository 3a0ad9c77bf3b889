import AsyncHTTPClient
import FitChatProtocol
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Files to and from the server a chunk at a time: neither an upload nor a download is ever
/// held whole in the client's memory.
extension ChatAPI {
    /// Uploads what `file` holds from its current offset to its end (a regular file, or a pipe
    /// such as stdin); `progress` hears the bytes sent so far.
    public func upload(
        _ file: FileHandle, length: Int64?, filename: String, contentType: String, to roomID: RoomID,
        progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws(ClientError) -> AttachmentInfo {
        var request = makeRequest(.POST, "/api/rooms/\(roomID)/attachments?filename=\(Self.queryEscaped(filename))")
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .stream(FileChunks(file: file, progress: progress), length: length.map { .known($0) } ?? .unknown)
        let response = try await execute(request, timeout: .hours(24))
        let data: Data
        do {
            data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
        } catch {
            throw Self.transportError(error, server: server)
        }
        guard (200..<300).contains(response.status.code) else {
            if response.status.code == 413, (try? WireCoding.makeDecoder().decode(ErrorBody.self, from: data)) == nil {
                throw .refused(code: .invalid, message: "the file is larger than the server accepts", retryAfterMs: nil)
            }
            throw Self.refusal(response.status.code, data, method: .POST, path: "/api/rooms/\(roomID)/attachments")
        }
        do {
            return try WireCoding.makeDecoder().decode(AttachmentInfo.self, from: data)
        } catch {
            throw .protocolViolation("unexpected answer to an upload: \(error)")
        }
    }

    /// What the server says of a file it is about to send.
    public struct DownloadHead: Sendable {
        /// The name from `Content-Disposition` (RFC 5987 form first), or nil.
        public var filename: String?
        public var size: Int64?
    }

    /// Streams a file's bytes to `write`, in order, after `started` heard what it is; returns
    /// once all of them were written.
    public func download(
        _ id: AttachmentInfo.ID, started: (DownloadHead) throws -> Void = { _ in }, write: (ByteBuffer) throws -> Void
    ) async throws(ClientError) {
        let response = try await execute(makeRequest(.GET, "/api/attachments/\(id)"), timeout: .hours(24))
        guard (200..<300).contains(response.status.code) else {
            let data = (try? await response.body.collect(upTo: 1 << 20)).map { Data(buffer: $0) } ?? Data()
            throw Self.refusal(response.status.code, data, method: .GET, path: "/api/attachments/\(id)")
        }
        do {
            let disposition = response.headers.first(name: "Content-Disposition") ?? ""
            try started(DownloadHead(filename: Self.filename(fromDisposition: disposition), size: response.headers.first(name: "Content-Length").flatMap { Int64($0) }))
            for try await buffer in response.body { try write(buffer) }
        } catch let error as ClientError {
            throw error
        } catch {
            throw Self.transportError(error, server: server)
        }
    }

    static func filename(fromDisposition header: String) -> String? {
        for part in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where part.hasPrefix("filename*=UTF-8''") {
            return String(part.dropFirst("filename*=UTF-8''".count)).removingPercentEncoding
        }
        for part in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where part.hasPrefix("filename=") {
            return String(part.dropFirst("filename=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    private static func queryEscaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? "file"
    }
}

/// A file read in 256 KiB chunks as an upload body.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let file: FileHandle
    let progress: @Sendable (Int64) -> Void

    struct AsyncIterator: AsyncIteratorProtocol {
        let file: FileHandle
        let progress: @Sendable (Int64) -> Void
        var sent: Int64 = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let data = try file.read(upToCount: 256 << 10), !data.isEmpty else { return nil }
            sent += Int64(data.count)
            progress(sent)
            return ByteBuffer(data: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(file: file, progress: progress) }
}

/// A file on this machine opened for an upload: what the CLI, the REPL and the bot runner send.
public struct LocalFile: Sendable {
    public let handle: FileHandle
    /// The name the room sees: `filename` if given, else the path's last component.
    public let filename: String
    public let length: Int64?
    public var contentType: String { ContentTypes.guess(filename: filename) }
    /// The `message_type` of a message sharing it.
    public var messageType: String { ContentTypes.isImage(contentType) ? "image" : "file" }

    /// Opens a regular file; a missing file, a directory or one that cannot be read is a usage error.
    public init(path: String, filename: String? = nil) throws(ClientError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .usage("no file \(path)") }
        guard !isDirectory.boolValue else { throw .usage("\(path) is a directory: give a file") }
        guard let opened = FileHandle(forReadingAtPath: path) else { throw .usage("cannot read \(path): permission denied") }
        handle = opened
        self.filename = filename ?? URL(fileURLWithPath: path).lastPathComponent
        length = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
    }

    /// A stream such as stdin, whose length is not known.
    public init(stream: FileHandle, filename: String) {
        handle = stream
        self.filename = filename
        length = nil
    }
}

extension ChatAPI {
    /// Uploads a local file to the room.
    public func upload(_ file: LocalFile, to roomID: RoomID, progress: @escaping @Sendable (Int64) -> Void = { _ in }) async throws(ClientError) -> AttachmentInfo {
        try await upload(file.handle, length: file.length, filename: file.filename, contentType: file.contentType, to: roomID, progress: progress)
    }
}

/// What a file's name says about its content, for uploads that do not say.
enum ContentTypes {
    static let byExtension: [String: String] = [
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp", "svg": "image/svg+xml",
        "pdf": "application/pdf", "txt": "text/plain; charset=utf-8", "log": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8",
        "csv": "text/csv", "json": "application/json", "jsonl": "application/x-ndjson", "html": "text/html", "xml": "application/xml",
        "zip": "application/zip", "gz": "application/gzip", "tar": "application/x-tar", "mp3": "audio/mpeg", "mp4": "video/mp4",
    ]

    static func guess(filename: String) -> String {
        let ext = URL(fileURLWithPath: filename).pathExtension.lowercased()
        return byExtension[ext] ?? "application/octet-stream"
    }

    /// Whether a message sharing the file is an `image`.
    static func isImage(_ contentType: String) -> Bool { contentType.hasPrefix("image/") }
}
