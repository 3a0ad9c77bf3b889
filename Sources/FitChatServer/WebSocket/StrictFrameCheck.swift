import NIOCore
import NIOWebSocket

/// RFC 6455's rules for what a client sends, which NIO's frame decoder leaves to the server:
/// every client frame is masked (5.1), no RSV bit is set without a negotiated extension (5.2,
/// and fitchat negotiates none), and no reserved opcode is used (5.2). A frame that breaks one
/// fails the connection with 1002; it and everything after it are dropped.
final class StrictFrameCheck: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    /// Why a frame failed the connection; `ChatFrameHandler` closes with 1002 and this reason.
    struct Violation: Error {
        let reason: String
    }

    private static let known: [WebSocketOpcode] = [.continuation, .text, .binary, .connectionClose, .ping, .pong]
    private var failed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        let frame = unwrapInboundIn(data)
        let problem: String? =
            if frame.maskKey == nil { "client frames must be masked" }
            else if frame.rsv1 || frame.rsv2 || frame.rsv3 { "RSV bits are set, but no extension was negotiated" }
            else if !Self.known.contains(frame.opcode) { "reserved opcode \(frame.opcode)" }
            else { nil }
        guard let problem else { return context.fireChannelRead(data) }
        failed = true
        context.fireErrorCaught(Violation(reason: problem))
    }
}
