import FitChatTestSupport
import Foundation
import Testing

/// A bot that edits, reacts and deletes through its frames, and hears of others' edits.
let changingBot = #"""
import json, sys

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
    elif kind == "message_edited" and data["sender_username"] == "bob":
        emit("send_message", {"room_id": data["room_id"], "content": "you changed it to: " + data["content"]})
"""#

@Suite struct MessageChangeBotTests {
    @Test func aBotEditsReactsDeletesAndHearsEdits() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom(events: "new_message,message_edited,message_deleted,reaction")
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
            runner.signal(SIGTERM)
            #expect(await runner.exitStatus() == 0)
            tail.stop()
        }
    }
}
