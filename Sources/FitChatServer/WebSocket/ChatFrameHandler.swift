import NIOCore
import NIOWebSocket

/// The WebSocket protocol of one chat connection, on its event loop: answers pings, pings the
/// client (from its loop's `PingSchedule`) and drops it when its pongs stop, runs the close
/// handshake with a timeout, and hands complete text messages to the session. Nothing waits on
/// an idle connection: it costs its channel handlers, not a task or a timer (BENCHMARKS.md).
final class ChatFrameHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    /// Chat frames, framed once per fan-out; the handler's own control frames are `OutboundOut`.
    typealias OutboundIn = WireFrame
    typealias OutboundOut = WebSocketFrame

    private enum State { case open, closing, closed }

    private let session: WebSocketSession
    private let pings: PingSchedule
    private let closeTimeout: TimeAmount
    private var state = State.open
    private var awaitingPong = false
    private var closeDeadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    /// NIO's frame encoder's place in the pipeline: a chat frame, already framed, is written
    /// from there, past the encoder.
    private var framed: ChannelHandlerContext?
    /// The close code sent or received first, for the metrics; nil while none was.
    private var closeCode: UInt16?

    init(session: WebSocketSession, pings: PingSchedule, closeTimeout: TimeAmount) {
        self.session = session
        self.pings = pings
        self.closeTimeout = closeTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        framed = try? context.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self)
        pings.add(self, on: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimers()
        self.context = nil
        framed = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            guard state == .open else { return }
            session.metrics.framesReceived.increment()
            guard let text = String(validating: frame.unmaskedData.readableBytesView, as: UTF8.self) else {
                return close(.dataInconsistentWithMessage, reason: "text frames must be UTF-8")
            }
            session.received(.text(text))
        case .binary:
            guard state == .open else { return }
            session.metrics.framesReceived.increment()
            session.received(.binary)
        case .ping:
            guard state == .open else { return }
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .pong:
            awaitingPong = false
        case .connectionClose:
            receivedClose(frame, context: context)
        default:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        session.readComplete()
        context.fireChannelReadComplete()
    }

    /// The client closes: answer with its code (once), then end the TCP connection, as the server
    /// should. The answer to our own close ends it the same way.
    private func receivedClose(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        switch state {
        case .open:
            state = .closed
            var data = frame.unmaskedData
            let code = data.readWebSocketErrorCode() ?? .normalClosure
            closeCode = closeCode ?? UInt16(webSocketErrorCode: code)
            var answer = context.channel.allocator.buffer(capacity: 2)
            answer.write(webSocketErrorCode: code)
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: answer))).whenComplete { _ in
                bound.value.close(promise: nil)
            }
        case .closing:
            state = .closed
            context.close(promise: nil)
        case .closed:
            break
        }
    }

    /// Starts the close handshake. The connection is dropped when the handshake does not finish
    /// within the close timeout, whatever happens: a peer that stopped reading never even takes
    /// the close frame, and must not keep its descriptor and buffers (or its user online).
    /// `waitForAnswer: false` drops the connection as soon as the close frame is out.
    func close(_ code: WebSocketErrorCode, reason: String, waitForAnswer: Bool = true) {
        guard state == .open, let context else { return }
        state = .closing
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let written = writeClose(code, reason: reason, context: context)
        closeDeadline = context.eventLoop.scheduleTask(in: closeTimeout) { bound.value.close(promise: nil) }
        if !waitForAnswer {
            written.whenComplete { _ in bound.value.close(promise: nil) }
        }
    }

    /// Fails the connection for what the client sent (too big, against the protocol): the close
    /// frame, then our side of the TCP connection shut, so the client reads the frame instead of
    /// a reset; what it still sends is read and dropped until it closes or the timeout passes.
    private func fail(_ code: WebSocketErrorCode, reason: String) {
        guard state == .open, let context else { return }
        state = .closing
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        writeClose(code, reason: reason, context: context).whenComplete { _ in
            bound.value.close(mode: .output, promise: nil)
        }
        closeDeadline = context.eventLoop.scheduleTask(in: closeTimeout) { bound.value.close(promise: nil) }
    }

    @discardableResult
    private func writeClose(_ code: WebSocketErrorCode, reason: String, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        closeCode = closeCode ?? UInt16(webSocketErrorCode: code)
        var data = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.write(webSocketErrorCode: code)
        data.writeString(reason)
        return context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
    }

    /// On the event loop, once per ping interval: a ping, or the close when the last one went
    /// unanswered.
    func ping() {
        guard state == .open, let context else { return }
        if awaitingPong { return close(.goingAway, reason: "Ping timeout", waitForAnswer: false) }
        awaitingPong = true
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: context.channel.allocator.buffer(string: "fitchat"))), promise: nil)
    }

    /// Drops chat frames once the connection is no longer open (a close frame went out, or is
    /// about to). Chat frames are written to the channel and pass here, so one already scheduled
    /// may arrive just after a close; RFC 6455 forbids sending it. The handler's own close
    /// frames, pings and pongs are written through its context, below this, and always go out.
    /// Both reach the socket in the order they were written: neither path buffers.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard state == .open else {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        let frame = unwrapOutboundIn(data)
        if let framed {
            framed.write(NIOAny(frame.bytes), promise: promise)
        } else {
            context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: frame.payload)), promise: promise)
        }
    }

    /// Hummingbird allows half-closed connections; a WebSocket client that closed its side (say,
    /// a process that exited before its close frame went out) has nothing more to say.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            state = .closed
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        state = .closed
        stopTimers()
        session.metrics.connectionClosed(code: closeCode)
        session.received(.ended)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge, NIOWebSocketError.invalidFrameLength:
            fail(.messageTooLarge, reason: "a message may be at most \(session.maxMessageSize) bytes")
        case is NIOWebSocketFrameAggregator.Error:
            fail(.protocolError, reason: "malformed fragments")
        case is NIOWebSocketError:
            fail(.protocolError, reason: "malformed control frame")
        case let violation as StrictFrameCheck.Violation:
            fail(.protocolError, reason: violation.reason)
        case ByteToMessageDecoderError.dataReceivedInErrorState:
            // What a failed client still sends: read (so no reset cuts off our close frame), dropped.
            break
        default:
            context.close(promise: nil)
        }
    }

    private func stopTimers() {
        if let context { pings.remove(self, on: context.eventLoop) }
        closeDeadline?.cancel()
        closeDeadline = nil
    }
}
