@testable import FitChatServer
import FitChatProtocol
import FitChatTestSupport
import Foundation
import Testing

/// A connection's sends written back to back join one group commit, and are answered (and
/// delivered) in the order they were written, a refused one in its place.
@Suite struct GroupCommitTests {
    @Test func sendsWrittenBackToBackShareACommitAndStayInOrder() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let bob = try await server.register("bob")
            let room = try await server.group("general", owner: ann, members: [bob])
            let bobSocket = try await TestSocket.connect(server, as: bob)
            _ = try await bobSocket.join(room.id)
            let commitsBefore = try await MetricsTests.scrape(server.baseURL)["fitchat_store_commit_seconds_count"] ?? 0

            // Twenty sends in one TCP write; the eighth has no content and is refused.
            let lines = try await RawWebSocketClient.run(#"""
                import json
                assert read_frame()[0] == 0x1  # connection_established
                def text(payload):
                    mask = os.urandom(4)
                    data = payload.encode()
                    header = bytes([0x81, 0x80 | 126]) + struct.pack(">H", len(data)) if len(data) >= 126 else bytes([0x81, 0x80 | len(data)])
                    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))
                s.sendall(text(json.dumps({"type": "join_room", "id": "join", "data": {"room_id": "\#(room.id)"}})))
                while json.loads(read_frame()[1]).get("id") != "join":
                    pass
                burst = b"".join(text(json.dumps({"type": "send_message", "id": "s%d" % n,
                                                  "data": {"room_id": "\#(room.id)", "content": " " if n == 7 else "m%d" % n}}))
                                 for n in range(20))
                s.sendall(burst)
                answered = 0
                while answered < 20:
                    frame = json.loads(read_frame()[1])
                    if str(frame.get("id", "")).startswith("s"):
                        answered += 1
                        data = frame["data"]
                        print(frame["id"], frame["type"], data.get("seq", "-"), data.get("content", "-"), flush=True)
                """#, server: server, token: ann.token)

            #expect(lines.map { $0.split(separator: " ").first.map(String.init) ?? "" } == (0..<20).map { "s\($0)" }, "answered in the order written")
            #expect(lines.count == 20 && lines[7].hasPrefix("s7 error"), "the refused send is answered in its place: \(lines)")
            let sent = lines.filter { $0.contains(" message_sent ") }.map { $0.split(separator: " ") }
            #expect(sent.map { String($0[3]) } == (0..<20).filter { $0 != 7 }.map { "m\($0)" })
            let seqs = sent.compactMap { Int64($0[2]) }
            #expect(seqs.count == 19 && seqs == seqs.sorted() && Set(seqs).count == 19, "seq follows the order written: \(seqs)")

            var delivered: [String] = []
            while delivered.count < 19 {
                if case .newMessage(let message) = try await bobSocket.next("new_message").event { delivered.append(message.content) }
            }
            #expect(delivered == (0..<20).filter { $0 != 7 }.map { "m\($0)" })

            // One send at a time would be 19 commits; queued together they share a few.
            let commits = (try await MetricsTests.scrape(server.baseURL)["fitchat_store_commit_seconds_count"] ?? 0) - commitsBefore
            #expect(commits >= 1 && commits <= 10, "\(commits) commits for 19 sends written back to back")
        }
    }

    /// A send is served on the event loop when nothing is ahead of it; what follows it (a send
    /// refused at once, a ping, more sends) is still answered after it, in the order written.
    @Test func framesBehindSendsServedAtOnceAreAnsweredInOrder() async throws {
        try await withServer(configure: { $0.limits.sendBurst = 1_000 }) { server in
            let ann = try await server.register("ann")
            let room = try await server.group("general", owner: ann, members: [])
            let lines = try await RawWebSocketClient.run(#"""
                import json
                assert read_frame()[0] == 0x1  # connection_established
                def text(payload):
                    mask = os.urandom(4)
                    data = json.dumps(payload).encode()
                    header = bytes([0x81, 0x80 | 126]) + struct.pack(">H", len(data)) if len(data) >= 126 else bytes([0x81, 0x80 | len(data)])
                    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))
                def send(id, content):
                    return {"type": "send_message", "id": id, "data": {"room_id": "\#(room.id)", "content": content}}
                for round in range(20):
                    frames = [send("%d-s0" % round, "first"), send("%d-s1" % round, " "), send("%d-s2" % round, "second"),
                              {"type": "ping", "id": "%d-p3" % round}, send("%d-s4" % round, "third"), send("%d-s5" % round, "")]
                    s.sendall(b"".join(text(frame) for frame in frames))
                    answered = 0
                    while answered < len(frames):
                        frame = json.loads(read_frame()[1])
                        if "id" in frame:
                            answered += 1
                            print(frame["id"], frame["type"], frame.get("data", {}).get("seq", "-"), flush=True)
                """#, server: server, token: ann.token)

            #expect(lines.count == 120)
            var lastSeq: Int64 = 0
            for round in 0..<20 {
                let answers = lines.dropFirst(round * 6).prefix(6).map { $0.split(separator: " ").map(String.init) }
                #expect(answers.map { $0[0] } == ["s0", "s1", "s2", "p3", "s4", "s5"].map { "\(round)-\($0)" }, "round \(round): \(answers)")
                #expect(answers.map { $0[1] } == ["message_sent", "error", "message_sent", "pong", "message_sent", "error"], "round \(round): \(answers)")
                for seq in answers.compactMap({ Int64($0[2]) }) {
                    #expect(seq > lastSeq, "seq follows the order written: \(answers)")
                    lastSeq = seq
                }
            }
        }
    }
}
