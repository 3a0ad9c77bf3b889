import NIOCore
import NIOWebSocket

/// Drops data frames written after a close frame. Chat frames are written to the channel
/// directly (not through the WebSocket handler's writer), so one already scheduled may reach
/// the pipeline just after the handler answered a client's close; RFC 6455 forbids sending it.
final class CloseGate: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private var closed = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let frame = unwrapOutboundIn(data)
        if frame.opcode == .connectionClose {
            closed = true
        } else if closed, frame.opcode == .text || frame.opcode == .binary || frame.opcode == .continuation {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        context.write(data, promise: promise)
    }
}
