@testable import FitChatBots
import FitChatProtocol
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
        let known: (MessageID) -> RoomID? = { $0 == 7 ? 3 : nil }
        #expect(BotOutput.parse("  ", roomOf: known) == nil)
        let reply = try #require(BotOutput.parse(#"{"type":"reply","id":"r1","data":{"to":7,"content":"hi"}}"#, roomOf: known)).get()
        #expect(reply == ClientEnvelope(.sendMessage(SendMessage(roomID: 3, content: "hi", replyToID: 7)), id: "r1"))
        let toData = try #require(BotOutput.parse(#"{"type":"reply","data":{"to":{"id":9,"room_id":4},"content":"yo"}}"#, roomOf: known)).get()
        #expect(toData.frame == .sendMessage(SendMessage(roomID: 4, content: "yo", replyToID: 9)))
        #expect(BotOutput.parse("not json", roomOf: known) == .failure(BadOutput(message: "bad_json: the frame is not valid JSON")))
        #expect(BotOutput.parse(#"{"type":"bogus"}"#, roomOf: known) == .failure(BadOutput(message: "unknown_type: unknown frame type \"bogus\"")))
        #expect(BotOutput.parse(#"{"type":"reply","data":{"to":8,"content":"x"}}"#, roomOf: known)
            == .failure(BadOutput(message: "reply: message 8 is not one this bot has seen")))
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
}
