import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// HTTP/1 with the `/ws/chat` upgrade, built like hummingbird-websocket's
/// `HTTP1WebSocketUpgradeChannel` with two differences. A refused upgrade (bad token, foreign
/// `Origin`, malformed handshake) is answered by the HTTP router, as a JSON 401/403/400, not as
/// an empty 400. An accepted one becomes channel handlers (`WebSocketSession.start`), not a task per
/// connection: at 10,000 idle connections that task cost 23 KiB each (BENCHMARKS.md).
struct ChatUpgradeChannel: ServerChildChannel, HTTPChannelHandler {
    /// Decides an upgrade request: the caller to serve, or `nil` to let the router explain.
    typealias Gate = @Sendable (HTTPRequest) async -> AuthenticatedUser?
    /// Installs the chat session's handlers on an upgraded channel, on its event loop.
    typealias Session = @Sendable (any Channel, AuthenticatedUser, Logger) throws -> Void

    enum UpgradeResult: Sendable {
        /// The session lives on in the channel's handlers; no task waits on it.
        case webSocket
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// NIO consumed the head of a declined upgrade request; it is handed over here.
        case refusedUpgrade(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, HTTPRequestHead)
    }

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let channel: any Channel
    }

    let routerResponder: Responder
    let maxFrameSize: Int
    let requestHeadTimeout: Duration
    let idleTimeout: Duration
    let gate: Gate
    let session: Session

    var responder: Responder { Self.redirectingLateUpgrades(routerResponder, gate: gate) }

    /// NIO keeps a connection's last receive buffer for its next read, 2 KiB by default: most
    /// of what an idle connection costs. Request heads and chat frames are small, and the
    /// allocator grows the buffer for big reads (uploads) as they come.
    static let receiveBuffers = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65536)

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.syncOptions?.setOption(ChannelOptions.recvAllocator, value: Self.receiveBuffers)
            let firstHead = NIOLoopBoundBox<HTTPRequestHead?>(nil, eventLoop: channel.eventLoop)
            let admitted = NIOLoopBoundBox<AuthenticatedUser?>(nil, eventLoop: channel.eventLoop)
            let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
                maxFrameSize: maxFrameSize,
                // ChatFrameHandler fails the connection itself, gracefully (its close frame must
                // reach the client, not be cut off by a reset).
                enableAutomaticErrorHandling: false,
                shouldUpgrade: { channel, head in
                    let decision = channel.eventLoop.makePromise(of: AuthenticatedUser?.self)
                    decision.completeWithTask {
                        guard let request = try? HTTPRequest(head, secure: false, splitCookie: false) else { return nil }
                        return await gate(request)
                    }
                    return decision.futureResult.hop(to: channel.eventLoop).map { user in
                        admitted.value = user
                        return user == nil ? nil : HTTPHeaders()
                    }
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        // Only reached after `shouldUpgrade` admitted a caller on this event loop.
                        guard let user = admitted.value else { throw ChannelError.inappropriateOperationForState }
                        try session(channel, user, logger)
                        return .webSocket
                    }
                }
            )
            let upgrade = NIOTypedHTTPServerUpgradeConfiguration(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger))
                        let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true)
                        )
                        if let head = firstHead.value, head.headers.contains(name: "upgrade") {
                            return .refusedUpgrade(http, head)
                        }
                        return .http(http)
                    }
                }
            )
            var pipeline = NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgrade)
            pipeline.enablePipelining = false
            pipeline.enableErrorHandling = false
            pipeline.enableResponseHeaderValidation = false
            let result = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: pipeline)
            let upgradeHandler = try channel.pipeline.syncOperations.context(handlerType: NIOTypedHTTPServerUpgradeHandler<UpgradeResult>.self)
            try channel.pipeline.syncOperations.addHandler(
                FirstHeadRecorder(head: firstHead, timeout: .init(requestHeadTimeout)), position: .before(upgradeHandler.handler)
            )
            return Value(upgradeResult: result, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgradeResult.get() {
            case .http(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            case .refusedUpgrade(let http, let head):
                try await answerRefusedUpgrade(head, on: http)
            case .webSocket:
                break
            }
        } catch let error as ChannelError where error == .inputClosed {
            logger.trace("connection closed before its first request")
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// The router says why (its `/ws/chat` route authenticates like the gate); then the
    /// connection closes, which is what WebSocket clients wait for.
    private func answerRefusedUpgrade(_ head: HTTPRequestHead, on http: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>) async throws {
        try await http.executeThenClose { _, outbound in
            let writer = ResponseWriter(outbound: outbound)
            guard let request = try? HTTPRequest(head, secure: false, splitCookie: false) else {
                return try await writer.writeResponse(HTTPResponse(status: .badRequest, headerFields: [.contentLength: "0"]))
            }
            try await routerResponder(Request(head: request, body: .init(buffer: ByteBuffer())), writer, http.channel)
        }
    }

    /// NIO upgrades only a connection's first request, and its parser reads nothing after a later
    /// request that asks for an upgrade, so that connection ends with the answer. One the gate would
    /// admit is sent back (307) to retry on a fresh connection, as hummingbird-websocket does; one it
    /// would refuse gets the router's JSON error.
    private static func redirectingLateUpgrades(_ responder: @escaping Responder, gate: @escaping Gate) -> Responder {
        { request, writer, channel in
            guard request.headers[.upgrade] != nil else {
                return try await responder(request, writer, channel)
            }
            if await gate(request.head) != nil {
                let location = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
                try await writer.writeResponse(HTTPResponse(status: .temporaryRedirect, headerFields: [.connection: "close", .location: location]))
            } else {
                try await responder(request, writer, channel)
            }
            throw ConnectionDone()
        }
    }

    /// Thrown after a complete response to make Hummingbird close the connection.
    private struct ConnectionDone: Error {}
}

/// Keeps a connection's first request head, which NIO's upgrade handler swallows when it
/// declines an upgrade, then steps out of the pipeline. A connection whose first head is not
/// complete within `timeout` is closed (after it, `HTTPConnectionStateHandler`'s idle timeout
/// watches the connection).
private final class FirstHeadRecorder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let head: NIOLoopBoundBox<HTTPRequestHead?>
    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(head: NIOLoopBoundBox<HTTPRequestHead?>, timeout: TimeAmount) {
        self.head = head
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) { bound.value.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let requestHead) = unwrapInboundIn(data) {
            deadline?.cancel()
            deadline = nil
            head.value = requestHead
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
        } else {
            context.fireChannelRead(data)
        }
    }
}
