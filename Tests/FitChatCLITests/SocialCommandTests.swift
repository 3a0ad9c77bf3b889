import FitChatTestSupport
import Foundation
import Testing

@Suite struct SocialCommandTests {
    @Test func friendRequestsAcceptDeclineAndRemove() async throws {
        try await withAnnAndBob { cli in
            try await cli.register("cat")
            try await cli.ok(["friends", "add", "bob"], as: "ann")
            try await cli.ok(["friends", "add", "bob"], as: "cat")
            let requests = try await cli.ok(["friends", "requests", "--json"], as: "bob").objects()
            #expect(Set(requests.compactMap { ($0["from"] as? [String: Any])?["username"] as? String }) == ["ann", "cat"])

            try await cli.ok(["friends", "accept", "ann"], as: "bob")
            try await cli.ok(["friends", "decline", "cat"], as: "bob")
            let friends = try await cli.ok(["friends", "--json"], as: "bob").objects()
            #expect(friends.map { $0["username"] as? String } == ["ann"])
            #expect(try await cli.ok(["friends", "requests"], as: "bob").stdout.isEmpty)
            let missing = try await cli.run(["friends", "accept", "cat"], as: "bob")
            #expect(missing.status == 1)

            try await cli.ok(["friends", "remove", "ann"], as: "bob")
            #expect(try await cli.ok(["friends", "list"], as: "bob").stdout.isEmpty)
        }
    }

    @Test func blockingChangesWhatIsDelivered() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            try await cli.ok(["block", "bob"], as: "ann")
            #expect(try await cli.ok(["blocks", "--json"], as: "ann").objects().map { $0["username"] as? String } == ["bob"])
            // A DM to someone who blocked you is refused: exit 77.
            #expect(try await cli.run(["send", "@ann", "hi"], as: "bob").status == 77)

            // While blocked, nothing bob sends reaches ann's tail; after unblock it does.
            let tail = try cli.start(["tail", "general", "--json", "--count", "2", "--events", "room_joined,new_message"], as: "ann")
            var lines = tail.lines.makeAsyncIterator()
            #expect(await lines.next()?.contains("room_joined") == true)
            try await cli.ok(["send", "general", "from the blocked"], as: "bob")
            try await cli.ok(["unblock", "bob"], as: "ann")
            try await cli.ok(["send", "general", "after unblock"], as: "bob")
            let delivered = await lines.next() ?? ""
            #expect(delivered.contains("after unblock"))
            #expect(await tail.exitStatus() == 0)
            #expect(try await cli.ok(["blocks"], as: "ann").stdout.isEmpty)
        }
    }

    @Test func searchUsersAndMessages() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            try await cli.ok(["rooms", "create", "private"], as: "ann")
            try await cli.ok(["send", "general", "the deploy finished"], as: "ann")
            try await cli.ok(["send", "private", "secret deploy notes"], as: "ann")
            let users = try await cli.ok(["search", "users", "bo", "--json"], as: "ann").objects()
            #expect(users.map { $0["username"] as? String } == ["bob"])
            // bob only finds what is in his rooms.
            let found = try await cli.ok(["search", "messages", "deploy", "--json"], as: "bob").objects()
            #expect(found.map { $0["content"] as? String } == ["the deploy finished"])
            let inRoom = try await cli.ok(["search", "messages", "deploy", "--room", "private", "--json"], as: "ann").objects()
            #expect(inRoom.map { $0["content"] as? String } == ["secret deploy notes"])
        }
    }
}

/// `fitchat webhook`: the URL shown once posts from the hook; list and delete by name.
@Suite struct WebhookCommandTests {
    @Test func createPostListAndDelete() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "ops", "--member", "bob"], as: "ann")
            let url = try #require(try await cli.ok(["webhook", "create", "ops", "ci"], as: "ann").stdout.first)
            #expect(url.hasPrefix(cli.server + "/hooks/"), "\(url)")
            let curl = try await ChildProcess.run(
                URL(fileURLWithPath: "/usr/bin/env"), ["curl", "-sS", "-H", "Content-Type: text/plain", "--data-binary", "build 42 passed", url]
            )
            #expect(curl.status == 0 && curl.stdout == ["ok"], "\(curl.stderr)")
            let history = try await cli.ok(["history", "ops", "--json"], as: "bob").objects()
            #expect(history.last?["content"] as? String == "build 42 passed" && history.last?["sender_username"] as? String == "ci")
            let listed = try await cli.ok(["webhook", "list", "ops", "--json"], as: "bob").objects()
            #expect(listed.map { $0["name"] as? String } == ["ci"] && listed.first?["url"] == nil)
            #expect(try await cli.run(["webhook", "delete", "ops", "nope"], as: "ann").status == 1)
            try await cli.ok(["webhook", "delete", "ops", "ci"], as: "ann")
            let dead = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--data", "x", url])
            #expect(dead.stdout == ["404"])
        }
    }
}
