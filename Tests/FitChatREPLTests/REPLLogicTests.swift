import FitChatProtocol
import FitChatTestSupport
@testable import FitChatREPL
import Testing

@Suite struct REPLLogicTests {
    @Test func linesAreTextOrCommands() {
        #expect(SlashCommand.parse("   ") == nil)
        #expect(SlashCommand.parse("hello /there") == .success(.say("hello /there")))
        #expect(SlashCommand.parse("//not a command") == .success(.say("/not a command")))
        #expect(SlashCommand.parse("/join general") == .success(.join("general")))
        #expect(SlashCommand.parse("/msg @bob hi there") == .success(.message(user: "bob", text: "hi there")))
        #expect(SlashCommand.parse("/history") == .success(.history(20)))
        #expect(SlashCommand.parse("/history 5") == .success(.history(5)))
        #expect(SlashCommand.parse("/search two words") == .success(.search("two words")))
        #expect(SlashCommand.parse("/quit") == .success(.quit))
    }

    @Test func mistakesBecomeHints() {
        #expect(SlashCommand.parse("/nope") == .failure(Hint("unknown command /nope: /help lists them")))
        #expect(SlashCommand.parse("/join") == .failure(Hint("usage: /join ROOM")))
        #expect(SlashCommand.parse("/join a b") == .failure(Hint("usage: /join ROOM")))
        #expect(SlashCommand.parse("/msg bob") == .failure(Hint("usage: /msg USER TEXT")))
        #expect(SlashCommand.parse("/history 0") == .failure(Hint("usage: /history [N]")))
        #expect(SlashCommand.parse("/rooms now") == .failure(Hint("usage: /rooms")))
    }

    @Test func completionDependsOnPosition() {
        let candidates = CompletionCandidates(commands: ["/join", "/help", "/history"], rooms: ["general", "gardening", "@bob"], usernames: ["bob", "bea", "carl"])
        #expect(candidates.matches(for: "/h", after: "") == ["/help", "/history"])
        #expect(candidates.matches(for: "g", after: "/join ") == ["gardening", "general"])
        #expect(candidates.matches(for: "@", after: "/join ") == ["@bea", "@bob", "@carl"])
        #expect(candidates.matches(for: "b", after: "/msg ") == ["bea", "bob"])
        #expect(candidates.matches(for: "b", after: "/msg bob ") == [])
        #expect(candidates.matches(for: "@c", after: "hello ") == ["@carl"])
        #expect(candidates.matches(for: "g", after: "hello ") == [])
    }

    @Test func typingIsThrottledAndStopped() {
        var throttle = TypingThrottle()
        let start = ContinuousClock.now
        #expect(throttle.edited("h", in: 1, at: start) == [.typingStart(RoomReference(roomID: 1))])
        #expect(throttle.edited("he", in: 1, at: start + .milliseconds(500)) == [])
        #expect(throttle.edited("hel", in: 1, at: start + .seconds(2)) == [.typingStart(RoomReference(roomID: 1))])
        #expect(throttle.edited("hel", in: 2, at: start + .seconds(2)) == [.typingStop(RoomReference(roomID: 1)), .typingStart(RoomReference(roomID: 2))])
        #expect(throttle.edited("", in: 2, at: start + .seconds(3)) == [.typingStop(RoomReference(roomID: 2))])
        #expect(throttle.edited("", in: 2, at: start + .seconds(3)) == [])
        #expect(throttle.edited("/join x", in: 2, at: start + .seconds(4)) == [], "commands are not typing")
        _ = throttle.edited("x", in: 2, at: start + .seconds(5))
        throttle.sent()
        #expect(throttle.edited("", in: 2, at: start + .seconds(6)) == [], "a send ended typing already")
    }
}

@Suite struct REPLWithoutATerminalTests {
    /// Piped input is a script, not a person: the REPL refuses with exit 64 and one line.
    @Test func withoutATerminalTheREPLSaysWhatToUseInstead() async throws {
        try await withAnnAndBob { cli in
            let result = try await cli.run(["repl"], as: "ann", input: "hello\n")
            #expect(result.status == 64)
            #expect(result.stderr == "fitchat: the REPL needs a terminal; scripts use 'fitchat send' and 'fitchat tail'\n")
            #expect(result.stdout.isEmpty)
        }
    }
}
