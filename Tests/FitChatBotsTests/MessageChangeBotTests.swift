import FitChatTestSupport
import Foundation
import Testing

/// A bot that edits, reacts and deletes through its frames, and hears of others' edits.
let changingBot = #"""
import json, os, sys

def emit(kind, data, id=None):
    frame = {"type": kind, "data": data}
    if id:
        frame["id"] = id
    print(json.dumps(frame), flush=True)

draft = None
for line in sys.stdin:
    event = json.loads(line)
    kind, data = event["type"], event.get("data", {})
    if kind == "bot_started":
        emit("send_message", {"room_id": data["rooms"][0]["id"], "content": "ready"})
    elif kind == "new_message" and data["content"] == "typo please":
        emit("react", {"message_id": data["id"], "emoji": "👀", "on": True})
        emit("send_message", {"room_id": data["room_id"], "content": "helo wrld"}, id="draft")
    elif kind == "message_sent" and event.get("id") == "draft":
        draft = data["id"]
        emit("edit_message", {"message_id": draft, "content": "hello world"})
    elif kind == "new_message" and data["content"] == "delete it" and draft:
        emit("delete_message", {"message_id": draft})
    elif kind == "new_message" and data["content"] == "the report please":
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report.txt")
        with open(path, "w") as report:
            report.write("all systems nominal\n")
        emit("send_file", {"room_id": data["room_id"], "path": path, "content": "here it is"})
    elif kind == "message_edited" and data["sender_username"] == "bob":
        emit("send_message", {"room_id": data["room_id"], "content": "you changed it to: " + data["content"]})
"""#

@Suite struct MessageChangeBotTests {
    @Test func aBotEditsReactsDeletesAndHearsEdits() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom(events: "new_message,message_edited,message_deleted,reaction", timeout: 180)
            let script = try TestServer.makeDirectory().appendingPathComponent("changer.py").path
            try changingBot.write(toFile: script, atomically: true, encoding: .utf8)
            let runner = try cli.runBot(["--", "python3", script])
            _ = try await tail.awaitMessage("ready")
            try await cli.ok(["send", "general", "typo please"], as: "bob")
            var seen: [String] = []
            while !seen.contains("message_edited") {
                let event = try await tail.next()
                switch event.type {
                case "reaction":
                    #expect(event.data["emoji"] as? String == "👀" && event.data["username"] as? String == "bot")
                    seen.append("reaction")
                case "new_message" where event.data["sender_username"] as? String == "bot" && event.data["content"] as? String != "ready":
                    #expect(event.data["content"] as? String == "helo wrld")
                    seen.append("new_message")
                case "message_edited":
                    #expect(event.data["content"] as? String == "hello world" && event.data["edited_at"] != nil)
                    seen.append("message_edited")
                default:
                    continue
                }
            }
            #expect(Set(seen) == ["reaction", "new_message", "message_edited"])

            try await cli.ok(["send", "general", "delete it"], as: "bob")
            while try await tail.next().type != "message_deleted" {}
            let history = try await cli.ok(["history", "general", "--json"], as: "bob").objects()
            let botLines = history.filter { $0["sender_username"] as? String == "bot" && $0["content"] as? String != "ready" }
            #expect(botLines.count == 1 && botLines[0]["deleted"] as? Bool == true && botLines[0]["content"] as? String == "")

            let mine = try #require(history.first { $0["content"] as? String == "typo please" }?["id"] as? String)
            try await cli.ok(["edit", mine, "no typo at all"], as: "bob")
            _ = try await tail.awaitMessage("you changed it to: no typo at all")
            try await cli.ok(["send", "general", "the report please"], as: "bob")
            var shared: [String: Any] = [:]
            while shared.isEmpty {
                let event = try await tail.next()
                if event.type == "new_message", event.data["attachment"] != nil { shared = event.data }
            }
            #expect(shared["content"] as? String == "here it is" && shared["message_type"] as? String == "file")
            let fileID = try #require(shared["id"] as? String)
            #expect(try await cli.ok(["download", fileID, "-o", "-"], as: "bob").stdout == ["all systems nominal"])
            runner.signal(SIGTERM)
            #expect(await runner.exitStatus() == 0)
            tail.stop()
        }
    }

    /// `bot test` prints a send_file line as the bot wrote it: no server, nothing uploaded.
    @Test func botTestPrintsSendFileAsWritten() async throws {
        let script = try TestServer.makeDirectory().appendingPathComponent("sender.py")
        try #"""
            import json, sys
            for line in sys.stdin:
                event = json.loads(line)
                if event["type"] == "new_message":
                    print(json.dumps({"type": "send_file", "id": "f1", "data": {"room_id": event["data"]["room_id"], "path": "out.png"}}), flush=True)
            """#.write(to: script, atomically: true, encoding: .utf8)
        let room = "0b1c2d3e-0000-4000-8000-000000000001"
        let event = #"{"type":"new_message","data":{"id":"0b1c2d3e-0000-4000-8000-000000000002","room_id":"\#(room)","sender_id":"0b1c2d3e-0000-4000-8000-000000000003","content":"draw","created_at":"2026-12-01T10:00:00.000Z","seq":1,"sender_username":"bob","message_type":"text"}}"#
        let result = try await ChildProcess.run(ServerProcess.binary, ["bot", "test", "--", "python3", script.path], input: event + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stdout.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(line["type"] as? String == "send_file" && line["id"] as? String == "f1")
        let data = try #require(line["data"] as? [String: Any])
        #expect(data["path"] as? String == "out.png" && data["room_id"] as? String == room)
    }
}
