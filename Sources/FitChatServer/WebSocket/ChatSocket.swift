import FitChatProtocol
import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket

/// One WebSocket session: the reader serves client frames in order, and one child task carries
/// out the close the connection asks for (slow consumer, shutdown, token expiry). Frames go out
/// through the connection's own writes (`ClientConnection`), not through a task of their own:
/// an idle connection costs as few tasks as possible.
struct ChatSocket: Sendable {
    let chat: ChatService

    /// Serves the connection until either side closes. Errors from the inbound stream (oversize
    /// frame, invalid UTF-8) are rethrown so the WebSocket layer closes with 1009 / 1007.
    func serve(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel, user: AuthenticatedUser, logger: Logger
    ) async throws {
        guard let (connection, isFirst) = chat.hub.open(for: user, on: channel) else {
            try await outbound.close(.goingAway, reason: "the server is shutting down")
            return
        }
        let encoder = chat.publisher.encoder
        connection.send(
            encoder.encode(
                .connectionEstablished(
                    ConnectionEstablished(
                        userID: user.id, message: "connected to fitchat as \(user.username)", username: user.username,
                        serverTime: Date(), heartbeatInterval: Int(chat.limits.pingInterval / .milliseconds(1))
                    )
                )
            )
        )
        await transient { await chat.connected(connection, isFirst: isFirst) }
        let expiry = expireToken(of: connection, on: channel.eventLoop)
        defer {
            expiry.cancel()
            connection.finish()
        }
        var failure: (any Error)?
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await carryOutClose(connection, outbound: outbound) }
                defer { group.cancelAll() }
                // After a close, the reader ends with the handshake (or the closer's timeout).
                try await readFrames(inbound, connection: connection, logger: logger)
            }
        } catch {
            failure = error
        }
        await chat.disconnected(connection)
        if let failure { throw failure }
    }

    private func readFrames(_ inbound: WebSocketInboundStream, connection: ClientConnection, logger: Logger) async throws {
        let decoder = WireCoding.makeDecoder()
        for try await message in inbound.messages(maxSize: chat.limits.maxFrameSize) {
            // Closing: whatever the client still sends would get no answer.
            guard !connection.isClosing else { continue }
            await transient { await handle(message, decoder: decoder, connection: connection, logger: logger) }
        }
    }

    private func handle(_ message: WebSocketMessage, decoder: JSONDecoder, connection: ClientConnection, logger: Logger) async {
        switch message {
        case .binary:
            reply(.error(ErrorPayload(message: "binary frames are not accepted; send JSON text frames", code: .badFrame)), to: connection)
        case .text(let text):
            switch ClientEnvelope.parse(Data(text.utf8), decoder: decoder) {
            case .success(let envelope):
                await serve(envelope, connection: connection, logger: logger)
            case .failure(let problem):
                let payload = ErrorPayload(message: problem.message, code: problem.code, requestType: problem.requestType)
                reply(.error(payload), id: problem.id, to: connection)
            }
        }
    }

    /// Runs `work` in a short-lived child task. A task keeps the memory of its deepest await
    /// (database calls go deep) until it ends; the session task lives as long as the connection,
    /// so it leaves that depth to children: an idle connection holds kilobytes less.
    private func transient(_ work: @escaping @Sendable () async -> Void) async {
        await withTaskGroup(of: Void.self) { group in group.addTask(operation: work) }
    }

    /// Serves one frame; any failure becomes an `error` reply and the session goes on.
    private func serve(_ envelope: ClientEnvelope, connection: ClientConnection, logger: Logger) async {
        let user = connection.user
        do {
            switch envelope.frame {
            case .joinRoom(let request):
                try await chat.join(request, connection: connection, requestID: envelope.id)
            case .leaveRoom(let request):
                chat.leave(request.roomID, connection: connection)
                reply(.roomLeft(request), id: envelope.id, to: connection)
            case .sendMessage(let request):
                let send = SendRequest(
                    roomID: request.roomID, content: request.content, messageType: request.messageType,
                    replyToID: request.replyToID, clientMessageID: request.clientMessageID
                )
                let outcome = try await chat.send(send, from: user, connectionID: connection.id)
                reply(.messageSent(outcome.message), id: envelope.id, to: connection)
            case .typingStart(let request):
                try await chat.setTyping(true, roomID: request.roomID, connection: connection)
            case .typingStop(let request):
                try await chat.setTyping(false, roomID: request.roomID, connection: connection)
            case .messageRead(let request):
                try await chat.markRead(request.roomID, messageIDs: request.messageIDs, caller: user)
            case .ping(let heartbeat):
                reply(.pong(heartbeat), id: envelope.id, to: connection)
            case .editMessage, .deleteMessage, .react:
                throw ServerError.unsupported("\(envelope.frame.type) is not supported by this server yet")
            }
        } catch let error as ServerError {
            reply(.error(error.payload(requestType: envelope.frame.type)), id: envelope.id, to: connection)
        } catch {
            logger.error("serving a frame failed", metadata: ["type": "\(envelope.frame.type)", "error": "\(error)"])
            reply(.error(ServerError.internalError.payload(requestType: envelope.frame.type)), id: envelope.id, to: connection)
        }
    }

    private func reply(_ event: ServerEvent, id: String? = nil, to connection: ClientConnection) {
        connection.send(chat.publisher.encoder.encode(event, id: id))
    }

    /// Sends the close frame the connection asked for. A peer that stopped reading never lets it
    /// through, and one may never answer it: after the close timeout the connection is dropped.
    private func carryOutClose(_ connection: ClientConnection, outbound: WebSocketOutboundWriter) async {
        for await request in connection.closeRequests {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await outbound.close(request.code, reason: request.reason) }
                if (try? await Task.sleep(for: chat.limits.closeTimeout)) != nil { connection.abort() }
                group.cancelAll()
            }
            return
        }
    }

    /// At expiry: `token_expired`, then close with 4401; the client must log in again.
    private func expireToken(of connection: ClientConnection, on eventLoop: any EventLoop) -> Scheduled<Void> {
        let remaining = max(0, Int64(connection.user.expiresAt.timeIntervalSinceNow * 1000))
        return eventLoop.scheduleTask(in: .milliseconds(remaining)) { [chat] in
            connection.send(chat.publisher.encoder.encode(.error(ServerError.tokenExpired.payload(requestType: nil))))
            connection.close(.unknown(4401), reason: "token expired")
        }
    }
}
