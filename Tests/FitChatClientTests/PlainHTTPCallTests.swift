@testable import FitChatClient
import FitChatProtocol
import Foundation
import Testing

/// One-shot calls on real sockets against a scripted peer: what is sent, answers in pieces,
/// and the failures a script must tell apart (refused, silent, hung up).
@Suite struct PlainHTTPCallTests {
    func call(port: Int, answerTimeout: Duration = .seconds(10)) -> PlainHTTPCall {
        PlainHTTPCall(host: "127.0.0.1", port: port, connectTimeout: .seconds(5), answerTimeout: answerTimeout, maximumBodySize: 1 << 20)
    }

    static let head = "POST /api/rooms/r/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 17\r\nConnection: close\r\n\r\n"

    @Test func theRequestGoesOutWholeAndAnAnswerInPiecesComesBackWhole() throws {
        let server = try ScriptedServer([
            .send("HTTP/1.1 201 Created\r\nTransfer-"), .pause(milliseconds: 30),
            .send("Encoding: chunked\r\n\r\n7\r\n{\"a\""), .pause(milliseconds: 30),
            .send(":1}\r\n0\r\n\r\n"), .hang,
        ])
        defer { server.stop() }
        let response = try call(port: server.port).perform(head: Self.head, body: Array(#"{"content":"hi"}"#.utf8) + [10])
        #expect(response == .init(status: 201, body: Array(#"{"a":1}"#.utf8)))
        #expect(server.received == Self.head + #"{"content":"hi"}"# + "\n")
    }

    /// What a one-shot `ChatAPI` puts on the wire: one request that says it is the last on its
    /// connection, its base path, token and JSON body; and a chunked answer decoded.
    @Test func aOneShotAPICallIsOneRequestOnItsOwnConnection() async throws {
        let server = try ScriptedServer([
            .send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"),
            .send("1f\r\n{\"room_id\":\"00000000-0000-4000-\r\n"),
            .send("36\r\n8000-000000000001\",\"last_read_seq\":7,\"unread_count\":0}\r\n0\r\n\r\n"),
        ])
        defer { server.stop() }
        let api = try ChatAPI(server: ServerAddress("http://127.0.0.1:\(server.port)/chat"), token: "t0k3n", transport: .connectionPerCall)
        let room = RoomID(uuid: try #require(UUID(uuidString: "00000000-0000-4000-8000-000000000001")))
        let state = try await api.markRead(room, MarkReadRequest(upToSeq: 7))
        #expect(state.lastReadSeq == 7)
        let body = #"{"up_to_seq":7}"#
        #expect(server.received == """
            POST /chat/api/rooms/00000000-0000-4000-8000-000000000001/read HTTP/1.1\r
            Host: 127.0.0.1:\(server.port)\r
            User-Agent: fitchat-cli\r
            Authorization: Bearer t0k3n\r
            Content-Type: application/json\r
            Content-Length: \(body.utf8.count)\r
            Connection: close\r
            \r
            \(body)
            """)
    }

    @Test func aSilentServerTimesOutAtTheDeadline() throws {
        let server = try ScriptedServer([.hang])
        defer { server.stop() }
        let started = ContinuousClock.now
        #expect(throws: PlainHTTPCall.Failure.answerTimedOut) {
            try call(port: server.port, answerTimeout: .milliseconds(300)).perform(head: Self.head, body: Array("{\"content\":\"hi\"}\n".utf8))
        }
        #expect(ContinuousClock.now - started >= .milliseconds(300))
    }

    @Test func aServerThatHangsUpWithoutAnsweringSaysSo() throws {
        let server = try ScriptedServer([])
        defer { server.stop() }
        #expect(throws: PlainHTTPCall.Failure.answer(.closedBeforeAnswering)) {
            try call(port: server.port).perform(head: Self.head, body: Array("{\"content\":\"hi\"}\n".utf8))
        }
    }

    @Test func aRefusedConnectionCarriesItsReason() throws {
        let server = try ScriptedServer([])
        let port = server.port
        server.stop()
        #expect(throws: PlainHTTPCall.Failure.connectFailed(errno: ECONNREFUSED)) {
            try call(port: port).perform(head: Self.head, body: [])
        }
    }
}
