import FitChatProtocol
import Foundation
import Testing

@Suite struct ClientEnvelopeTests {
    let decoder = WireCoding.makeDecoder()

    func parse(_ text: String) -> Result<ClientEnvelope, ClientEnvelope.ParseError> {
        ClientEnvelope.parse(Data(text.utf8), decoder: decoder)
    }

    let room = "0192f1c3-7b1e-4c3a-9f00-5d2e8a1b4c6d"
    let message = "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"

    func id(_ text: String) throws -> ChatID { try #require(ChatID(text)) }

    @Test func parsesSeedFramesWithTheirFieldNames() throws {
        let envelope = try parse(#"{"type":"send_message","id":"r1","data":{"room_id":"\#(room)","content":"hi","reply_to_id":"\#(message)","client_msg_id":"k"}}"#).get()
        #expect(envelope.id == "r1")
        #expect(envelope.frame == .sendMessage(SendMessage(roomID: try id(room), content: "hi", replyToID: try id(message), clientMessageID: "k")))
        let read = try parse(#"{"type":"message_read","data":{"room_id":"\#(room)","message_ids":["\#(message)"]}}"#).get()
        #expect(read.frame == .messageRead(MessageRead(roomID: try id(room), messageIDs: [try id(message)])))
        let join = try parse(#"{"type":"join_room","data":{"room_id":"\#(room)","since_seq":10}}"#).get()
        #expect(join.frame == .joinRoom(JoinRoom(roomID: try id(room), sinceSeq: 10)))
    }

    @Test func idsAreTakenInAnyCaseAndWrittenInLowercase() throws {
        let join = try parse(#"{"type":"join_room","data":{"room_id":"\#(room.uppercased())"}}"#).get()
        #expect(join.frame == .joinRoom(JoinRoom(roomID: try id(room))))
        let encoded = try WireCoding.makeEncoder().encode(ClientEnvelope(join.frame))
        #expect(String(decoding: encoded, as: UTF8.self).contains(#""room_id":"\#(room)""#))
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
        let malformed = parse(#"{"type":"join_room","data":{"room_id":"r1"}}"#).failure
        #expect(malformed?.code == .invalid)
        #expect(malformed?.message == "room_id must be a UUID string")
        let integer = parse(#"{"type":"join_room","data":{"room_id":7}}"#).failure
        #expect(integer?.message == "room_id must be a UUID string")
        let element = parse(#"{"type":"message_read","data":{"room_id":"\#(room)","message_ids":["\#(message)","x"]}}"#).failure
        #expect(element?.message == "message_ids[1] must be a UUID string")
        let wrongType = parse(#"{"type":"join_room","data":{"room_id":"\#(room)","since_seq":"ten"}}"#).failure
        #expect(wrongType?.message == "since_seq must be an integer")
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
            id: .random(), roomID: .random(), senderID: .random(), content: "hi", createdAt: Date(timeIntervalSince1970: 1_700_000_000.123), seq: 4,
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
