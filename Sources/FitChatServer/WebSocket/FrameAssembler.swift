import NIOCore
import NIOWebSocket

/// What NIO's frame decoder leaves to the server, held inline in `ChatFrameHandler` rather than
/// as two more channel handlers (each costs an idle connection its context and object):
/// RFC 6455's rules for client frames, and joining a fragmented message back together.
///
/// Every client frame is masked (5.1), no RSV bit is set without a negotiated extension (5.2,
/// and fitchat negotiates none), no reserved opcode is used (5.2), and continuation frames
/// follow a text or binary frame that is not final (5.4). A frame that breaks one fails the
/// connection; it and everything after it are dropped.
struct FrameAssembler {
    /// Why a frame failed the connection, and the close code it gets.
    enum Failure: Error, Equatable {
        case violation(String)
        case tooLarge

        var code: WebSocketErrorCode {
            switch self {
            case .violation: .protocolError
            case .tooLarge: .messageTooLarge
            }
        }
    }

    private static let known: [WebSocketOpcode] = [.continuation, .text, .binary, .connectionClose, .ping, .pong]
    /// NIO's aggregator's limit, kept: a message in more pieces than this is refused.
    private static let maxFragments = 1024

    /// The largest message, whole.
    let maxMessageSize: Int
    /// The unmasked payload of the fragments so far, with the first one's opcode; nil between
    /// messages, so an idle connection keeps no buffer.
    private var partial: (opcode: WebSocketOpcode, data: ByteBuffer, count: Int)?
    private(set) var failed = false

    init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// A whole message, or a control frame, to act on; nil while a message is still in pieces,
    /// and for anything after a failure.
    mutating func take(_ frame: WebSocketFrame) throws(Failure) -> WebSocketFrame? {
        guard !failed else { return nil }
        do {
            return try assemble(frame)
        } catch {
            failed = true
            partial = nil
            throw error
        }
    }

    private mutating func assemble(_ frame: WebSocketFrame) throws(Failure) -> WebSocketFrame? {
        if frame.maskKey == nil { throw .violation("client frames must be masked") }
        if frame.rsv1 || frame.rsv2 || frame.rsv3 { throw .violation("RSV bits are set, but no extension was negotiated") }
        if !Self.known.contains(frame.opcode) { throw .violation("reserved opcode \(frame.opcode)") }
        switch frame.opcode {
        case .text, .binary:
            guard partial == nil else { throw .violation("malformed fragments: a new message began before the last one ended") }
            if frame.fin { return frame }
            partial = (frame.opcode, frame.unmaskedData, 1)
            return nil
        case .continuation:
            guard case (let opcode, var data, var count)? = partial else { throw .violation("malformed fragments: a continuation frame with no message to continue") }
            partial = nil
            count += 1
            guard data.readableBytes + frame.length <= maxMessageSize else { throw .tooLarge }
            guard count <= Self.maxFragments else { throw .violation("malformed fragments: more than \(Self.maxFragments) in one message") }
            var piece = frame.unmaskedData
            data.writeBuffer(&piece)
            if frame.fin { return WebSocketFrame(fin: true, opcode: opcode, data: data) }
            partial = (opcode, data, count)
            return nil
        default:
            // Control frames come whole and may arrive between the pieces of a message.
            return frame
        }
    }
}
