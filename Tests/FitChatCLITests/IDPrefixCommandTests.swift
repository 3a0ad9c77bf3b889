import FitChatClient
import FitChatProtocol
import FitChatTestSupport
import Foundation
import Testing

/// Ids are UUIDs; the built binary takes any unique prefix of at least 4 characters (as git
/// takes short hashes) and prints the shortest unambiguous one, 8 characters at least.
@Suite struct IDPrefixCommandTests {
    /// What `history` prints can be pasted into `--reply-to`; `--json` keeps whole ids.
    @Test func historyShowsShortIdsThatPasteIntoReplyTo() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            try await cli.ok(["send", "general", "first"], as: "ann")
            try await cli.ok(["send", "general", "second"], as: "bob")
            let full = try await cli.ok(["history", "general", "--json"], as: "ann").objects().compactMap { $0["id"] as? String }
            #expect(full.count == 2 && full.allSatisfy { ChatID($0)?.uuidString == $0 }, "\(full)")
            let lines = try await cli.ok(["history", "general"], as: "ann").stdout
            let shown = lines.map { $0.split(separator: " ").map(String.init) }
            #expect(shown.map { $0[1] } == ["#1", "#2"], "\(lines)")
            let short = shown.map { $0[2] }
            for (prefix, id) in zip(short, full) { #expect(prefix.count >= 8 && prefix.count < 36 && id.hasPrefix(prefix), "\(prefix) of \(id)") }

            try await cli.ok(["send", "general", "--reply-to", short[0], "answer"], as: "bob")
            let four = String(full[1].prefix(4))
            let fourIsUnique = full.filter { $0.hasPrefix(four) }.count == 1
            let byFour = try await cli.run(["send", "general", "--reply-to", four.uppercased(), "to the second"], as: "ann")
            #expect(byFour.status == (fourIsUnique ? 0 : 1), "\(byFour.stderr)")
            let after = try await cli.ok(["history", "general", "--json"], as: "ann").objects()
            #expect(after[2]["reply_to_id"] as? String == full[0])
            if fourIsUnique { #expect(after[3]["reply_to_id"] as? String == full[1]) }

            let afterLines = try await cli.ok(["history", "general"], as: "ann").stdout
            #expect(afterLines[2].contains("(reply to \(short[0]))"), "\(afterLines[2])")

            let unknown = try await cli.run(["send", "general", "--reply-to", "0000ffff", "x"], as: "ann")
            #expect(unknown.status == 1 && unknown.stderr.hasPrefix("fitchat: no message 0000ffff"), "\(unknown.stderr)")
            let tooShort = try await cli.run(["send", "general", "--reply-to", "abc", "x"], as: "ann")
            #expect(tooShort.status == 64, "\(tooShort.stderr)")
        }
    }

    /// Rooms and users by prefix; a name that looks like hex is still a name first.
    @Test func roomsAndUsersByPrefix() async throws {
        try await withAnnAndBob { cli in
            try await cli.register("cafe")
            let room = try #require(try await cli.ok(["rooms", "create", "general", "--json"], as: "ann").objects().first?["id"] as? String)
            let listed = try await cli.ok(["rooms"], as: "ann").stdout
            let short = try #require(listed.first?.components(separatedBy: "  id ").last?.split(separator: " ").first.map(String.init))
            #expect(short.count >= 8 && room.hasPrefix(short), "\(listed)")
            try await cli.ok(["send", short, "by the listed id"], as: "ann")
            try await cli.ok(["send", String(room.prefix(4)), "by four characters"], as: "ann")
            try await cli.ok(["send", room.uppercased(), "by the whole id in capitals"], as: "ann")
            let contents = try await cli.ok(["history", "general", "--json"], as: "ann").objects().compactMap { $0["content"] as? String }
            #expect(contents == ["by the listed id", "by four characters", "by the whole id in capitals"])

            let bob = try #require(try await cli.ok(["search", "users", "bob", "--json"], as: "ann").objects().first?["id"] as? String)
            try await cli.ok(["rooms", "add", "general", String(bob.prefix(10))], as: "ann")
            try await cli.ok(["rooms", "add", "general", "cafe"], as: "ann")
            let members = try await cli.ok(["rooms", "show", "general", "--json"], as: "ann").objects().first?["participants"] as? [[String: Any]]
            #expect(Set(members?.compactMap { $0["username"] as? String } ?? []) == ["ann", "bob", "cafe"])
            let shown = try await cli.ok(["rooms", "show", "general"], as: "ann").stdout
            #expect(shown.contains { $0.contains("bob (\(bob.prefix(8))") }, "\(shown)")
        }
    }

    /// Several rooms share a 4-character prefix: that prefix is refused with the candidates
    /// listed; the prefixes `rooms` prints tell them apart and work.
    @Test func anAmbiguousPrefixListsTheCandidates() async throws {
        try await withAnnAndBob { cli in
            let token = try #require(try await cli.ok(["token"], as: "ann").stdout.first)
            let api = try ChatAPI(server: try ServerAddress(cli.server), token: token)
            var byPrefix: [String: String] = [:]
            var pair: (String, String)?
            // About 300 random ids share a first 4 hex digits with one another on average; 1,500
            // make a miss less likely than one in ten million.
            for index in 0..<1500 where pair == nil {
                let room = try await api.createRoom(CreateRoomRequest(type: .group, name: "room-\(index)"))
                let four = String(room.id.uuidString.prefix(4))
                if let other = byPrefix[four] { pair = (other, room.id.uuidString) } else { byPrefix[four] = room.id.uuidString }
            }
            await api.shutdown()
            let (first, second) = try #require(pair)
            let four = String(first.prefix(4))
            let refused = try await cli.run(["rooms", "show", four], as: "ann")
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("room id prefix '\(four)' is ambiguous"), "\(refused.stderr)")
            let rooms = try await cli.ok(["rooms"], as: "ann").stdout
            func listed(_ id: String) throws -> String {
                let line = try #require(rooms.first { $0.contains("  id \(id.prefix(8))") })
                return try #require(line.components(separatedBy: "  id ").last?.split(separator: " ").first.map(String.init))
            }
            let (a, b) = (try listed(first), try listed(second))
            #expect(a != b && first.hasPrefix(a) && second.hasPrefix(b) && a.count >= 8 && b.count >= 8)
            #expect(refused.stderr.contains(a) && refused.stderr.contains(b), "\(refused.stderr)")
            let shownA = try await cli.ok(["rooms", "show", a, "--json"], as: "ann").objects().first?["id"] as? String
            let shownB = try await cli.ok(["rooms", "show", b, "--json"], as: "ann").objects().first?["id"] as? String
            #expect(shownA == first && shownB == second)
        }
    }

    /// State saved by the version of integer ids (profile, room cache, tail cursors) is read or
    /// dropped: no crash, no wrong room.
    @Test func stateSavedWithIntegerIdsIsReadOrDropped() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general"], as: "ann")
            let profile = cli.home.appendingPathComponent("config/profiles/ann.json")
            try #"{"server":"\#(cli.server)","user_id":1,"username":"ann"}"#.write(to: profile, atomically: true, encoding: .utf8)
            let state = cli.home.appendingPathComponent("state/ann")
            try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
            try #"[{"created_at":"2026-11-01T10:00:00.000Z","id":1,"last_seq":4,"name":"general","type":"group"}]"#
                .write(to: state.appendingPathComponent("rooms.json"), atomically: true, encoding: .utf8)
            try #"{"1":4}"#.write(to: state.appendingPathComponent("tail-cursors.json"), atomically: true, encoding: .utf8)

            let whoami = try await cli.ok(["whoami"], as: "ann")
            #expect(whoami.stdout.first?.contains("ann") == true)
            try await cli.ok(["send", "general", "still here"], as: "ann")
            let history = try await cli.ok(["history", "general", "--json"], as: "ann").objects()
            #expect(history.map { $0["content"] as? String } == ["still here"])
            let resumed = try await cli.run(["tail", "--since-last", "--json", "--count", "1", "--timeout", "1"], as: "ann")
            #expect(resumed.status == 75 && resumed.stdout.isEmpty, "no cursor survives, so nothing is replayed: \(resumed.stdout) \(resumed.stderr)")
        }
    }
}
