import FitChatProtocol
import FitChatTestSupport
import Foundation
import PostgresNIO
import Testing

/// Two `fitchat serve` processes on one PostgreSQL database: what happens on one reaches the
/// other. Nodes give up a silent peer after 1.5 s here (`--node-timeout`).
@Suite(.enabled(if: PostgresTestDatabase.enabled)) struct ClusterTests {
    static let nodeArguments = ["--node-timeout", "1.5"]

    /// Runs `body` with two nodes sharing a fresh database; both are stopped afterwards.
    func withTwoNodes(_ extra: [String] = [], _ body: (TestServer, TestServer) async throws -> Void) async throws {
        let url = try await PostgresTestDatabase.create()
        try await withNode(url, extra) { one in
            try await withNode(url, extra) { two in try await body(one, two) }
        }
    }

    func withNode(_ url: String, _ extra: [String] = [], _ body: (TestServer) async throws -> Void) async throws {
        let node = try await ServerProcess.start(database: url, arguments: Self.nodeArguments + extra)
        let server = TestServer.attached(port: node.port, directory: try TestServer.makeDirectory())
        do {
            try await body(server)
        } catch {
            await node.stop()
            throw error
        }
        let stopped = await node.stop()
        let log = stopped ? "" : await node.stderr()
        #expect(stopped, "the node did not stop on SIGTERM: \(log)")
    }

    /// A hook posted to on one node reaches a client on the other.
    @Test func aWebhookPostOnOneNodeReachesTheOther() async throws {
        try await withTwoNodes { one, two in
            let ann = try await one.register("ann")
            let bob = try await one.register("bob")
            let room = try await one.group("ops", owner: ann, members: [bob])
            let hook: WebhookInfo = try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/webhooks", CreateWebhookRequest(name: "uptime")))
            let bobSocket = try await TestSocket.connect(two, as: bob)
            _ = try await bobSocket.join(room.id)
            let path = try #require(hook.url.flatMap(URLComponents.init(string:))?.path)
            #expect(try await one.anonymous.request(.POST, path, rawBody: #"{"text":"site down"}"#).status == 200)
            guard case .newMessage(let message) = try await bobSocket.next("new_message").event else { throw TestFailure("no message") }
            #expect(message.content == "site down" && message.senderUsername == "uptime")
        }
    }

    /// Edits, reactions and deletions made on one node reach the other, live and on resume.
    @Test func messageChangesCrossNodes() async throws {
        try await withTwoNodes { one, two in
            let ann = try await one.register("ann")
            let bob = try await one.register("bob")
            let room = try await one.group("ops", owner: ann, members: [bob])
            let bobSocket = try await TestSocket.connect(two, as: bob)
            _ = try await bobSocket.join(room.id)
            let message: ChatMessage = try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "draft")))
            _ = try await bobSocket.next("new_message")
            _ = try await ann.api.patch("/api/messages/\(message.id)", EditMessageRequest(content: "final"))
            #expect(try await ann.api.request(.PUT, "/api/messages/\(message.id)/reactions/%E2%9C%85").status == 204)
            #expect(try await ann.api.delete("/api/messages/\(message.id)").status == 204)
            var live: [ServerEvent] = []
            while live.count < 3 {
                let frame = try await bobSocket.next()
                if frame.event.roomPosition != nil { live.append(frame.event) }
            }
            guard case .messageEdited(let edit) = live[0], case .reaction(let reaction) = live[1], case .messageDeleted(let deletion) = live[2] else {
                throw TestFailure("\(live)")
            }
            #expect(edit.message.content == "final" && reaction.emoji == "✅" && reaction.username == "ann" && deletion.id == message.id)
            #expect(live.compactMap { $0.roomPosition?.seq } == [2, 3, 4])
            await bobSocket.close()

            let back = try await TestSocket.connect(two, as: bob)
            let resumed = try await back.join(room.id, sinceSeq: 1)
            #expect(resumed.replayed == 3 && resumed.lastSeq == 4)
        }
    }

    /// A file uploaded through one node is sent and downloaded through the other.
    @Test func aFileUploadedOnOneNodeIsServedByTheOther() async throws {
        try await withTwoNodes { one, two in
            let ann = try await one.register("ann")
            let bob = try await one.register("bob")
            let room = try await one.group("files", owner: ann, members: [bob])
            let bobSocket = try await TestSocket.connect(two, as: bob)
            _ = try await bobSocket.join(room.id)
            let data = Data((0..<700_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
            let info: AttachmentInfo = try ann.api.expect(
                try await ann.api.request(.POST, "/api/rooms/\(room.id)/attachments?filename=data.bin", bytes: data)
            )
            _ = try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "the data", attachmentID: info.id))
            guard case .newMessage(let message) = try await bobSocket.next("new_message").event else { throw TestFailure("no message") }
            #expect(message.attachment == info)
            let onTwo = APIClient(baseURL: two.baseURL, token: bob.token)
            #expect(try await onTwo.get("/api/attachments/\(info.id)").body == data)
        }
    }

    /// A token logged out on one node is refused by the other before the logout answers.
    @Test func aLogoutOnOneNodeRevokesTheTokenOnBoth() async throws {
        try await withTwoNodes { one, two in
            let ann = try await one.register("ann")
            let onTwo = APIClient(baseURL: two.baseURL, token: ann.token)
            #expect(try await onTwo.get("/api/users/me").status == 200)
            #expect(try await ann.api.post("/api/auth/logout").status == 204)
            let refused = try await onTwo.get("/api/users/me")
            #expect(refused.status == 401 && refused.error?.error.message.contains("revoked") == true)
            #expect(try await ann.api.get("/api/users/me").status == 401)
            let upgrade = try await RawWebSocketClient.run("print(status, flush=True)\n", server: two, token: ann.token)
            #expect(upgrade.first?.contains(" 401 ") == true, "\(upgrade)")
        }
    }

    @Test func messagesTypingReceiptsAndRoomUpdatesCrossNodes() async throws {
        try await withTwoNodes { one, two in
            let ann = try await one.register("ann")
            let bob = try await two.register("bob")
            let room = try await one.group("general", owner: ann, members: [bob])
            let annSocket = try await TestSocket.connect(one, as: ann)
            _ = try await annSocket.join(room.id)
            let bobSocket = try await TestSocket.connect(two, as: bob)
            _ = try await bobSocket.join(room.id)
            #expect(try await annSocket.next("user_status_change").event == .userStatusChange(.init(userID: bob.id, isOnline: true, username: "bob")))

            try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "hello from one")))
            guard case .messageSent(let sent) = try await annSocket.next("message_sent").event,
                case .newMessage(let received) = try await bobSocket.next("new_message").event
            else { throw TestFailure("no message crossed") }
            #expect(received.id == sent.id && received.seq == 1 && received.content == "hello from one" && received.senderUsername == "ann")
            #expect(try await annSocket.next("message_delivered").event == .messageDelivered(.init(roomID: room.id, deliveries: [.init(userID: bob.id, messageIDs: [sent.id])])))

            try bobSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "hi from two")))
            guard case .newMessage(let reply) = try await annSocket.next("new_message").event else { throw TestFailure("no reply") }
            #expect(reply.seq == 2 && reply.senderID == bob.id)

            try bobSocket.send(.typingStart(RoomReference(roomID: room.id)))
            #expect(try await annSocket.next("typing_indicator").event == .typingIndicator(.init(roomID: room.id, userID: bob.id, username: "bob", isTyping: true)))
            #expect(try await annSocket.next("typing_indicator").event == .typingIndicator(.init(roomID: room.id, userID: bob.id, username: "bob", isTyping: false)))

            try bobSocket.send(.messageRead(MessageRead(roomID: room.id, messageIDs: [sent.id])))
            #expect(try await annSocket.next("message_read_receipt").event == .messageReadReceipt(.init(roomID: room.id, userID: bob.id, messageIDs: [sent.id])))

            _ = try ann.api.expect(try await ann.api.patch("/api/rooms/\(room.id)", RenameRoomRequest(name: "lobby")), RoomInfo.self)
            guard case .roomUpdated(let update) = try await bobSocket.next("room_updated").event else { throw TestFailure("no room update") }
            #expect(update.room?.name == "lobby")
        }
    }

    /// A block made through node 1 is enforced by node 2's fan-out; removal from a room on one
    /// node stops delivery on the other.
    @Test func blocksAndMembershipChangesReachTheOtherNode() async throws {
        try await withTwoNodes { one, two in
            let ann = try await one.register("ann")
            let bob = try await one.register("bob")
            let room = try await one.group("general", owner: ann, members: [bob])
            let other = try await one.group("other", owner: ann, members: [bob])
            let bobSocket = try await TestSocket.connect(two, as: bob)
            _ = try await bobSocket.join(room.id)
            _ = try bob.api.expect(try await bob.api.post("/api/blocks", UserReference(userID: ann.id)), UserInfo.self)
            let annSocket = try await TestSocket.connect(one, as: ann)
            _ = try await annSocket.join(room.id)
            try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "can you hear me?")))
            _ = try await annSocket.next("message_sent")
            // The outbox is read in commit order: what bob got before this comes before it.
            #expect(try await bob.api.delete("/api/blocks/\(ann.id)").status == 204)
            try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "and now?")))
            guard case .newMessage(let heard) = try await bobSocket.next("new_message").event else { throw TestFailure("nothing") }
            #expect(heard.content == "and now?", "the blocked message was delivered on the other node")

            #expect(try await ann.api.delete("/api/rooms/\(room.id)/participants/\(bob.id)").status == 204)
            _ = try await bobSocket.next("room_updated")
            try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "bob is gone")))
            _ = try await annSocket.next("message_sent")
            _ = try await ann.api.patch("/api/rooms/\(other.id)", RenameRoomRequest(name: "marker"))
            let before = try await bobSocket.until { if case .roomUpdated(let update) = $0, update.room?.name == "marker" { true } else { false } }
            #expect(!before.contains("new_message"), "a removed member still got messages from the other node: \(before)")
        }
    }

    /// Presence is per user, not per node: online while any node holds a connection.
    @Test func presenceWithConnectionsOnTwoNodes() async throws {
        try await withTwoNodes { one, two in
            let ann = try await one.register("ann")
            let bob = try await one.register("bob")
            _ = try await one.group("general", owner: ann, members: [bob])
            let bobSocket = try await TestSocket.connect(one, as: bob)
            let annOnTwo = try await TestSocket.connect(two, as: ann)
            #expect(try await bobSocket.next("user_status_change").event == .userStatusChange(.init(userID: ann.id, isOnline: true, username: "ann")))
            let asSeenOnOne: UserInfo = try bob.api.expect(try await bob.api.get("/api/users/\(ann.id)"))
            #expect(asSeenOnOne.isOnline == true, "node 1 knows ann is online on node 2")

            let annOnOne = try await TestSocket.connect(one, as: ann)
            await annOnTwo.close()
            await annOnOne.close()
            guard case .userStatusChange(let change) = try await bobSocket.next("user_status_change").event else { throw TestFailure("") }
            #expect(!change.isOnline && change.lastSeen != nil)
            // A marker from each node, ordered after anything either could still say about ann.
            let room = try await one.group("markers", owner: bob, members: [])
            let bobOnTwo = APIClient(baseURL: two.baseURL, token: bob.token)
            for (api, name) in [(bob.api, "from one"), (bobOnTwo, "from two")] {
                _ = try await api.patch("/api/rooms/\(room.id)", RenameRoomRequest(name: name))
                let before = try await bobSocket.until { if case .roomUpdated(let update) = $0, update.room?.name == name { true } else { false } }
                #expect(!before.contains("user_status_change"), "ann's presence changed again: \(before)")
            }
        }
    }

    /// NOTIFY only wakes nodes up: with no listener at all, polling still delivers everything.
    @Test func pollingAloneLosesNothing() async throws {
        try await withTwoNodes(["--no-listen"]) { one, two in
            let ann = try await one.register("ann")
            let bob = try await two.register("bob")
            let room = try await one.group("general", owner: ann, members: [bob])
            let bobSocket = try await TestSocket.connect(two, as: bob)
            _ = try await bobSocket.join(room.id)
            for index in 1...20 {
                _ = try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "m\(index)")), ChatMessage.self)
            }
            var seqs: [Int64] = []
            while seqs.count < 20 {
                if case .newMessage(let message) = try await bobSocket.next("new_message").event { seqs.append(message.seq) }
            }
            #expect(seqs == Array(1...20))
        }
    }

    /// A node killed with SIGKILL: the other node gives it up and its users go offline.
    @Test func aDeadNodesUsersGoOffline() async throws {
        let url = try await PostgresTestDatabase.create()
        try await withNode(url) { one in
            let ann = try await one.register("ann")
            let bob = try await one.register("bob")
            _ = try await one.group("general", owner: ann, members: [bob])
            let annSocket = try await TestSocket.connect(one, as: ann)
            let doomed = try await ServerProcess.start(database: url, arguments: Self.nodeArguments)
            let bobSocket = try await TestSocket.connect(TestServer.attached(port: doomed.port, directory: one.directory), as: bob)
            #expect(try await annSocket.next("user_status_change").event == .userStatusChange(.init(userID: bob.id, isOnline: true, username: "bob")))
            await doomed.kill(SIGKILL)
            guard case .userStatusChange(let change) = try await annSocket.next("user_status_change", timeout: .seconds(20)).event else {
                throw TestFailure("")
            }
            #expect(change.userID == bob.id && !change.isOnline && change.lastSeen != nil)
            let asSeen: UserInfo = try ann.api.expect(try await ann.api.get("/api/users/\(bob.id)"))
            #expect(asSeen.isOnline == false)
            _ = bobSocket
        }
    }

    /// A transaction left open on the database holds back every node's outbox reading: the
    /// node says so in its log once the transaction is older than the node timeout.
    @Test func aLongOpenTransactionIsReported() async throws {
        let url = try await PostgresTestDatabase.create()
        let node = try await ServerProcess.start(database: url, arguments: Self.nodeArguments)
        let warning = "holds back what this node hears from the others"
        do {
            try await PostgresTestDatabase.withClient(url) { client in
                try await client.withTransaction(logger: PostgresTestDatabase.quietLogger) { connection in
                    try await connection.query("INSERT INTO settings (key, value) VALUES ('forgotten', 'begin')", logger: PostgresTestDatabase.quietLogger)
                    for _ in 0..<200 where !node.child.stderrSoFar().contains(warning) {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    // Kept open for three more heartbeats (each checks again): still one warning.
                    var beats: Set<Int> = []
                    for _ in 0..<200 where beats.count < 4 {
                        beats.insert(try await PostgresTestDatabase.count("SELECT heartbeat_at FROM nodes", in: url))
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    throw Rollback()
                }
            }
        } catch let error as PostgresTransactionError where error.closureError is Rollback {}
        #expect(await node.stop())
        // Other tests' transactions on the same server hold the horizon too: count this one's.
        let database = try #require(URLComponents(string: url)?.path.split(separator: "/").first.map(String.init))
        let log = await node.stderr()
        let reports = log.split(separator: "\n").filter { $0.contains(warning) && $0.contains(database) }
        #expect(reports.count == 1, "reported once: \(log)")
    }

    /// Outbox rows older than the retention are deleted.
    @Test func oldOutboxRowsArePruned() async throws {
        let url = try await PostgresTestDatabase.create()
        // Long enough that the row is surely still there when first counted, on a busy machine too.
        try await withNode(url, ["--outbox-retention", "10"]) { one in
            let ann = try await one.register("ann")
            let room = try await one.group("general", owner: ann, members: [])
            _ = try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "soon gone")), ChatMessage.self)
            #expect(try await PostgresTestDatabase.count("SELECT COUNT(*) FROM outbox WHERE message_id IS NOT NULL", in: url) == 1)
            var remaining = 1
            for _ in 0..<400 where remaining > 0 {
                try await Task.sleep(for: .milliseconds(100))
                remaining = try await PostgresTestDatabase.count("SELECT COUNT(*) FROM outbox WHERE message_id IS NOT NULL", in: url)
            }
            #expect(remaining == 0)
            #expect(try await PostgresTestDatabase.count("SELECT COUNT(*) FROM messages", in: url) == 1, "the message itself stays")
        }
    }
}

/// Ends a test's transaction by rolling it back.
private struct Rollback: Error {}

extension TestSocket {
    /// The types of the events that arrive before the first one `marker` accepts. For "nothing
    /// crossed" checks across nodes, where `drain()`'s ping barrier says nothing about the other
    /// node: the marker is an event the other node published after what must not arrive.
    func until(_ marker: (ServerEvent) -> Bool) async throws -> [String] {
        var seen: [String] = []
        while true {
            let event = try await next().event
            if marker(event) { return seen }
            seen.append(event.type)
        }
    }
}
