import FitChatProtocol
import Foundation
import NIOCore

/// Encodes server events into WebSocket payloads. Fan-out encodes once and shares the buffer.
struct FrameEncoder: Sendable {
    private let encoder = WireCoding.makeEncoder()

    func encode(_ event: ServerEvent, id: String? = nil) -> ByteBuffer {
        if let written = HotFrames.encode(event, id: id) { return written }
        do {
            return ByteBuffer(data: try encoder.encode(ServerEnvelope(event, id: id)))
        } catch {
            return ByteBuffer(string: #"{"type":"error","data":{"code":"internal","message":"could not encode an event"}}"#)
        }
    }
}
