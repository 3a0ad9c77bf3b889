import FitChatTestSupport
import Foundation
import Testing

@Suite struct REPLRecoveryTests {
    /// Tab completes slash commands, room names and @usernames.
    @Test func tabCompletesCommandsRoomsAndUsers() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "gardening", "--member", "bob"], as: "ann")
            try await cli.ok(["rooms", "create", "general"], as: "ann")
            let repl = try cli.repl(["general"], as: "ann")
            try await repl.waitForInputLine("general> ")
            repl.type("/jo\t")
            try await repl.waitForInputLine("general> /join ")
            repl.type("gard\t")
            try await repl.waitForInputLine("general> /join gardening ")
            repl.type("\r")
            try await repl.waitForInputLine("gardening> ")
            repl.type("hi @b\t")
            try await repl.waitForInputLine("gardening> hi @bob ")
            repl.type("\u{3}")
            try await repl.waitForInputLine("gardening> ")
            #expect(try await repl.quit() == 0)
        }
    }

    /// Lines are kept across sessions in a private file: Up in a new session recalls them.
    @Test func historyIsRecalledInANewSession() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            let first = try cli.repl(["general"], as: "ann")
            try await first.waitForInputLine("general> ")
            first.type("remember this line\r")
            first.type("/rooms\r")
            try await first.waitFor("* general")
            #expect(try await first.quit() == 0)

            let file = cli.home.appendingPathComponent("state/ann/repl-history")
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)

            let second = try cli.repl(["general"], as: "ann")
            try await second.waitForInputLine("general> ")
            second.type("\u{1B}[A")
            try await second.waitForInputLine("general> /rooms")
            second.type("\u{1B}[A")
            try await second.waitForInputLine("general> remember this line")
            second.type("\u{3}")
            try await second.waitForInputLine("general> ")
            #expect(try await second.quit() == 0)
        }
    }

    /// The server restarts under a running REPL: it says so, reconnects by itself, shows what
    /// was sent meanwhile exactly once, and keeps sending.
    @Test func aServerRestartIsSurvivedWithNothingMissed() async throws {
        try await withRestartableServer { server, cli in
            try await cli.register("ann")
            try await cli.register("bob")
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            let repl = try cli.repl(["general"], as: "ann")
            try await repl.waitForInputLine("general> ")
            try await cli.ok(["send", "general", "before the restart"], as: "bob")
            try await repl.waitFor("bob: before the restart")

            await server.stop()
            try await repl.waitForInputLine("(offline) general> ")
            try await repl.waitFor("reconnecting in")
            try await server.startAgain()
            try await cli.ok(["send", "general", "while you were away"], as: "bob")
            try await repl.waitFor("reconnected")
            try await repl.waitFor("bob: while you were away")
            try await repl.waitForInputLine("general> ")
            #expect(repl.text.components(separatedBy: "bob: while you were away").count == 2, "shown exactly once")
            #expect(repl.text.components(separatedBy: "bob: before the restart").count == 2, "not replayed again")

            var tail = try await cli.follow("general", as: "bob")
            repl.type("back again\r")
            #expect(try await tail.nextMessage() == "back again")
            tail.stop()
            #expect(try await repl.quit() == 0)
        }
    }

    /// Lines typed while the server is away are sent, in the order typed, once it is back.
    @Test func linesTypedOfflineAreSentInOrder() async throws {
        try await withRestartableServer { server, cli in
            try await cli.register("ann")
            try await cli.register("bob")
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            var tail = try await cli.follow("general", as: "bob")
            let repl = try cli.repl(["general"], as: "ann")
            try await repl.waitForInputLine("general> ")
            await server.stop()
            try await repl.waitForInputLine("(offline) general> ")
            for line in 1...5 {
                repl.type("offline line \(line)\r")
                try await repl.waitForInputLine("(offline) general> ")
            }
            try await server.startAgain()
            var received: [String] = []
            while received.count < 5 {
                let event = try await tail.next()  // the tail's own reconnect shows as room_joined
                if event.type == "new_message", let content = event.data["content"] as? String { received.append(content) }
            }
            #expect(received == (1...5).map { "offline line \($0)" })
            tail.stop()
            #expect(try await repl.quit() == 0)
        }
    }

    /// `fitchat repl ROOM` starts with the room's last messages on screen.
    @Test func startingInARoomShowsItsLastMessages() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            try await cli.ok(["send", "general", "said before the REPL started"], as: "bob")
            let repl = try cli.repl(["general"], as: "ann")
            try await repl.waitFor("bob: said before the REPL started")
            try await repl.waitForInputLine("general> ")
            #expect(try await repl.quit() == 0)
        }
    }
}
