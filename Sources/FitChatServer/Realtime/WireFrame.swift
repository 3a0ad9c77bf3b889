import NIOCore
import NIOWebSocket

/// A server frame as it goes on the wire: header and payload in one buffer. A fan-out frames
/// a message once and every recipient's socket takes the same bytes; NIO's frame encoder
/// would write a header of its own per recipient, a second buffer in every write (and cost
/// every connection a channel handler, so the server does without it).
struct WireFrame: Sendable {
    /// The room a payload buffer leaves in front of its bytes, so its header goes in place:
    /// the longest header a server frame has (no mask, 64-bit length).
    static let headroom = 10

    /// Header and payload.
    let bytes: ByteBuffer
    private let headerLength: Int

    /// Frames a JSON payload; in place when it was written after `headroom` and nothing else
    /// holds it, else into a new buffer.
    init(text payload: consuming ByteBuffer) {
        self.init(.text, payload: payload)
    }

    /// Frames a payload under any opcode (control frames: close, ping, pong), the same way.
    init(_ opcode: WebSocketOpcode, payload: consuming ByteBuffer) {
        let length = payload.readableBytes
        headerLength = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10
        var framed = consume payload
        if framed.readerIndex >= headerLength {
            framed.moveReaderIndex(to: framed.readerIndex - headerLength)
        } else {
            var copy = ByteBuffer()
            copy.reserveCapacity(headerLength + length)
            copy.moveWriterIndex(forwardBy: headerLength)
            copy.writeImmutableBuffer(framed)
            framed = copy
        }
        Self.setHeader(opcode, payloadLength: length, in: &framed, at: framed.readerIndex)
        bytes = framed
    }

    /// The JSON the frame carries.
    var payload: ByteBuffer {
        var payload = bytes
        payload.moveReaderIndex(forwardBy: headerLength)
        return payload
    }

    /// A buffer to write a payload into, with `headroom` in front of it.
    static func payloadBuffer(capacity: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(headroom + capacity)
        buffer.moveWriterIndex(forwardBy: headroom)
        buffer.moveReaderIndex(forwardBy: headroom)
        return buffer
    }

    /// RFC 6455 5.2: FIN and the opcode, then the length in 7, 7+16 or 7+64 bits; a server
    /// frame is not masked.
    private static func setHeader(_ opcode: WebSocketOpcode, payloadLength length: Int, in buffer: inout ByteBuffer, at index: Int) {
        buffer.setInteger(UInt8(0x80) | UInt8(webSocketOpcode: opcode), at: index)
        switch length {
        case ...125:
            buffer.setInteger(UInt8(truncatingIfNeeded: length), at: index + 1)
        case ...0xFFFF:
            buffer.setInteger(UInt8(126), at: index + 1)
            buffer.setInteger(UInt16(truncatingIfNeeded: length), at: index + 2)
        default:
            buffer.setInteger(UInt8(127), at: index + 1)
            buffer.setInteger(UInt64(truncatingIfNeeded: length), at: index + 2)
        }
    }
}
