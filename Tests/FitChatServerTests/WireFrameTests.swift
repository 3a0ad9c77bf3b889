import FitChatProtocol
import Foundation
import NIOCore
import NIOWebSocket
import Testing

@testable import FitChatServer

/// A server frame's bytes are what RFC 6455 5.2 says a client reads: FIN, the text opcode, no
/// mask, the shortest length encoding, then the payload, whether or not the payload left room
/// for the header, and without touching a payload someone else still holds.
@Suite struct WireFrameTests {
    private static let lengths = [0, 1, 125, 126, 127, 4_000, 65_535, 65_536, 70_000]

    /// Reads a frame as a client does; nil for anything but one unmasked, final frame with the
    /// opcode (text unless told).
    private func parse(_ frame: WireFrame, opcode: UInt8 = 0x1) -> [UInt8]? {
        let bytes = Array(frame.bytes.readableBytesView)
        guard bytes.count >= 2, bytes[0] == 0x80 | opcode, bytes[1] & 0x80 == 0 else { return nil }
        var length = Int(bytes[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard bytes.count >= 4 else { return nil }
            length = Int(bytes[2]) << 8 | Int(bytes[3])
            guard length > 125 else { return nil }
            offset = 4
        } else if length == 127 {
            guard bytes.count >= 10 else { return nil }
            length = bytes[2..<10].reduce(0) { $0 << 8 | Int($1) }
            guard length > 0xFFFF else { return nil }
            offset = 10
        }
        guard bytes.count == offset + length else { return nil }
        return Array(bytes[offset...])
    }

    private func payload(_ length: Int) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
    }

    @Test(arguments: lengths)
    func aPayloadWrittenAfterTheHeadroomIsFramedInPlace(length: Int) throws {
        var buffer = WireFrame.payloadBuffer(capacity: length)
        buffer.writeBytes(payload(length))
        let storageBefore = buffer.withUnsafeReadableBytes { $0.baseAddress }
        let frame = WireFrame(text: consume buffer)
        #expect(parse(frame) == payload(length))
        #expect(Array(frame.payload.readableBytesView) == payload(length))
        // In place: the header sits right in front of the payload, in the same storage.
        let payloadStart = frame.payload.withUnsafeReadableBytes { $0.baseAddress }
        #expect(payloadStart == storageBefore)
    }

    @Test(arguments: lengths)
    func aPayloadWithoutRoomIsFramedIntoANewBuffer(length: Int) {
        let frame = WireFrame(text: ByteBuffer(bytes: payload(length)))
        #expect(parse(frame) == payload(length))
        #expect(Array(frame.payload.readableBytesView) == payload(length))
    }

    /// Close, ping and pong frames are framed the same way (NIO's encoder is not in the pipeline).
    @Test(arguments: [(WebSocketOpcode.connectionClose, UInt8(0x8)), (.ping, 0x9), (.pong, 0xA)])
    func controlFramesCarryTheirOpcode(opcode: WebSocketOpcode, wire: UInt8) {
        let frame = WireFrame(opcode, payload: ByteBuffer(bytes: payload(125)))
        #expect(parse(frame, opcode: wire) == payload(125))
        #expect(parse(WireFrame(opcode, payload: ByteBuffer()), opcode: wire) == [])
    }

    @Test func aPayloadStillHeldElsewhereIsLeftAsItWas() {
        var held = WireFrame.payloadBuffer(capacity: 300)
        held.writeBytes(payload(300))
        let before = held
        let frame = WireFrame(text: held)
        #expect(parse(frame) == payload(300))
        #expect(held == before)
        #expect(Array(held.readableBytesView) == payload(300))
        #expect(held.readerIndex == WireFrame.headroom)
    }

    @Test func framesOfTheEncoderCarryItsJSON() throws {
        let encoder = FrameEncoder()
        let event = ServerEvent.pong(Heartbeat(timestamp: .integer(1)))
        let frame = encoder.frame(event, id: "r1")
        #expect(parse(frame) == Array(encoder.encode(event, id: "r1").readableBytesView))
    }

    /// The hot frames are written after the headroom, so the fan-out frames them with no copy:
    /// a copy starts its buffer at the header.
    @Test func aNewMessageIsFramedWhereItWasWritten() throws {
        let message = ChatMessage(
            id: .random(), roomID: .random(), senderID: .random(), content: "hello", createdAt: Date(timeIntervalSince1970: 1_700_000_000),
            seq: 1, senderUsername: "ann", messageType: "text"
        )
        let encoder = FrameEncoder()
        let frame = encoder.frame(.newMessage(message))
        #expect(frame.bytes.readerIndex == WireFrame.headroom - 4)
        #expect(parse(frame) == Array(encoder.encode(.newMessage(message)).readableBytesView))
    }
}
