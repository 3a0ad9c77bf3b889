import FitChatProtocol
import Foundation
import NIOCore

/// Encodes server events into WebSocket payloads and frames. Fan-out encodes once and shares
/// the frame.
struct FrameEncoder: Sendable {
    private let encoder = WireCoding.makeEncoder()

    /// The event as a text frame, ready for any connection's socket.
    func frame(_ event: ServerEvent, id: String? = nil) -> WireFrame {
        WireFrame(text: encode(event, id: id))
    }

    /// The event's JSON (what other nodes are sent, to frame for their own connections).
    func encode(_ event: ServerEvent, id: String? = nil) -> ByteBuffer {
        if let written = HotFrames.encode(event, id: id) { return written }
        do {
            return ByteBuffer(data: try encoder.encode(ServerEnvelope(event, id: id)))
        } catch {
            return ByteBuffer(string: #"{"type":"error","data":{"code":"internal","message":"could not encode an event"}}"#)
        }
    }
}
