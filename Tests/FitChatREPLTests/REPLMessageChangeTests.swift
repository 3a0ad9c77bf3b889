import FitChatTestSupport
import Foundation
import Testing

/// `/edit`, `/react` and `/delete` on a pseudo-terminal, and how the REPL shows edits,
/// reactions, deletions and replies that others make.
@Suite struct REPLMessageChangeTests {
    @Test func editReactDeleteAndRepliesAreShownAsSuch() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            try await cli.ok(["send", "general", "hi ann, lunch?"], as: "bob")
            // Many steps: on a busy machine this test outlasts a default 30 s tail.
            var tail = try await cli.follow("general", as: "bob", events: "new_message,message_edited,reaction,message_deleted", timeout: 180)
            let repl = try cli.repl(["general"], as: "ann")
            try await repl.waitForInputLine("general> ")

            repl.type("/react 👍\r")
            let reaction = try await tail.next()
            #expect(reaction.type == "reaction" && reaction.data["emoji"] as? String == "👍")
            try await repl.waitFor("* you reacted 👍 to bob's \"hi ann, lunch?\"")
            repl.type("/unreact 👍\r")
            let takenBack = try await tail.next()
            #expect(takenBack.type == "reaction" && takenBack.data["on"] as? Bool == false)
            try await repl.waitFor("* you took back 👍 from bob's \"hi ann, lunch?\"")

            repl.type("/edit nothing sent yet\r")
            try await repl.waitFor("you have sent nothing here yet")
            repl.type("sure, at nnoon\r")
            #expect(try await tail.nextMessage() == "sure, at nnoon")
            repl.type("/edit sure, at noon\r")
            let edit = try await tail.next()
            #expect(edit.type == "message_edited" && edit.data["content"] as? String == "sure, at noon")
            try await repl.waitFor("ann: sure, at noon (edited)")

            let history = try await cli.ok(["history", "general", "--json"], as: "bob").objects()
            let annsID = try #require(history.last?["id"] as? String)
            try await cli.ok(["send", "general", "--reply-to", annsID, "great"], as: "bob")
            try await repl.waitFor("bob: ↪ your \"sure, at noon\" great")
            try await cli.ok(["react", annsID, "🎉"], as: "bob")
            try await repl.waitFor("* bob reacted 🎉 to your \"sure, at noon\"")
            // An id (8+ hex digits) names the message; the rest is the new text.
            repl.type("/edit \(annsID.prefix(8)) sure, at noon sharp\r")
            try await repl.waitFor("ann: sure, at noon sharp (edited)")

            repl.type("/delete\r")
            var deleted: [String: Any] = [:]
            while deleted.isEmpty {
                let event = try await tail.next()
                if event.type == "message_deleted" { deleted = event.data }
            }
            #expect(deleted["id"] as? String == annsID)
            try await repl.waitFor("* you deleted the message \"sure, at noon sharp\"")
            repl.type("/react ✨ \(annsID.prefix(8))\r")
            try await repl.waitFor("was deleted")

            let file = try TestServer.makeDirectory().appendingPathComponent("menu.txt")
            try "soup\nbread\n".write(to: file, atomically: true, encoding: .utf8)
            repl.type("/upload \(file.path) today's menu\r")
            try await repl.waitFor("ann: today's menu [file menu.txt, 11 bytes]")
            var shared: [String: Any] = [:]
            while shared.isEmpty {
                let event = try await tail.next()
                if event.type == "new_message", event.data["attachment"] != nil { shared = event.data }
            }
            #expect((shared["attachment"] as? [String: Any])?["content_type"] as? String == "text/plain; charset=utf-8")
            #expect(try await repl.quit() == 0)
            tail.stop()
        }
    }

    /// A line and the `/edit`, `/react` and `/delete` typed right behind it act on that line,
    /// not on what came before it: they wait for its acknowledgement, which names it.
    @Test func commandsTypedRightAfterASendActOnThatSend() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            try await cli.ok(["send", "general", "an older one"], as: "ann")
            var tail = try await cli.follow("general", as: "bob", events: "new_message,message_edited,reaction,message_deleted", timeout: 60)
            let repl = try cli.repl(["general"], as: "ann")
            try await repl.waitForInputLine("general> ")

            repl.type("first draft\r/edit final text\r/react 👀\rsecond\r/delete\r")
            let sent = try await tail.next()
            #expect(sent.type == "new_message" && sent.data["content"] as? String == "first draft")
            let draftID = try #require(sent.data["id"] as? String)
            let edit = try await tail.next()
            #expect(edit.type == "message_edited" && edit.data["id"] as? String == draftID && edit.data["content"] as? String == "final text")
            let reaction = try await tail.next()
            #expect(reaction.type == "reaction" && reaction.data["message_id"] as? String == draftID && reaction.data["emoji"] as? String == "👀")
            let second = try await tail.next()
            #expect(second.type == "new_message" && second.data["content"] as? String == "second")
            let deleted = try await tail.next()
            #expect(deleted.type == "message_deleted" && deleted.data["id"] as? String == second.data["id"] as? String)
            try await repl.waitFor("ann: final text (edited)")
            #expect(try await repl.quit() == 0)
            tail.stop()
        }
    }
}
