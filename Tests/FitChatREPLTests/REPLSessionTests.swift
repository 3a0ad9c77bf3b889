import FitChatTestSupport
import Foundation
import Testing

@Suite struct REPLSessionTests {
    /// A line typed at the prompt is sent to the current room, exactly as typed; the other
    /// side sees ann typing first (a pasted line is not typing, so the test types some of it
    /// key by key), and ann sees bob's read receipt.
    @Test func aTypedLineReachesTheOtherUser() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            var tail = try await cli.follow("general", as: "bob", events: "typing_indicator,new_message")
            let repl = try cli.repl(["general"], as: "ann")
            try await repl.waitForInputLine("general> ")
            try await repl.typeSlowly("hello")
            repl.type(" from the repl, with 'quotes' & ünïcode\r")
            let typing = try await tail.next()
            #expect(typing.type == "typing_indicator")
            #expect(typing.data["is_typing"] as? Bool == true)
            #expect(try await tail.nextMessage() == "hello from the repl, with 'quotes' & ünïcode")
            tail.stop()

            try await cli.ok(["read", "general"], as: "bob")
            try await repl.waitFor("✓ seen by bob")
            #expect(try await repl.quit() == 0)
        }
    }

    /// Readline's callback interface at work: a message arriving mid-line is printed above the
    /// input, the half-typed line is redrawn, and finishing it sends exactly what was typed.
    @Test func anIncomingMessageLeavesTheHalfTypedLineIntact() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            var tail = try await cli.follow("general", as: "bob")
            let repl = try cli.repl(["general"], as: "ann")
            try await repl.waitForInputLine("general> ")
            try await repl.typeSlowly("half of a li")
            try await repl.waitForInputLine("general> half of a li")
            try await cli.ok(["send", "general", "interrupting you"], as: "bob")
            try await repl.waitFor("bob: interrupting you\ngeneral> half of a li")
            #expect(repl.screen.cursorLine == "general> half of a li")
            repl.type("ne\r")
            #expect(try await tail.nextMessage() == "interrupting you")
            #expect(try await tail.nextMessage() == "half of a line")
            tail.stop()
            repl.type("/quit\r")
            #expect(try await repl.exitStatus() == 0)
        }
    }

    /// The prompt shows who is typing in the current room, and forgets them when they stop;
    /// friends coming and going are announced.
    @Test func othersTypingAndPresenceAreShown() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            try await cli.ok(["friends", "add", "bob"], as: "ann")
            try await cli.ok(["friends", "accept", "ann"], as: "bob")
            let repl = try cli.repl(["general"], as: "ann")
            try await repl.waitForInputLine("general> ")
            let bob = try cli.repl(["general"], as: "bob")
            try await bob.waitForInputLine("general> ")
            try await repl.waitFor("* bob is online")
            bob.type("hel")
            try await repl.waitForInputLine("(bob is typing) general> ")
            bob.type("lo\r")
            try await repl.waitFor("bob: hello")
            try await repl.waitForInputLine("general> ")
            #expect(try await bob.quit() == 0)
            try await repl.waitFor("* bob is offline")
            #expect(try await repl.quit() == 0)
        }
    }

    /// Ctrl-C throws the half-typed line away and the next line is sent alone; SIGTERM ends
    /// the REPL with the terminal back in its cooked, echoing mode.
    @Test func ctrlCClearsTheLineAndSIGTERMRestoresTheTerminal() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            var tail = try await cli.follow("general", as: "bob")
            let repl = try cli.repl(["general"], as: "ann")
            try await repl.waitForInputLine("general> ")
            repl.type("never sent")
            try await repl.waitFor("never sent")
            #expect(repl.attributes().c_lflag & tcflag_t(ICANON) == 0, "readline edits in raw mode")
            repl.type("\u{3}")
            try await repl.waitFor("general> never sent^C\ngeneral>")
            try await repl.waitForInputLine("general> ")
            repl.type("sent alone\r")
            #expect(try await tail.nextMessage() == "sent alone")
            tail.stop()

            repl.signal(SIGTERM)
            #expect(try await repl.exitStatus() == 0)
            #expect(repl.attributes().c_lflag & tcflag_t(ICANON | ECHO) == tcflag_t(ICANON | ECHO), "cooked and echoing again")
        }
    }

    /// Unknown commands and bad arguments get a one-line hint; the REPL goes on.
    @Test func mistakesGetAHintNeverACrash() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            let repl = try cli.repl(["general"], as: "ann")
            try await repl.waitForInputLine("general> ")
            repl.type("/frobnicate\r")
            try await repl.waitFor("! unknown command /frobnicate: /help lists them")
            repl.type("/join\r")
            try await repl.waitFor("! usage: /join ROOM")
            repl.type("/history lots\r")
            try await repl.waitFor("! usage: /history [N]")
            repl.type("/join nowhere\r")
            try await repl.waitFor("! no room named 'nowhere'")
            repl.type("/help\r")
            try await repl.waitFor("/msg USER TEXT")
            repl.type("/quit\r")
            #expect(try await repl.exitStatus() == 0)
        }
    }

    /// The slash commands do what they say: switch rooms, list them, direct messages, history,
    /// who, friends, search, read, block.
    @Test func slashCommandsWork() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            try await cli.ok(["rooms", "create", "random"], as: "ann")
            try await cli.ok(["send", "general", "an old message about llamas"], as: "bob")
            try await cli.ok(["friends", "add", "bob"], as: "ann")
            try await cli.ok(["friends", "accept", "ann"], as: "bob")
            let repl = try cli.repl(["random"], as: "ann")
            try await repl.waitForInputLine("random> ")
            repl.type("/join general\r")
            try await repl.waitFor("bob: an old message about llamas\ngeneral>")
            repl.type("/rooms\r")
            try await repl.waitFor("* general")
            repl.type("/who\r")
            try await repl.waitFor("bob (")
            repl.type("/friends\r")
            try await repl.waitFor("/friends\nbob (")
            repl.type("/search llamas\r")
            try await repl.waitFor("/search llamas\n")
            try await repl.waitFor("general bob: an old message about llamas")
            repl.type("/read\r")
            try await repl.waitFor("general marked read")
            let unread = try await cli.ok(["unread", "--json"], as: "ann")
            #expect(try unread.objects().allSatisfy { ($0["unread_count"] as? Int ?? 0) == 0 })

            var tail = try await cli.follow("@ann", as: "bob")
            repl.type("/msg bob psst, a direct one\r")
            #expect(try await tail.nextMessage() == "psst, a direct one")
            tail.stop()
            repl.type("/block bob\r")
            try await repl.waitFor("blocked bob")
            #expect(try await cli.ok(["blocks", "--json"], as: "ann").objects().first?["username"] as? String == "bob")
            #expect(try await repl.quit() == 0)
        }
    }
}
