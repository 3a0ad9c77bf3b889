import FitChatTestSupport
import Foundation
import Testing

/// `edit`, `delete`, `react`, `history --all` and `export` through the built binary.
@Suite struct MessageChangeCommandTests {
    @Test func editDeleteAndReactByShortIDAsHistoryPrintsThem() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            let sent = try await cli.ok(["send", "general", "lunch at 12", "--json"], as: "ann").objects()
            let id = try #require(sent.first?["id"] as? String)
            try await cli.ok(["send", "general", "see you there"], as: "bob")
            var tail = try await cli.follow("general", as: "bob", events: "message_edited,reaction,message_deleted")

            let human = try await cli.ok(["history", "general"], as: "ann").stdout
            let short = try #require(human.first?.split(separator: " ").dropFirst(2).first.map(String.init))
            #expect(id.hasPrefix(short) && short.count >= 8, "history prints a short id: \(human)")

            let edited = try await cli.ok(["edit", short, "lunch at 12:30", "--json"], as: "ann").objects()
            #expect(edited.first?["content"] as? String == "lunch at 12:30" && edited.first?["edited_at"] != nil)
            let event = try await tail.next()
            #expect(event.type == "message_edited" && event.data["content"] as? String == "lunch at 12:30")

            try await cli.ok(["react", short, "👍"], as: "bob")
            try await cli.ok(["react", short, "👍"], as: "bob")
            try await cli.ok(["react", short, "🍕"], as: "ann")
            let listed = try await cli.ok(["history", "general"], as: "bob").stdout
            #expect(listed.first?.hasSuffix("lunch at 12:30 (edited)  👍 1 🍕 1") == true, "\(listed)")
            try await cli.ok(["react", short, "🍕", "--off"], as: "ann")
            #expect(try await tail.next().data["on"] as? Bool == true)
            #expect(try await tail.next().data["emoji"] as? String == "🍕")
            let takenBack = try await tail.next()
            #expect(takenBack.type == "reaction" && takenBack.data["on"] as? Bool == false)

            let refused = try await cli.run(["edit", short, "hijacked"], as: "bob")
            #expect(refused.status == 77 && refused.stderr.contains("only the sender edits a message"), "\(refused.stderr)")
            let notEmoji = try await cli.run(["react", short, "thumbs"], as: "bob")
            #expect(notEmoji.status == 1 && notEmoji.stderr.contains("emoji"), "\(notEmoji.stderr)")
            let nothing = try await cli.run(["delete", "00000000"], as: "bob")
            #expect(nothing.status == 1 && nothing.stderr.contains("no message 00000000"), "\(nothing.stderr)")

            try await cli.ok(["delete", short], as: "ann")
            #expect(try await tail.next().type == "message_deleted")
            let after = try await cli.ok(["history", "general"], as: "bob").stdout
            #expect(after.first?.hasSuffix("ann: (deleted)") == true, "\(after)")
            tail.stop()
        }
    }

    /// `tail` says in words what happened to messages.
    @Test func tailDescribesChangesInWords() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            let id = try #require(try await cli.ok(["send", "general", "draft", "--json"], as: "ann").objects().first?["id"] as? String)
            // --history prints the last message, then follows from it: nothing after it is missed.
            let tail = try cli.start(
                ["tail", "general", "--history", "1", "--events", "message_edited,reaction,message_deleted", "--count", "4", "--timeout", "60"], as: "bob"
            )
            var lines = tail.lines.makeAsyncIterator()
            let first = await lines.next()
            #expect(first?.hasSuffix("ann: draft") == true, "\(String(describing: first))")
            try await cli.ok(["edit", id, "final"], as: "ann")
            try await cli.ok(["react", id, "✅"], as: "ann")
            try await cli.ok(["delete", id], as: "ann")
            var changes: [String] = []
            while let line = await lines.next() { changes.append(line) }
            #expect(await tail.exitStatus() == 0)
            let short = String(id.prefix(8))
            #expect(changes == [
                "ann edited #1 \(short) in #general: final",
                "ann reacted ✅ to \(short) in #general",
                "ann deleted \(short) in #general",
            ])
        }
    }

    /// `tail --since-last` resumes after the last change it printed, not only the last message.
    @Test func sinceLastResumesAfterEditsAndReactions() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            // A tail that saw the message leaves the profile's cursor there.
            var live = try await cli.follow("general", as: "bob")
            let id = try #require(try await cli.ok(["send", "general", "first", "--json"], as: "ann").objects().first?["id"] as? String)
            #expect(try await live.nextMessage() == "first")
            live.stop()
            try await cli.ok(["edit", id, "first, edited"], as: "ann")
            try await cli.ok(["react", id, "👀"], as: "ann")
            let changes = try await cli.ok(["tail", "--since-last", "--count", "2", "--timeout", "30", "--json"], as: "bob").objects()
            #expect(changes.map { $0["type"] as? String } == ["message_edited", "reaction"])
            let again = try await cli.run(["tail", "--since-last", "--count", "1", "--timeout", "2", "--json"], as: "bob")
            #expect(again.status == 75 && again.stdout.isEmpty, "nothing is replayed twice: \(again.stdout)")
        }
    }

    /// A room past the 200-message page limit: `history --all` and `export` page through all of
    /// it, oldest first, each message once, in its current state.
    @Test func historyAllAndExportPageThroughMoreThanAThousandMessages() async throws {
        try await withServer(configure: { $0.limits.sendBurst = 5_000 }) { server in
            let cli = try CLI(server: server)
            try await cli.register("ann")
            try await cli.ok(["rooms", "create", "archive"], as: "ann")
            let input = (1...1_100).map { "line \($0)" }.joined(separator: "\n") + "\n"
            try await cli.ok(["send", "archive", "--lines"], as: "ann", input: input)
            let first = try #require(try await cli.ok(["history", "archive", "--limit", "1", "--before", "2", "--json"], as: "ann").objects().first?["id"] as? String)
            try await cli.ok(["edit", first, "line 1, edited"], as: "ann")
            try await cli.ok(["react", first, "📦"], as: "ann")

            let export = try await cli.ok(["export", "archive"], as: "ann").objects()
            #expect(export.count == 1_100)
            #expect(export.map { $0["seq"] as? Int ?? 0 } == Array(1...1_100))
            #expect(export[0]["content"] as? String == "line 1, edited" && export[0]["edited_at"] != nil)
            #expect((export[0]["reactions"] as? [[String: Any]])?.first?["emoji"] as? String == "📦")
            #expect(export[1_099]["content"] as? String == "line 1100")
            let since = try await cli.ok(["export", "archive", "--since", "1050"], as: "ann").objects()
            #expect(since.map { $0["seq"] as? Int ?? 0 } == Array(1_051...1_100))

            let all = try await cli.ok(["history", "archive", "--all"], as: "ann").stdout
            #expect(all.count == 1_100 && all.last?.hasSuffix("line 1100") == true)
            let limited = try await cli.run(["history", "archive", "--limit", "500"], as: "ann")
            #expect(limited.status == 64 && limited.stderr.contains("--all"))
        }
    }
}
