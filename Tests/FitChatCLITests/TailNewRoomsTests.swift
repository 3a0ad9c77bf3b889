import FitChatTestSupport
import Foundation
import Testing

/// `tail` with no ROOM follows every room of the user, including rooms they are added to and
/// direct rooms opened with them while it runs, from the moment they join.
@Suite struct TailNewRoomsTests {
    @Test func tailFollowsRoomsJoinedWhileItRuns() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            let tail = try cli.start(["tail", "--json", "--events", "room_joined,new_message", "--timeout", "30"], as: "bob")
            var follower = Follower(tail)
            #expect(try await follower.next().type == "room_joined")

            try await cli.ok(["rooms", "create", "later", "--member", "bob"], as: "ann")
            try await cli.ok(["send", "later", "hello later"], as: "ann")
            try await cli.ok(["send", "@bob", "a direct hello"], as: "ann")
            try await cli.ok(["send", "general", "and in general"], as: "ann")
            var messages: [String] = []
            var joined = 0
            while messages.count < 3 {
                let event = try await follower.next()
                if event.type == "room_joined" { joined += 1 }
                if event.type == "new_message", let content = event.data["content"] as? String { messages.append(content) }
            }
            #expect(Set(messages) == ["hello later", "a direct hello", "and in general"])
            #expect(joined == 2, "the new group and the new direct room were joined")
            tail.signal(SIGTERM)
            _ = await tail.exitStatus()

            // Human output names the rooms as people do: #group, @user for a direct room.
            try await cli.ok(["send", "@bob", "again"], as: "ann")
            let human = try await cli.ok(["tail", "--history", "1", "--count", "1", "@ann"], as: "bob").stdout
            #expect(human.first?.contains(" @ann ann: again") == true, "\(human)")
        }
    }
}
