import FitChatProtocol
import FitChatTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import FitChatServer

/// Two `fitchat serve` nodes on one PostgreSQL database, the second hearing the first only
/// through its outbox poll (`--no-listen`): an entry made on the first reaches the second after a
/// later entry of the same room made on the second itself. Its subscribers must still get
/// every entry, in `seq` order.
@Suite(.enabled(if: PostgresTestDatabase.enabled)) struct LogOrderAcrossNodesTests {
    /// Node two polls the outbox every `pollSeconds` and never hears a NOTIFY.
    func withTwoNodes(pollSeconds: Int, _ body: (TestServer, TestServer) async throws -> Void) async throws {
        let url = try await PostgresTestDatabase.create()
        let nodes = ClusterTests()
        try await nodes.withNode(url) { one in
            try await nodes.withNode(url, ["--no-listen", "--poll-interval", String(pollSeconds)]) { two in try await body(one, two) }
        }
    }

    /// A room of ann, bob and carol, made on node one; bob as a client of node two.
    func threeUsers(_ one: TestServer, _ two: TestServer) async throws -> (RoomInfo, TestUser, TestUser, TestUser) {
        let ann = try await one.register("ann")
        let bob = try await one.register("bob")
        let carol = try await one.register("carol")
        let room = try await one.group("ops", owner: ann, members: [bob, carol])
        return (room, ann, TestUser(info: bob.info, token: bob.token, api: APIClient(baseURL: two.baseURL, token: bob.token)), carol)
    }

    /// The room's next two entries: one made on node one, then one on node two, which node two
    /// publishes at once while the first is still on its way.
    func sendAcrossNodes(_ room: RoomInfo, first: TestUser, second: TestUser) async throws -> (ChatMessage, ChatMessage) {
        let early: ChatMessage = try first.api.expect(try await first.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "first")))
        let late: ChatMessage = try second.api.expect(try await second.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "second")))
        #expect(late.seq == early.seq + 1)
        return (early, late)
    }

    @Test func anEntryFromTheOtherNodeIsNotOvertakenByALaterOneMadeHere() async throws {
        try await withTwoNodes(pollSeconds: 2) { one, two in
            let (room, ann, bobOnTwo, carol) = try await threeUsers(one, two)
            let carolSocket = try await TestSocket.connect(two, as: carol)
            _ = try await carolSocket.join(room.id)

            for round in 0..<2 {
                let (early, late) = try await sendAcrossNodes(room, first: ann, second: bobOnTwo)
                var seen: [ChatMessage] = []
                while seen.count < 2 {
                    if case .newMessage(let message) = try await carolSocket.next("new_message").event { seen.append(message) }
                }
                #expect(seen.map(\.id) == [early.id, late.id], "round \(round): \(seen.map(\.content))")
            }
            // Node two read node one's entries only when it polled: the lag it reports says so.
            let lag = try #require(try await MetricsTests.scrape(two.baseURL)["fitchat_cluster_outbox_lag_seconds"])
            #expect(lag > 0 && lag < 5, "\(lag)")
        }
    }

    /// A slow node's transaction wrote to the outbox first and commits last, after a later row
    /// was committed and announced: node two still applies it, and before the later row (it
    /// reads up to the oldest transaction still running, so it never reads past a row to come).
    @Test func anOutboxRowCommittedAfterLaterOnesIsNotSkipped() async throws {
        let url = try await PostgresTestDatabase.create()
        let nodes = ClusterTests()
        try await nodes.withNode(url) { one in
            try await nodes.withNode(url) { two in
                let ann = try await one.register("ann")
                let carol = try await one.register("carol")
                let room = try await one.group("ops", owner: ann, members: [carol])
                let carolSocket = try await TestSocket.connect(two, as: carol)
                _ = try await carolSocket.join(room.id)

                let marker = RoomID.random()
                let frame = try WireCoding.makeEncoder().encode(ServerEnvelope(.roomUpdated(RoomUpdated(roomID: marker, change: .renamed))))
                let event = ClusterEvent.userFrame(userIDs: [carol.info.id], frame: String(decoding: frame, as: UTF8.self), roomID: nil)
                let payload = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
                let later: ChatMessage = try await PostgresTestDatabase.withClient(url) { client in
                    try await client.withTransaction(logger: PostgresTestDatabase.quietLogger) { connection in
                        try await connection.query(
                            "INSERT INTO outbox (node_id, payload, created_at) VALUES ('a-slow-node', \(payload), 0)",
                            logger: PostgresTestDatabase.quietLogger
                        )
                        // Committed (acknowledged) and announced while the slow one is still open.
                        return try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "later")))
                    }
                }
                var seen: [String] = []
                while seen.count < 2 {
                    switch try await carolSocket.next().event {
                    case .roomUpdated(let update) where update.roomID == marker: seen.append("slow")
                    case .newMessage(let message) where message.id == later.id: seen.append("later")
                    default: continue
                    }
                }
                #expect(seen == ["slow", "later"])
            }
        }
    }

    @Test func aGapThatDoesNotFillClosesWith1013AndTheResumeHasEverything() async throws {
        // Node two would read node one's entry after 60 s: the connection gives up after 10.
        try await withTwoNodes(pollSeconds: 60) { one, two in
            let (room, ann, bobOnTwo, carol) = try await threeUsers(one, two)
            let carolSocket = try await TestSocket.connect(two, as: carol)
            let joined = try await carolSocket.join(room.id)

            let (_, late) = try await sendAcrossNodes(room, first: ann, second: bobOnTwo)
            let close = try #require(try await carolSocket.closeFrame(timeout: .seconds(20)))
            #expect(close.closeCode == .unknown(1013) && close.reason?.contains("since_seq") == true, "\(close)")

            let back = try await TestSocket.connect(two, as: carol)
            let resumed = try await back.join(room.id, sinceSeq: joined.lastSeq)
            #expect(resumed.replayed == 2 && resumed.lastSeq == late.seq)
            await back.close()
        }
    }
}
