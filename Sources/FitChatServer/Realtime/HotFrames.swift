import FitChatProtocol
import NIOCore

/// `new_message`, `message_sent` and `message_delivered` written straight into a buffer: they
/// are nearly all a busy server sends, and Foundation's JSONEncoder was 12% of its CPU under
/// fan-out (BENCHMARKS.md). The bytes are the encoder's own (keys sorted, slashes unescaped);
/// `HotFramesTests` holds them to that. Anything else (a message with reactions or a file)
/// answers nil and goes through the encoder. Each is written after `WireFrame.headroom`, so it
/// is framed in place.
enum HotFrames {
    static func encode(_ event: ServerEvent, id: String?) -> ByteBuffer? {
        switch event {
        case .newMessage(let message), .messageSent(let message):
            guard message.reactions == nil, message.attachment == nil else { return nil }
            var buffer = WireFrame.payloadBuffer(capacity: 320 + message.content.utf8.count + message.senderUsername.utf8.count)
            buffer.writeStaticString(#"{"data":"#)
            write(message, to: &buffer)
            writeTail(type: event.type, id: id, to: &buffer)
            return buffer
        case .messageDelivered(let receipt):
            var buffer = WireFrame.payloadBuffer(capacity: 64 + receipt.deliveries.reduce(0) { $0 + 60 + 39 * $1.messageIDs.count })
            buffer.writeStaticString(#"{"data":{"deliveries":["#)
            // Plain loops with a separator flag: `enumerated()` over these arrays was not
            // specialized, and looked up `Optional`'s metadata for every element.
            var firstDelivery = true
            for delivery in receipt.deliveries {
                if !firstDelivery { buffer.writeStaticString(",") }
                firstDelivery = false
                buffer.writeStaticString(#"{"message_ids":["#)
                var firstID = true
                for messageID in delivery.messageIDs {
                    if !firstID { buffer.writeStaticString(",") }
                    firstID = false
                    write(messageID, to: &buffer)
                }
                buffer.writeStaticString(#"],"user_id":"#)
                write(delivery.userID, to: &buffer)
                buffer.writeStaticString("}")
            }
            buffer.writeStaticString(#"],"room_id":"#)
            write(receipt.roomID, to: &buffer)
            buffer.writeStaticString("}")
            writeTail(type: event.type, id: id, to: &buffer)
            return buffer
        default:
            return nil
        }
    }

    /// The message's keys in sorted order; absent optionals are left out, as the encoder does.
    private static func write(_ message: ChatMessage, to buffer: inout ByteBuffer) {
        buffer.writeStaticString("{")
        if let clientMessageID = message.clientMessageID {
            buffer.writeStaticString(#""client_msg_id":"#)
            write(clientMessageID, to: &buffer)
            buffer.writeStaticString(",")
        }
        buffer.writeStaticString(#""content":"#)
        write(message.content, to: &buffer)
        buffer.writeStaticString(#","created_at":""#)
        buffer.writeString(RFC3339.string(from: message.createdAt))
        buffer.writeStaticString(#"""#)
        if let deleted = message.deleted {
            buffer.writeStaticString(deleted ? #","deleted":true"# : #","deleted":false"#)
        }
        if let editedAt = message.editedAt {
            buffer.writeStaticString(#","edited_at":""#)
            buffer.writeString(RFC3339.string(from: editedAt))
            buffer.writeStaticString(#"""#)
        }
        buffer.writeStaticString(#","id":"#)
        write(message.id, to: &buffer)
        buffer.writeStaticString(#","message_type":"#)
        write(message.messageType, to: &buffer)
        if let replyToID = message.replyToID {
            buffer.writeStaticString(#","reply_to_id":"#)
            write(replyToID, to: &buffer)
        }
        buffer.writeStaticString(#","room_id":"#)
        write(message.roomID, to: &buffer)
        buffer.writeStaticString(#","sender_id":"#)
        write(message.senderID, to: &buffer)
        buffer.writeStaticString(#","sender_username":"#)
        write(message.senderUsername, to: &buffer)
        buffer.writeStaticString(#","seq":"#)
        buffer.writeString(String(message.seq))
        buffer.writeStaticString("}")
    }

    private static func writeTail(type: String, id: String?, to buffer: inout ByteBuffer) {
        if let id {
            buffer.writeStaticString(#","id":"#)
            write(id, to: &buffer)
        }
        buffer.writeStaticString(#","type":"#)
        write(type, to: &buffer)
        buffer.writeStaticString("}")
    }

    private static func write(_ id: ChatID, to buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: ChatID.textLength + 2) { bytes in
            bytes[0] = UInt8(ascii: "\"")
            id.writeText(into: UnsafeMutableRawBufferPointer(rebasing: bytes[1...]))
            bytes[ChatID.textLength + 1] = UInt8(ascii: "\"")
            return ChatID.textLength + 2
        }
    }

    /// A JSON string as the encoder writes it: `"` and `\` escaped, control characters as
    /// `\b \f \n \r \t` or `\u00XX`, everything else (slashes, all of Unicode) as it is.
    private static func write(_ text: String, to buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"""#)
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            buffer.writeString(text)
            buffer.writeStaticString(#"""#)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.writeStaticString(#"\""#)
            case UInt8(ascii: "\\"): buffer.writeStaticString(#"\\"#)
            case 0x08: buffer.writeStaticString(#"\b"#)
            case 0x0C: buffer.writeStaticString(#"\f"#)
            case UInt8(ascii: "\n"): buffer.writeStaticString(#"\n"#)
            case UInt8(ascii: "\r"): buffer.writeStaticString(#"\r"#)
            case UInt8(ascii: "\t"): buffer.writeStaticString(#"\t"#)
            case 0..<0x20:
                let digits: StaticString = "0123456789abcdef"
                buffer.writeStaticString(#"\u00"#)
                buffer.writeInteger(digits.utf8Start[Int(byte >> 4)])
                buffer.writeInteger(digits.utf8Start[Int(byte & 0x0F)])
            default:
                buffer.writeInteger(byte)
            }
        }
        buffer.writeStaticString(#"""#)
    }
}
