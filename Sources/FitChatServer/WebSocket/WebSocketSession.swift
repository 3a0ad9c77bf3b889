import FitChatProtocol
import Foundation
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// The chat side of one WebSocket connection: what its client sent, served one item at a time
/// and in order by a job on `SessionWorkers` that exists only while there is something to serve.
/// A send that finds nothing ahead of it is served on the event loop instead (`serveAtOnce`).
/// `ChatFrameHandler` feeds it from the event loop; frames go out through `ClientConnection`.
final class WebSocketSession: Sendable {
    enum Inbound: Sendable {
        case opened(isFirst: Bool)
        case text(String)
        /// A frame the event loop parsed already and left to the job.
        case parsed(Result<ClientEnvelope, ClientEnvelope.ParseError>)
        /// A send the event loop refused, answered in its place behind the sends before it.
        case refused(any Error, ClientEnvelope)
        case binary
        /// The token ran out: `token_expired`, then close with 4401 (after `connection_established`,
        /// which is always the first frame).
        case tokenExpired
        case ended
    }

    private struct Inbox {
        var items: [Inbound] = []
        var serving = false
        var readingPaused = false
        /// Sends served on the event loop and not answered yet: no job starts before they are.
        var sendsInFlight = 0
        /// Sends of the current socket read, checked and not yet queued for the commit: queued
        /// together when the read ends, so that sends written back to back share a commit.
        var burst: [(message: NewMessage, id: String?)] = []
    }

    /// The bytes every send frame holds (its `type`).
    private static let sendType = Array(#""send_message""#.utf8)

    /// Past this many unserved items the socket is not read until the session catches up.
    private static let inboxBound = 32

    let connection: ClientConnection
    private let chat: ChatService
    private let workers: SessionWorkers
    private let encoder: FrameEncoder
    /// What `ChatFrameHandler` accepts in one message; the only limit a session keeps (an idle
    /// connection's memory is mostly what its objects hold).
    let maxMessageSize: Int
    let metrics: ServerMetrics
    private let channel: any Channel
    private let logger: Logger
    /// One decoder for every session: decoding keeps its state per call.
    private static let decoder = WireCoding.makeDecoder()
    private let inbox = Mutex(Inbox())

    /// Sets up a session on a freshly upgraded channel (on its event loop).
    static func start(on channel: any Channel, user: AuthenticatedUser, parts: ServerAssembly, logger: Logger) throws {
        let pipeline = channel.pipeline.syncOperations
        let limits = parts.limits
        let closer: @Sendable (CloseRequest) -> Void = { request in
            channel.eventLoop.execute {
                (try? channel.pipeline.syncOperations.handler(type: ChatFrameHandler.self))?.close(request.code, reason: request.reason, waitForAnswer: request.waitForAnswer)
            }
        }
        let established = parts.encoder.frame(
            .connectionEstablished(
                ConnectionEstablished(
                    userID: user.id, message: "connected to fitchat as \(user.username)", username: user.username, serverTime: Date(),
                    heartbeatInterval: Int(limits.pingInterval / .milliseconds(1))
                )
            )
        )
        guard let (connection, isFirst) = parts.hub.open(for: user, on: channel, firstFrame: established, closer: closer) else {
            var data = channel.allocator.buffer(capacity: 32)
            data.write(webSocketErrorCode: .goingAway)
            data.writeString("the server is shutting down")
            channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        // Every frame out is framed already (`WireFrame`): NIO's encoder, which its upgrader
        // installs, would only cost an idle connection its handler, context and header buffer.
        pipeline.removeHandler(context: try pipeline.context(handlerType: WebSocketFrameEncoder.self), promise: nil)
        let session = WebSocketSession(connection: connection, parts: parts, channel: channel, logger: logger)
        try pipeline.addHandler(ChatFrameHandler(session: session, timers: parts.connectionTimers, closeTimeout: .init(limits.closeTimeout)))
        // Queued before the handler's timers can run on this loop: the token's expiry is
        // served behind it.
        session.received(.opened(isFirst: isFirst))
    }

    private init(connection: ClientConnection, parts: ServerAssembly, channel: any Channel, logger: Logger) {
        self.connection = connection
        chat = parts.chat
        workers = parts.sessionWorkers
        encoder = parts.encoder
        maxMessageSize = parts.limits.maxFrameSize
        metrics = parts.metrics
        self.channel = channel
        self.logger = logger
    }

    /// Takes what the client sent (on the event loop): a send with nothing ahead of it is served
    /// at once; anything else is queued for a job, started if none runs and no send is unanswered.
    func received(_ item: Inbound) {
        if case .text(let text) = item, serveAtOnce(text) { return }
        queue(item)
    }

    private func queue(_ item: Inbound) {
        submitBurst()
        let (startJob, pauseReading) = inbox.withLock { inbox -> (Bool, Bool) in
            inbox.items.append(item)
            let pause = !inbox.readingPaused && inbox.items.count >= Self.inboxBound
            if pause { inbox.readingPaused = true }
            guard !inbox.serving, inbox.sendsInFlight == 0 else { return (false, pause) }
            inbox.serving = true
            return (true, pause)
        }
        if pauseReading { setReading(false) }
        if startJob { workers.submit { await self.serveInbox() } }
    }

    /// Serves a send on the event loop when no job runs and nothing waits for one: checked here,
    /// queued for the group commit when the read ends, and answered from the commit thread, with
    /// no task woken for it. Returns false, having done nothing, for the job to serve the frame.
    private func serveAtOnce(_ text: String) -> Bool {
        let idle = inbox.withLock { !$0.serving && $0.items.isEmpty && $0.sendsInFlight < Self.inboxBound }
        // A frame that cannot be a send is left to the job, unparsed: parsing on the event loop
        // would only move its work there (and its allocations into the loop's arena).
        guard idle, !connection.isClosing, Self.holdsSendType(text) else { return false }
        let parsed = ClientEnvelope.parse(Data(text.utf8), decoder: Self.decoder)
        guard case .success(let envelope) = parsed, case .sendMessage(let request) = envelope.frame else {
            queue(.parsed(parsed))
            return true
        }
        do {
            guard let message = try chat.checkAtOnce(SendRequest(request), from: connection.user) else {
                queue(.parsed(parsed))
                return true
            }
            inbox.withLock { inbox in
                inbox.sendsInFlight += 1
                inbox.burst.append((message, envelope.id))
            }
        } catch {
            let answerNow = inbox.withLock { $0.sendsInFlight == 0 }
            if answerNow { replyFailure(error, to: envelope) } else { queue(.refused(error, envelope)) }
        }
        return true
    }

    /// The socket read ended (on the event loop): the sends it brought go to the group commit.
    func readComplete() {
        submitBurst()
    }

    private func submitBurst() {
        let burst = inbox.withLock { inbox in
            defer { inbox.burst = [] }
            return inbox.burst
        }
        guard !burst.isEmpty else { return }
        chat.submit(burst.map(\.message), from: connection.user, connectionID: connection.id) { [self] index, outcome in
            switch outcome {
            case .success(let outcome): reply(.messageSent(outcome.message), id: burst[index].id)
            case .failure(let error): replyFailure(error, type: "send_message", id: burst[index].id)
            }
            sendAnswered()
        }
    }

    /// After a send's answer was queued on the connection: the last one lets a job start.
    private func sendAnswered() {
        let startJob = inbox.withLock { inbox -> Bool in
            inbox.sendsInFlight -= 1
            guard inbox.sendsInFlight == 0, !inbox.serving, !inbox.items.isEmpty else { return false }
            inbox.serving = true
            return true
        }
        if startJob { workers.submit { await self.serveInbox() } }
    }

    private func serveInbox() async {
        while let next = takeNext(onlyText: false) {
            await serve(next)
        }
    }

    /// The next item the client sent, if any (with `onlyText`, only if it is a text frame,
    /// parsed or not).
    /// Without `onlyText`, finding none ends the job: the next item starts another.
    private func takeNext(onlyText: Bool) -> Inbound? {
        let (next, resumeReading) = inbox.withLock { inbox -> (Inbound?, Bool) in
            guard let first = inbox.items.first else {
                // Only the job's own loop ends the job; a run of sends goes on serving.
                if !onlyText { inbox.serving = false }
                return (nil, false)
            }
            if onlyText {
                switch first {
                case .text, .parsed: break
                default: return (nil, false)
                }
            }
            inbox.items.removeFirst()
            // An emptied inbox lets its buffer go: an idle connection keeps none.
            if inbox.items.isEmpty { inbox.items = [] }
            let resume = inbox.readingPaused && inbox.items.count < Self.inboxBound / 2
            if resume { inbox.readingPaused = false }
            return (first, resume)
        }
        if resumeReading { setReading(true) }
        return next
    }

    private func setReading(_ on: Bool) {
        channel.setOption(ChannelOptions.autoRead, value: on).whenFailure { _ in }
    }

    private func serve(_ item: Inbound) async {
        switch item {
        case .opened(let isFirst):
            await chat.connected(connection, isFirst: isFirst)
        case .binary:
            guard !connection.isClosing else { return }
            reply(.error(ErrorPayload(message: "binary frames are not accepted; send JSON text frames", code: .badFrame)))
        case .text(let text):
            // Closing: whatever the client still sends would get no answer.
            guard !connection.isClosing else { return }
            await serve(ClientEnvelope.parse(Data(text.utf8), decoder: Self.decoder))
        case .parsed(let parsed):
            guard !connection.isClosing else { return }
            await serve(parsed)
        case .refused(let error, let envelope):
            guard !connection.isClosing else { return }
            replyFailure(error, to: envelope)
        case .tokenExpired:
            // The client must log in again.
            reply(.error(ServerError.tokenExpired.payload(requestType: nil)))
            connection.close(.unknown(4401), reason: "token expired")
        case .ended:
            connection.finish()
            await chat.disconnected(connection)
        }
    }

    private func serve(_ parsed: Result<ClientEnvelope, ClientEnvelope.ParseError>) async {
        switch parsed {
        case .success(let envelope):
            await serve(envelope)
        case .failure(let problem):
            reply(.error(ErrorPayload(message: problem.message, code: problem.code, requestType: problem.requestType)), id: problem.id)
        }
    }

    /// Whether the frame's text holds `"send_message"`, by a plain scan of its UTF-8 bytes: the
    /// standard library's generic `contains` took 11 µs a frame, a fifth of a send's work on
    /// the loop.
    private static func holdsSendType(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            let needle = sendType
            guard bytes.count >= needle.count else { return false }
            for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
                if bytes[start..<(start + needle.count)].elementsEqual(needle) { return true }
            }
            return false
        } ?? text.utf8.contains(sendType)
    }

    /// Sends the client wrote back to back (those already waiting behind this one): checked in
    /// order, stored in one group commit, answered in order. The first frame that is not a
    /// send ends the run and is served after it.
    private func serveSends(startingWith first: (envelope: ClientEnvelope, request: SendMessage)) async {
        var run = [first]
        var following: Result<ClientEnvelope, ClientEnvelope.ParseError>?
        while run.count < Self.inboxBound * 2, !connection.isClosing, let next = takeNext(onlyText: true) {
            let parsed: Result<ClientEnvelope, ClientEnvelope.ParseError>
            switch next {
            case .parsed(let already): parsed = already
            case .text(let text): parsed = ClientEnvelope.parse(Data(text.utf8), decoder: Self.decoder)
            default: continue
            }
            guard case .success(let envelope) = parsed, case .sendMessage(let request) = envelope.frame else {
                following = parsed
                break
            }
            run.append((envelope, request))
        }
        let sends = run.map { SendRequest($0.request) }
        let outcomes = await chat.send(sends, from: connection.user, connectionID: connection.id)
        for ((envelope, _), outcome) in zip(run, outcomes) {
            switch outcome {
            case .success(let outcome): reply(.messageSent(outcome.message), id: envelope.id)
            case .failure(let error): replyFailure(error, to: envelope)
            }
        }
        if let following { await serve(following) }
    }

    /// Serves one frame; any failure becomes an `error` reply and the session goes on.
    private func serve(_ envelope: ClientEnvelope) async {
        let user = connection.user
        do {
            switch envelope.frame {
            case .joinRoom(let request):
                try await chat.join(request, connection: connection, requestID: envelope.id)
            case .leaveRoom(let request):
                chat.leave(request.roomID, connection: connection)
                reply(.roomLeft(request), id: envelope.id)
            case .sendMessage(let request):
                await serveSends(startingWith: (envelope, request))
            case .typingStart(let request):
                try await chat.setTyping(true, roomID: request.roomID, connection: connection)
            case .typingStop(let request):
                try await chat.setTyping(false, roomID: request.roomID, connection: connection)
            case .messageRead(let request):
                try await chat.markRead(request.roomID, messageIDs: request.messageIDs, caller: user)
            case .ping(let heartbeat):
                reply(.pong(heartbeat), id: envelope.id)
            case .editMessage(let request):
                let edit = try await chat.edit(request.messageID, content: request.content, caller: user, connectionID: connection.id)
                reply(.messageEdited(edit), id: envelope.id)
            case .deleteMessage(let request):
                reply(.messageDeleted(try await chat.delete(request.messageID, caller: user, connectionID: connection.id)), id: envelope.id)
            case .react(let request):
                let reaction = try await chat.react(request.messageID, emoji: request.emoji, on: request.on, caller: user, connectionID: connection.id)
                reply(.reaction(reaction), id: envelope.id)
            }
        } catch {
            replyFailure(error, to: envelope)
        }
    }

    /// A frame that failed gets an `error` reply naming it; the session goes on.
    private func replyFailure(_ error: any Error, to envelope: ClientEnvelope) {
        replyFailure(error, type: envelope.frame.type, id: envelope.id)
    }

    private func replyFailure(_ error: any Error, type: String, id: String?) {
        guard let reported = ServerError.reported(error) else {
            logger.error("serving a frame failed", metadata: ["type": "\(type)", "error": "\(error)"])
            reply(.error(ServerError.internalError.payload(requestType: type)), id: id)
            return
        }
        reply(.error(reported.payload(requestType: type)), id: id)
    }

    private func reply(_ event: ServerEvent, id: String? = nil) {
        if case .error(let payload) = event { metrics.answeredError(payload.code) }
        connection.send(encoder.frame(event, id: id))
    }
}

extension SendRequest {
    /// A send as a WebSocket frame asked for it.
    init(_ frame: SendMessage) {
        self.init(
            roomID: frame.roomID, content: frame.content, messageType: frame.messageType,
            replyToID: frame.replyToID, clientMessageID: frame.clientMessageID, attachmentID: frame.attachmentID
        )
    }
}

/// NIO's WebSocket upgrader installs its frame encoder, which the server replaces with frames
/// framed once (`WireFrame`). The encoder keeps nothing but a scratch buffer for headers, freed
/// when it is removed, so it leaves the pipeline like any stateless handler.
extension WebSocketFrameEncoder: @retroactive RemovableChannelHandler {}
