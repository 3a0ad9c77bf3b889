import FitChatProtocol
import Foundation
import HTTPTypes
import Hummingbird

/// Uploads and downloads: the body streams through `ChatService` a chunk at a time.
extension APIRoutes {
    func registerAttachments(on api: RouterGroup<ChatRequestContext>) {
        api.post("/rooms/:id/attachments") { request, context in
            let declared = request.headers[.contentLength].flatMap { Int64($0) }
            let info = try await chat.upload(
                to: try context.pathID(), filename: request.uri.queryParameters.get("filename"), contentType: request.headers[.contentType],
                declaredLength: declared, body: request.body, caller: try context.caller()
            )
            return EditedResponse(status: .created, response: info)
        }
        api.get("/attachments/:id") { request, context in
            let record = try await chat.attachment(try context.pathID(), caller: try context.caller())
            let size = record.info.size
            let range = try ByteRange.parse(request.headers[.range], size: size)
            var headers: HTTPFields = [
                .contentType: record.info.contentType,
                .contentDisposition: Self.contentDisposition(record.info.filename),
                .acceptRanges: "bytes",
                .eTag: "\"\(record.info.sha256)\"",
            ]
            // Served as a download, never rendered: an uploaded HTML page runs no script here.
            headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
            if let range { headers[.contentRange] = "bytes \(range.first)-\(range.last)/\(size)" }
            let length = range?.count ?? size
            headers[.contentLength] = String(length)
            let chat = chat
            let body = ResponseBody(contentLength: Int(clamping: length)) { writer in
                try await chat.readAttachment(record, range: range) { buffer in try await writer.write(buffer) }
                try await writer.finish(nil)
            }
            return Response(status: range == nil ? .ok : .partialContent, headers: headers, body: body)
        }
    }

    /// `attachment; filename="..."` with an ASCII stand-in, and the real name in RFC 5987 form.
    static func contentDisposition(_ filename: String) -> String {
        let ascii = String(filename.unicodeScalars.map { $0.isASCII ? Character($0) : "_" })
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
