@testable import FitChatBots
import FitChatProtocol
import FitChatTestSupport
import Foundation
import Synchronization
import Testing

@Suite struct BotLogicTests {
    @Test func restartPolicies() {
        #expect(RestartPolicy.onFailure.restarts(after: .code(1)))
        #expect(RestartPolicy.onFailure.restarts(after: .signal(9)))
        #expect(!RestartPolicy.onFailure.restarts(after: .code(0)))
        #expect(RestartPolicy.always.restarts(after: .code(0)))
        #expect(!RestartPolicy.never.restarts(after: .code(3)))
        for policy in RestartPolicy.allCases { #expect(!policy.restarts(after: .code(78)), "78 is final under \(policy)") }
    }

    @Test func botsAreNamedAfterTheirScript() {
        #expect(BotConfiguration.defaultName(["python3", "bots/dice.py"]) == "dice")
        #expect(BotConfiguration.defaultName(["./bots/echo.sh"]) == "echo")
        #expect(BotConfiguration.defaultName(["/usr/local/bin/mybot", "--verbose"]) == "mybot")
        #expect(BotConfiguration(command: ["sh", "x.sh"], name: "custom").name == "custom")
    }

    @Test func restartDelaysDoubleToAMinuteAndResetAfterAHealthyRun() {
        var backoff = RestartBackoff()
        let delays = (0..<8).map { _ in backoff.delay(afterRunning: .seconds(1)) }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60].map { Duration.seconds($0) })
        #expect(backoff.delay(afterRunning: .seconds(61)) == .seconds(1))
        #expect(backoff.delay(afterRunning: .seconds(2)) == .seconds(2))
    }

    @Test func botOutputIsAFrameOrAReasonWhyNot() throws {
        let (seen, room) = (ChatID.random(), ChatID.random())
        let (other, otherRoom, unseen) = (ChatID.random(), ChatID.random(), ChatID.random())
        let known: (MessageID) -> RoomID? = { $0 == seen ? room : nil }
        #expect(BotOutput.parse("  ", roomOf: known) == nil)
        let reply = try #require(BotOutput.parse(#"{"type":"reply","id":"r1","data":{"to":"\#(seen)","content":"hi"}}"#, roomOf: known)).get()
        #expect(reply == .frame(ClientEnvelope(.sendMessage(SendMessage(roomID: room, content: "hi", replyToID: seen)), id: "r1")))
        let toData = try #require(
            BotOutput.parse(#"{"type":"reply","data":{"to":{"id":"\#(other)","room_id":"\#(otherRoom)"},"content":"yo"}}"#, roomOf: known)
        ).get()
        #expect(toData == .frame(ClientEnvelope(.sendMessage(SendMessage(roomID: otherRoom, content: "yo", replyToID: other)))))
        let file = try #require(BotOutput.parse(#"{"type":"send_file","id":"f","data":{"room_id":"\#(room)","path":"a.png"}}"#, roomOf: known)).get()
        #expect(file == .sendFile(FileToSend(roomID: room, path: "a.png"), id: "f"))
        #expect(BotOutput.parse(#"{"type":"send_file","data":{"room_id":"\#(room)"}}"#, roomOf: known) == .failure(BadOutput(message: "invalid: send_file: path is missing")))
        #expect(BotOutput.parse("not json", roomOf: known) == .failure(BadOutput(message: "bad_json: the frame is not valid JSON")))
        #expect(BotOutput.parse(#"{"type":"bogus"}"#, roomOf: known) == .failure(BadOutput(message: "unknown_type: unknown frame type \"bogus\"")))
        #expect(BotOutput.parse(#"{"type":"reply","data":{"to":"\#(unseen)","content":"x"}}"#, roomOf: known)
            == .failure(BadOutput(message: "reply: message \(unseen) is not one this bot has seen")))
        #expect(BotOutput.parse(#"{"type":"reply","data":{"to":8,"content":"x"}}"#, roomOf: known)
            == .failure(BadOutput(message: "reply needs \"to\": a new_message's data or its id (a UUID string)")))
        #expect(BotOutput.parse(#"{"type":"send_message","data":{"room_id":3,"content":"x"}}"#, roomOf: known)
            == .failure(BadOutput(message: "invalid: room_id must be a UUID string")))
    }

    /// Message rooms forget the earliest remembered first (ids are random: their order says nothing).
    @Test func messageRoomsForgetTheEarliestFirst() {
        let rooms = MessageRooms()
        let room = ChatID.random()
        let ids = (0..<(MessageRooms.capacity + 5)).map { _ in ChatID.random() }
        for id in ids { rooms.remember(id, in: room) }
        #expect(ids.prefix(5).allSatisfy { rooms.room(of: $0) == nil })
        #expect(ids.dropFirst(5).allSatisfy { rooms.room(of: $0) == room })
    }

    @Test func aFullInboxDropsTheOldestAndSaysHowMany() {
        let inbox = BotInbox(bound: 2)
        inbox.pushUrgent("urgent")
        for event in ["a", "b", "c", "d"] { inbox.push(event) }
        let generation = inbox.generation
        #expect(inbox.take(generation: generation) == "urgent")
        #expect(inbox.take(generation: generation) == #"{"data":{"count":2},"type":"events_dropped"}"#)
        #expect(inbox.take(generation: generation) == "c")
        #expect(inbox.take(generation: generation) == "d")
        inbox.endGeneration()
        #expect(inbox.take(generation: generation) == nil)
    }

    /// A cursor never passes an entry still on its way, and is what the next runner reads.
    @Test func cursorsWaitForTheOldestEntryInFlightAndSurviveARestart() throws {
        let file = try TestServer.makeDirectory().appendingPathComponent("cursors.json")
        let room = RoomID.random()
        let cursors = try BotCursors(file: file)
        cursors.start(room, at: 4)
        cursors.begin(room, seq: 5)
        cursors.begin(room, seq: 6)
        cursors.finish(room, seq: 6)
        #expect(cursors.stored(room) == 4, "5 is still on its way")
        cursors.finish(room, seq: 5)
        #expect(cursors.stored(room) == 6)
        #expect(try BotCursors(file: file).stored(room) == 6)
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// An entry counts as handed over when the writer comes back for the next line, or when it is dropped.
    @Test func theInboxTellsWhenAnEntryWasHandedOver() {
        let handed = Mutex<[Int64]>([])
        let room = RoomID.random()
        let inbox = BotInbox(bound: 2) { position in handed.withLock { $0.append(position.seq) } }
        for seq in Int64(1)...3 { inbox.push("e\(seq)", position: (room, seq)) }
        #expect(handed.withLock { $0 } == [1], "the oldest was dropped")
        let generation = inbox.generation
        _ = inbox.take(generation: generation)
        _ = inbox.take(generation: generation)
        #expect(handed.withLock { $0 } == [1], "e2 counts once the writer comes back")
        _ = inbox.take(generation: generation)
        #expect(handed.withLock { $0 } == [1, 2])
    }
}
