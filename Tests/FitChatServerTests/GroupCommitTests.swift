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
}
