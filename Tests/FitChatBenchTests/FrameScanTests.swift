@testable import fitchat_bench
import Testing

/// The bench reads frames by bytes: fitchat's JSON (sorted keys, no spaces) and the seed
/// stack's (`json.dumps`: a space after each colon) must both be read, and nothing else taken.
@Suite struct FrameScanTests {
    func scan(_ text: String) -> FrameScan {
        var text = text
        return text.withUTF8 { FrameScan(UnsafeRawBufferPointer($0)) }
    }

    @Test func benchMessagesOfBothStacksAreRead() {
        let fitchat = scan(#"{"data":{"content":"bench 42 123456789","id":"x","room_id":"r"},"type":"new_message"}"#)
        #expect(fitchat.benchMessage?.id == 42 && fitchat.benchMessage?.due == 123_456_789 && !fitchat.isRoomJoined)
        let seed = scan(#"{"type": "new_message", "data": {"id": 7, "room_id": "r1", "sender": "u", "content": "bench 3 99", "ts": 1.5}}"#)
        #expect(seed.benchMessage?.id == 3 && seed.benchMessage?.due == 99)
        #expect(scan(#"{"type": "room_joined", "data": {"room_id": "r1"}}"#).isRoomJoined)
        #expect(scan(#"{"data":{"last_seq":0,"replayed":0,"room_id":"r"},"type":"room_joined"}"#).isRoomJoined)
    }

    @Test func otherFramesAndBrokenFieldsAreNotTaken() {
        #expect(scan(#"{"data":{"content":"bench 1 2"},"type":"message_sent"}"#).benchMessage == nil, "the sender's own reply")
        #expect(scan(#"{"data":{"content":"hello"},"type":"new_message"}"#).benchMessage == nil)
        #expect(scan(#"{"data":{"content":"bench 1"},"type":"new_message"}"#).benchMessage == nil)
        #expect(scan(#"{"data":{"content":"bench 99999999999999999999999 1"},"type":"new_message"}"#).benchMessage == nil, "overflow")
        #expect(scan("").benchMessage == nil && !scan("").isRoomJoined)
        #expect(!scan("new_mess").isRoomJoined && scan("new_mess").benchMessage == nil)
    }
}
