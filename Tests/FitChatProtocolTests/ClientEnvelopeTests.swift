import FitChatProtocol
import Foundation
import Testing

@Suite struct ClientEnvelopeTests {
    let decoder = WireCoding.makeDecoder()

    func parse(_ text: String) -> Result<ClientEnvelope, ClientEnvelope.ParseError> {
        ClientEnvelope.parse(Data(text.utf8), decoder: decoder)
    }

    @Test func parsesSeedFramesWithTheirFieldNames() throws {
        let envelope = try parse(#"{"type":"send_message","id":"r1","data":{"room_id":7,"content":"hi","reply_to_id":3,"client_msg_id":"k"}}"#).get()
        #expect(envelope.id == "r1")
        #expect(envelope.frame == .sendMessage(SendMessage(roomID: 7, content: "hi", replyToID: 3, clientMessageID: "k")))
        let read = try parse(#"{"type":"message_read","data":{"room_id":1,"message_ids":[4,5]}}"#).get()
        #expect(read.frame == .messageRead(MessageRead(roomID: 1, messageIDs: [4, 5])))
        let join = try parse(#"{"type":"join_room","data":{"room_id":1,"since_seq":10}}"#).get()
        #expect(join.frame == .joinRoom(JoinRoom(roomID: 1, sinceSeq: 10)))
    }

    @Test func namesEachKindOfBadInput() {
        #expect(try parse("{not json").failure?.code == .badJSON)
        #expect(try parse("[1,2]").failure?.code == .badFrame)
        #expect(try parse(#"{"data":{}}"#).failure?.code == .badFrame)
        let unknown = parse(#"{"type":"fly","id":"x"}"#).failure
        #expect(unknown?.code == .unknownType)
        #expect(unknown?.id == "x")
        #expect(unknown?.requestType == "fly")
    }

    @Test func invalidFieldsNameTheField() {
        let missing = parse(#"{"type":"send_message","data":{"content":"hi"}}"#).failure
        #expect(missing?.code == .invalid)
        #expect(missing?.message == "room_id is missing")
        #expect(missing?.requestType == "send_message")
        let wrongType = parse(#"{"type":"join_room","data":{"room_id":"seven"}}"#).failure
        #expect(wrongType?.message == "room_id must be an integer")
        let element = parse(#"{"type":"message_read","data":{"room_id":1,"message_ids":[1,"x"]}}"#).failure
        #expect(element?.message.hasPrefix("message_ids[1]") == true)
        let noData = parse(#"{"type":"leave_room"}"#).failure
        #expect(noData?.message == "data is missing")
    }

    @Test func pingEchoesAnyNumberExactly() throws {
        let integer = try parse(#"{"type":"ping","data":{"timestamp":1732000000123}}"#).get()
        #expect(integer.frame == .ping(Heartbeat(timestamp: .integer(1_732_000_000_123))))
        let fraction = try parse(#"{"type":"ping","data":{"timestamp":1.5}}"#).get()
        #expect(fraction.frame == .ping(Heartbeat(timestamp: .double(1.5))))
        let pong = try WireCoding.makeEncoder().encode(ServerEnvelope(.pong(Heartbeat(timestamp: .integer(1_732_000_000_123)))))
        #expect(String(decoding: pong, as: UTF8.self).contains(#""timestamp":1732000000123"#))
    }

    @Test func serverEventsRoundTripWithSeedNames() throws {
        let message = ChatMessage(
            id: 1, roomID: 2, senderID: 3, content: "hi", createdAt: Date(timeIntervalSince1970: 1_700_000_000.123), seq: 4,
            senderUsername: "ann", messageType: "text"
        )
        let data = try WireCoding.makeEncoder().encode(ServerEnvelope(.newMessage(message), id: "q"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["type"] as? String == "new_message")
        #expect(object["id"] as? String == "q")
        let fields = try #require(object["data"] as? [String: Any])
        for key in ["id", "room_id", "sender_id", "content", "created_at", "seq", "sender_username", "message_type"] {
            #expect(fields[key] != nil, "missing \(key)")
        }
        #expect(fields["created_at"] as? String == "2023-11-14T22:13:20.123Z")
        let decoded = try WireCoding.makeDecoder().decode(ServerEnvelope.self, from: data)
        guard case .newMessage(let roundTripped) = decoded.event else { throw TestFailure("wrong event \(decoded)") }
        #expect(RFC3339.string(from: roundTripped.createdAt) == "2023-11-14T22:13:20.123Z")
        #expect(roundTripped.seq == 4)
        #expect(roundTripped.senderUsername == "ann")
    }
}

struct TestFailure: Error {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
