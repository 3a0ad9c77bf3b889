import Foundation
import NIOCore
import NIOWebSocket

/// The WebSocket protocol of one chat connection, on its event loop: checks and joins up the
/// client's frames (`FrameAssembler`), answers pings, pings the client (from its loop's
/// `ConnectionTimers`) and drops it when its pongs stop, runs the close handshake with a
/// timeout, and hands complete text messages to the session. Nothing waits on an idle
/// connection: it costs its channel handlers, not a task or a timer (BENCHMARKS.md).
final class ChatFrameHandler: ChannelDuplexHandler, RemovableChannelHandler, FrameOutput {
    typealias InboundIn = WebSocketFrame
    /// Chat frames, framed once per fan-out (a `WireFrame`'s bytes, passed on as they came:
    /// a buffer goes through the pipeline without being boxed); the handler's own control
    /// frames are framed the same way. NIO's frame encoder is not in the pipeline.
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State { case open, closing, closed }

    private let session: WebSocketSession
    private let timers: ConnectionTimers
    private let closeTimeout: TimeAmount
    private var assembler: FrameAssembler
    private var state = State.open
    private var awaitingPong = false
    private var toldTokenRanOut = false
    private var closeDeadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    /// The close code sent or received first, for the metrics; nil while none was.
    private var closeCode: UInt16?

    init(session: WebSocketSession, timers: ConnectionTimers, closeTimeout: TimeAmount) {
        self.session = session
        self.timers = timers
        self.closeTimeout = closeTimeout
        assembler = FrameAssembler(maxMessageSize: session.maxMessageSize)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        timers.add(self, on: context.eventLoop)
        session.connection.attach(NIOLoopBound(self, eventLoop: context.eventLoop))
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimers()
        session.connection.attach(nil)
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame: WebSocketFrame
        do {
            guard let whole = try assembler.take(unwrapInboundIn(data)) else { return }
            frame = whole
        } catch {
            return fail(error)
        }
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
            writeControl(.pong, frame.unmaskedData, context: context)
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
            writeControl(.connectionClose, answer, context: context).whenComplete { _ in
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

    private func fail(_ failure: FrameAssembler.Failure) {
        switch failure {
        case .violation(let reason): fail(.protocolError, reason: reason)
        case .tooLarge: fail(.messageTooLarge, reason: "a message may be at most \(session.maxMessageSize) bytes")
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
        return writeControl(.connectionClose, data, context: context)
    }

    @discardableResult
    private func writeControl(_ opcode: WebSocketOpcode, _ payload: ByteBuffer, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        context.writeAndFlush(wrapOutboundOut(WireFrame(opcode, payload: payload).bytes))
    }

    /// When the token runs out, while the session is yet to be told; nil after.
    var tokenExpiry: Date? {
        state == .open && !toldTokenRanOut ? session.connection.user.expiresAt : nil
    }

    /// On the event loop, once the token ran out: the session answers `token_expired` and closes.
    func tokenRanOut() {
        guard state == .open, !toldTokenRanOut else { return }
        toldTokenRanOut = true
        session.received(.tokenExpired)
    }

    /// On the event loop, once per ping interval: a ping, or the close when the last one went
    /// unanswered.
    func ping() {
        guard state == .open, let context else { return }
        if awaitingPong { return close(.goingAway, reason: "Ping timeout", waitForAnswer: false) }
        awaitingPong = true
        writeControl(.ping, context.channel.allocator.buffer(string: "fitchat"), context: context)
    }

    /// Drops chat frames once the connection is no longer open (a close frame went out, or is
    /// about to). Chat frames are written to the channel and pass here, so one already scheduled
    /// may arrive just after a close; RFC 6455 forbids sending it. The handler's own close
    /// frames, pings and pongs are written from its context, past this, and always go out.
    /// Both reach the socket in the order they were written: neither path buffers.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard state == .open else {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        context.write(data, promise: promise)
    }

    /// A connection's chat frames, written from here (the encoder is gone, so straight to the
    /// socket's end of the pipeline). Once the connection is no longer open they are dropped,
    /// as `write(context:data:promise:)` drops them.
    func write(_ frames: PendingFrames) -> EventLoopFuture<Void>? {
        guard state == .open, let context else { return nil }
        for (frame, _) in frames { context.write(wrapOutboundOut(frame.bytes), promise: nil) }
        context.flush()
        let unwritten = (try? context.channel.syncOptions?.getOption(ChannelOptions.bufferedWritableBytes)) ?? nil
        guard unwritten != 0 else { return nil }
        // Writes complete in order: an empty one behind them completes once they all have.
        let taken = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer()), promise: taken)
        return taken.futureResult
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
        case NIOWebSocketError.invalidFrameLength:
            fail(.tooLarge)
        case is NIOWebSocketError:
            fail(.protocolError, reason: "malformed control frame")
        case ByteToMessageDecoderError.dataReceivedInErrorState:
            // What a failed client still sends: read (so no reset cuts off our close frame), dropped.
            break
        default:
            context.close(promise: nil)
        }
    }

    private func stopTimers() {
        if let context { timers.remove(self, on: context.eventLoop) }
        closeDeadline?.cancel()
        closeDeadline = nil
    }
}
