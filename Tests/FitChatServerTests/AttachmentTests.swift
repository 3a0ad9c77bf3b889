import Crypto
import FitChatProtocol
import FitChatTestSupport
import Foundation
import GRDB
import Testing

/// Files in rooms through a real server: upload, send, download with ranges, who may, limits.
@Suite struct AttachmentTests {
    /// Bytes that are not text and not a multiple of the chunk size.
    static func bytes(_ count: Int) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })
    }

    static func hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    func upload(_ user: TestUser, _ room: RoomInfo, _ data: Data, filename: String = "report.bin", type: String = "application/octet-stream") async throws -> APIClient.Reply {
        let name = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? filename
        return try await user.api.request(.POST, "/api/rooms/\(room.id)/attachments?filename=\(name)", bytes: data, headers: [("Content-Type", type)])
    }

    @Test func aFileGoesUpIsSentAndComesDownWholeOrInRanges() async throws {
        try await withServer(configure: { $0.limits.attachmentChunkSize = 64 << 10 }) { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let data = Self.bytes(300_000)
            let reply = try await upload(ann, room, data, filename: "../../etc/pass\u{7}wd.bin")
            let info: AttachmentInfo = try ann.api.expect(reply)
            #expect(reply.status == 201 && info.size == 300_000 && info.sha256 == Self.hex(data))
            #expect(info.filename == "passwd.bin", "no directories, no control characters")

            let bobSocket = try await TestSocket.connect(server, as: bob)
            try await bobSocket.join(room.id)
            let annSocket = try await TestSocket.connect(server, as: ann)
            try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "", attachmentID: info.id)))
            guard case .messageSent(let sent) = try await annSocket.next("message_sent").event else { throw TestFailure("not sent") }
            #expect(sent.messageType == "file" && sent.attachment == info && sent.content == "")
            guard case .newMessage(let seen) = try await bobSocket.next("new_message").event else { throw TestFailure("no message") }
            #expect(seen.attachment == info)
            let history: [ChatMessage] = try bob.api.expect(try await bob.api.get("/api/rooms/\(room.id)/messages"))
            #expect(history.last?.attachment == info)

            let whole = try await bob.api.get("/api/attachments/\(info.id)")
            #expect(whole.status == 200 && whole.body == data)
            #expect(whole.headers.first(name: "Content-Length") == "300000")
            #expect(whole.headers.first(name: "Content-Disposition") == "attachment; filename=\"passwd.bin\"; filename*=UTF-8''passwd.bin")
            #expect(whole.headers.first(name: "Accept-Ranges") == "bytes")
            #expect(whole.headers.first(name: "X-Content-Type-Options") == "nosniff" && whole.headers.first(name: "ETag") == "\"\(info.sha256)\"")

            let middle = try await bob.api.request(.GET, "/api/attachments/\(info.id)", headers: [("Range", "bytes=65530-131080")])
            #expect(middle.status == 206 && middle.body == data[65530...131080], "a range across chunk boundaries")
            #expect(middle.headers.first(name: "Content-Range") == "bytes 65530-131080/300000")
            let tail = try await bob.api.request(.GET, "/api/attachments/\(info.id)", headers: [("Range", "bytes=-10")])
            #expect(tail.status == 206 && tail.body == data.suffix(10))
            let open = try await bob.api.request(.GET, "/api/attachments/\(info.id)", headers: [("Range", "bytes=299999-")])
            #expect(open.status == 206 && open.body == data.suffix(1))
            let outside = try await bob.api.request(.GET, "/api/attachments/\(info.id)", headers: [("Range", "bytes=300000-300010")])
            #expect(outside.status == 416 && outside.headers.first(name: "Content-Range") == "bytes */300000" && outside.error?.error.code == .invalid)
        }
    }

    @Test func onlyParticipantsUploadAndDownloadAndAFileIsSentOnce() async throws {
        try await withServer { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let cat = try await server.register("cat")
            let other = try await server.group("other", owner: cat, members: [])
            #expect(try await upload(cat, room, Self.bytes(10)).status == 403)
            let info: AttachmentInfo = try ann.api.expect(try await upload(ann, room, Self.bytes(10), filename: "notes.txt", type: "text/plain; charset=utf-8"))
            #expect(info.contentType == "text/plain; charset=utf-8")
            let refused = try await cat.api.get("/api/attachments/\(info.id)")
            #expect(refused.status == 403 && refused.error?.error.code == .notAMember && !refused.body.contains(Self.bytes(10)))
            #expect(try await ann.api.get("/api/attachments/\(ChatID.random())").status == 404)

            func post(_ user: TestUser, _ room: RoomInfo, _ request: PostMessageRequest) async throws -> APIClient.Reply {
                try await user.api.post("/api/rooms/\(room.id)/messages", request)
            }
            #expect(try await post(bob, room, PostMessageRequest(content: "", attachmentID: info.id)).status == 400, "someone else's upload")
            #expect(try await post(cat, other, PostMessageRequest(content: "", attachmentID: info.id)).status == 400, "another room's file")
            #expect(try await post(ann, room, PostMessageRequest(content: "x", messageType: "text", attachmentID: info.id)).status == 400)
            #expect(try await post(ann, room, PostMessageRequest(content: "x", messageType: "image")).status == 400, "an image needs a file")
            let captioned: ChatMessage = try ann.api.expect(try await post(ann, room, PostMessageRequest(content: "the notes", attachmentID: info.id)))
            #expect(captioned.content == "the notes" && captioned.attachment?.id == info.id)
            let again = try await post(ann, room, PostMessageRequest(content: "again", attachmentID: info.id))
            #expect(again.status == 400 && again.error?.error.message.contains("already sent") == true)

            #expect(try await ann.api.delete("/api/messages/\(captioned.id)").status == 204)
            #expect(try await bob.api.get("/api/attachments/\(info.id)").status == 404, "a deleted message's file goes with it")
            let history: [ChatMessage] = try bob.api.expect(try await bob.api.get("/api/rooms/\(room.id)/messages"))
            #expect(history.last?.attachment == nil && history.last?.deleted == true)
        }
    }

    /// Past `--max-upload`: 413 as soon as it is known (a declared length at once, a chunked
    /// body when it crosses the limit), and nothing kept.
    @Test func anUploadOverTheLimitIsRefusedAndLeavesNothing() async throws {
        try await withServer(configure: { $0.limits.maxUploadSize = 100_000 }) { server in
            let (ann, _, room) = try await server.annAndBobInGeneral()
            #expect(try await upload(ann, room, Self.bytes(100_000)).status == 201, "exactly the limit is fine")
            let script = server.directory.appendingPathComponent("big-upload.py")
            try #"""
                import socket, sys
                port, token, room = int(sys.argv[1]), sys.argv[2], sys.argv[3]
                def head(extra):
                    s = socket.create_connection(("127.0.0.1", port))
                    s.sendall((f"POST /api/rooms/{room}/attachments?filename=big HTTP/1.1\r\nHost: x\r\n"
                               f"Authorization: Bearer {token}\r\n{extra}\r\n").encode())
                    return s
                # A declared length over the limit: answered before any of the body is sent.
                s = head("Content-Length: 5000000\r\n")
                s.settimeout(10)
                print(s.recv(200).split(b"\r\n")[0].decode(), flush=True)
                s.close()
                # Chunked, no length: refused once the limit is crossed, though more keeps coming.
                s = head("Transfer-Encoding: chunked\r\n")
                s.settimeout(10)
                answer = b""
                try:
                    for _ in range(100):
                        s.sendall(b"4000\r\n" + b"x" * 0x4000 + b"\r\n")
                        s.setblocking(False)
                        try:
                            answer += s.recv(200)
                        except BlockingIOError:
                            pass
                        s.setblocking(True)
                        if answer:
                            break
                except (BrokenPipeError, ConnectionResetError):
                    pass
                if not answer:
                    s.settimeout(10)
                    answer = s.recv(200)
                print(answer.split(b"\r\n")[0].decode(), flush=True)
                """#.write(to: script, atomically: true, encoding: .utf8)
            let python = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, String(server.port), ann.token, room.id.uuidString])
            var lines: [String] = []
            for await line in python.lines { lines.append(line) }
            let errors = await python.stderr()
            #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix("HTTP/1.1 413 ") }, "\(lines) \(errors)")
            let database = try DatabaseQueue(path: server.databasePath)
            let kept = try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachments") }
            let chunks = try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachment_chunks") }
            #expect(kept == 1 && chunks == 1, "only the upload that fitted is stored")
        }
    }

    @Test func filesNeverSentAreSweptAndSentOnesStay() async throws {
        try await withServer(configure: {
            // Long enough for the upload and its send to happen in between on a busy machine.
            $0.limits.unsentAttachmentLifetime = .seconds(3)
            $0.limits.attachmentSweepInterval = .milliseconds(100)
        }) { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let sent: AttachmentInfo = try ann.api.expect(try await upload(ann, room, Self.bytes(20)))
            #expect(try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "", attachmentID: sent.id)).status == 201)
            let unsent: AttachmentInfo = try ann.api.expect(try await upload(ann, room, Self.bytes(10)))
            var gone = false
            for _ in 0..<150 where !gone {
                try await Task.sleep(for: .milliseconds(100))
                do {
                    gone = try await ann.api.get("/api/attachments/\(unsent.id)").status == 404
                } catch {
                    // Swept while this poll was downloading it: the server cuts the body short
                    // rather than end a truncated file as if whole. Ask again.
                }
            }
            #expect(gone, "the unsent file was swept")
            #expect(try await bob.api.get("/api/attachments/\(sent.id)").body == Self.bytes(20))
        }
    }
}
