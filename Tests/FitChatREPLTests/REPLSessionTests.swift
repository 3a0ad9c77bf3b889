import FitChatTestSupport
import Foundation
import Testing

@Suite struct REPLSessionTests {
    /// A line typed at the prompt is sent to the current room, exactly as typed.
    @Test func aTypedLineReachesTheOtherUser() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            let tail = try cli.start(["tail", "general", "--json", "--count", "1", "--events", "new_message"], as: "bob")
            let repl = try cli.repl(["general"], as: "ann")
            try await repl.waitFor("general> ")
            repl.type("hello from the repl, with 'quotes' & ünïcode\r")
            let line = await tail.lines.first { _ in true }
            let object = try #require(try JSONSerialization.jsonObject(with: Data((line ?? "").utf8)) as? [String: Any])
            let data = try #require(object["data"] as? [String: Any])
            #expect(data["content"] as? String == "hello from the repl, with 'quotes' & ünïcode")
            repl.type("\u{4}")
            #expect(await repl.exitStatus() == 0)
        }
    }
}
